"""In the village with no signal: entries made offline wait in the phone's outbox and arrive
exactly once; the app installs; pages that must never stay on a phone do not."""
import io
import re
import threading
import time

import pytest
from werkzeug.serving import make_server

from tests.county import PASSWORD, PIN
from tests.village_steps import GIRL
from webapp.models import (
    Activity,
    CheckIn,
    Concern,
    HomeVisit,
    LeftBehindFile,
    PeerSupport,
    SignIn,
    User,
    WeeklyReport,
)

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SAVED = "已保存在本机,联网后自动上传"


class FlakyPosts:
    """WSGI middleware: when on, every second POST that is an entry's first try answers 500,
    as a struggling server or a dropped connection would."""

    def __init__(self, app):
        self.app, self.on, self.posts, self.failed = app, False, 0, set()
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if self.on and environ["REQUEST_METHOD"] == "POST" and environ.get("HTTP_X_OUTBOX"):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            entry = re.search(rb"client_uuid=([0-9a-f-]+)", body)
            with self.lock:
                self.posts += 1
                fail = entry and self.posts % 2 == 0 and entry.group(1) not in self.failed
                if fail:
                    self.failed.add(entry.group(1))
            if fail:
                start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")])
                return [b"try again"]
            environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)


@pytest.fixture
def flaky(app):
    return FlakyPosts(app.wsgi_app)


@pytest.fixture
def live_server(app, county, flaky):
    """This module's live server can misbehave on purpose (see FlakyPosts)."""
    app.wsgi_app = flaky
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.wsgi_app = flaky.app


def sign_in(page, username):
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#secret", PIN if username.startswith("committee") else PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


# (Waits below are page.evaluate races with a timer: wait_for_function needs eval, which the CSP forbids.)
def service_worker_in_control(page, tries=3):
    for _ in range(tries):
        controlled = page.evaluate("""() => Promise.race([
            navigator.serviceWorker.ready.then(() => new Promise((resolve) => {
                if (navigator.serviceWorker.controller) resolve(true);
                else navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
            })),
            new Promise((resolve) => setTimeout(() => resolve(false), 10000)),
        ])""")
        if controlled:
            return
        page.reload()
    raise AssertionError("the service worker never took control of the page")


def under_service_worker(page, url):
    """Open `url` with the service worker in control, so it keeps the page for offline use."""
    page.goto(url)
    service_worker_in_control(page)
    page.reload()
    expect(page.locator("form[data-create]")).to_be_visible()


def outbox_size(page):
    return page.evaluate("""() => Promise.race([
        XinQiaoOutbox.all().then((entries) => entries.length),
        new Promise((resolve) => setTimeout(() => resolve(-1), 5000)),
    ])""")


def wait_for_outbox(page, size, nudge=False, seconds=20):
    """Wait until the outbox holds `size` entries; `nudge` fires the online event meanwhile."""
    deadline = time.monotonic() + seconds
    while outbox_size(page) != size:
        assert time.monotonic() < deadline, f"outbox still holds {outbox_size(page)}"
        if nudge:
            page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(300)


def fill_concern(page, text="放学后一个人在河边坐了很久"):
    page.locator("input[name=urgency][value=soon]").check()
    page.locator("textarea[name=description]").fill(text)


def fill_visit(page, text="与奶奶同住,学习用品齐全。"):
    page.locator("input[name=received_by][value=grandparent]").check()
    page.locator("textarea[name=findings]").fill(text)


def fill_fields(page, data):
    """Set a form's fields by name, as a person would tick and type them."""
    page.evaluate("""(data) => {
        const form = document.querySelector("form[data-create]");
        for (const [name, value] of Object.entries(data)) {
            for (const input of form.querySelectorAll(`[name="${name}"]`)) {
                const wanted = Array.isArray(value) ? value : [value];
                if (input.type === "checkbox" || input.type === "radio") {
                    input.checked = wanted.includes(input.value);
                } else {
                    input.value = wanted[0];
                }
            }
        }
    }""", data)


def fill_support(page):
    page.locator("input[name=topics][value=study]").check()
    page.locator("textarea[name=done]").fill("课间帮他讲了数学题")


def fill_peer_concern(page):
    page.locator("select[name=child]").select_option(index=1)
    page.locator("textarea[name=description]").fill("他这几天总说肚子疼不想上学")


def fill_activity(page):
    page.locator("input[name=title]").fill("读书会")
    page.locator("input[name=minutes]").fill("60")
    page.locator("input[name=children]").first.check()


def fill_registration(page):
    fill_fields(page, {**GIRL, "name": "离线登记的孩子"})


NIL = "button[name=action][value=nil]"
SEND = "form[data-create] button[type=submit]"
# kind: (url, who, fill, the button she taps, the records it makes)
FORMS = {
    "concern": ("/concerns/new?child={zhang_san}", "head1", fill_concern, SEND, Concern),
    "visit": ("/visits/new?child={zhang_san}", "head1", fill_visit, SEND, HomeVisit),
    "weekly_nil": ("/peer/weekly", "committee1", lambda page: None, NIL, WeeklyReport),
    "peer_support": ("/peer/support/new", "committee1", fill_support, SEND, PeerSupport),
    "peer_concern": ("/peer/concern/new", "committee1", fill_peer_concern, SEND, Concern),
    "checkin": ("/checkins/new?child={zhang_san}", "worker1", lambda page: None, SEND, CheckIn),
    "activity": ("/village/activities/new", "worker1", fill_activity, SEND, Activity),
    "registration": ("/village/children/new", "worker1", fill_registration, SEND, LeftBehindFile),
}


def form_url(kind, county):
    return FORMS[kind][0].format(zhang_san=county.kids.zhang_san.id)


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_an_entry_made_offline_arrives_exactly_once(page, county, kind):
    url = form_url(kind, county)
    _url, username, fill, button, model = FORMS[kind]
    sign_in(page, username)
    under_service_worker(page, url)
    page.context.set_offline(True)
    fill(page)
    page.locator(button).first.click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(page.locator("#outbox-badge")).to_be_visible()
    expect(page.locator("#outbox-badge .count")).to_have_text("1")
    assert model.select().count() == 0

    page.reload()  # still offline: the form comes from the phone, and so does the badge
    expect(page.locator("form[data-create]")).to_be_visible()
    expect(page.locator("#outbox-badge .count")).to_have_text("1")

    page.context.set_offline(False)
    wait_for_outbox(page, 0, nudge=True)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    assert model.select().count() == 1
    record = model.get()
    if hasattr(record, "made_at"):
        assert record.made_at <= record.received_at  # both times kept


def test_ten_entries_raced_three_ways_through_a_flaky_server_arrive_once_each(page, county, flaky):
    sign_in(page, "head1")
    for kind in ("concern", "visit"):
        under_service_worker(page, form_url(kind, county))
    page.context.set_offline(True)
    for n in range(10):
        kind = ("concern", "visit")[n % 2]
        page.goto(form_url(kind, county))
        FORMS[kind][2](page, f"第{n}条记录")
        page.locator("form[data-create] button[type=submit]").click()
        expect(page.get_by_text(SAVED)).to_be_visible()
    assert outbox_size(page) == 10

    flaky.on = True
    page.context.set_offline(False)
    # Three triggers at once: the online event, Background Sync, and a page load.
    page.evaluate("""() => {
        window.dispatchEvent(new Event('online'));
        navigator.serviceWorker.ready.then((r) => r.sync && r.sync.register('xinqiao-outbox'));
    }""")
    page.reload()
    wait_for_outbox(page, 0, nudge=True, seconds=30)
    assert flaky.failed, "the server never failed: the test would prove nothing"
    assert Concern.select().count() == 5 and HomeVisit.select().count() == 5
    assert len({c.client_uuid for c in Concern.select()}) == 5


def test_a_session_that_expired_keeps_the_entries_until_she_signs_in_again(page, county):
    sign_in(page, "head1")
    url = form_url("concern", county)
    under_service_worker(page, url)
    page.context.set_offline(True)
    fill_concern(page)
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text(SAVED)).to_be_visible()

    SignIn.delete().where(SignIn.user == User.get(User.username == "head1").id).execute()
    page.context.set_offline(False)
    page.evaluate("""() => Promise.race([XinQiaoOutbox.replay(), new Promise((r) => setTimeout(r, 10000))])""")
    page.wait_for_timeout(500)
    assert outbox_size(page) == 1 and Concern.select().count() == 0
    page.goto("/outbox")  # the session is gone: /outbox asks to sign in; the entry waits
    sign_in(page, "head1")
    wait_for_outbox(page, 0, nudge=True)
    assert Concern.select().count() == 1


def test_a_validation_error_on_replay_goes_to_needs_attention_and_is_fixed(page, county):
    sign_in(page, "head1")
    url = form_url("concern", county)
    under_service_worker(page, url)
    page.context.set_offline(True)
    page.locator("input[name=urgency][value=urgent]").check()  # but nothing described
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    page.context.set_offline(False)
    page.evaluate("""() => Promise.race([XinQiaoOutbox.replay(), new Promise((r) => setTimeout(r, 10000))])""")
    deadline = time.monotonic() + 10
    while page.evaluate("""() => Promise.race([XinQiaoOutbox.all().then((e) => e[0] && e[0].state),
                             new Promise((r) => setTimeout(() => r(null), 5000))])""") != "attention":
        assert time.monotonic() < deadline
        page.wait_for_timeout(200)
    assert Concern.select().count() == 0

    page.goto("/outbox")
    attention = page.locator("#outbox-attention")
    attention.get_by_role("link").click()
    expect(page.get_by_text("请描述您看到或听到的情况。")).to_be_visible()  # the server's words
    expect(page.locator("input[name=urgency][value=urgent]")).to_be_checked()  # her input
    page.locator("textarea[name=description]").fill("说不想活了,已陪同去找心理老师")
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text("已发送")).to_be_visible()
    wait_for_outbox(page, 0)
    assert Concern.select().count() == 1 and Concern.get().urgency == "urgent"


def test_the_app_is_installable(chromium, live_server, tmp_path):
    # Chromium never offers to install from a private (incognito) profile: use a real one.
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server, **PHONE)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        sign_in(page, "head1")
        service_worker_in_control(page)
        manifest = page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
        assert manifest["short_name"] == "心桥" and manifest["display"] == "standalone"
        assert manifest["start_url"] == "/" and manifest["lang"] == "zh-CN"
        assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
        assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
    finally:
        context.close()


def test_a_case_page_is_never_kept_on_the_phone(page, county, app, login_as):
    from tests.safeguarding_steps import open_case, raise_concern

    raise_concern(login_as("head1"), county.kids.zhang_san)
    case_id = open_case(login_as("counselor1"), Concern.get().id, county.users.counselor1,
                        members=[county.users.head1])
    sign_in(page, "head1")
    service_worker_in_control(page)
    for url in (f"/cases/{case_id}", f"/concerns/{Concern.get().id}", f"/children/{county.kids.zhang_san.id}"):
        response = page.goto(url)
        assert response.status == 200 and response.headers["cache-control"] == "no-store"
    page.goto("/")
    page.wait_for_timeout(300)
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")
    assert any(url.endswith("/") for url in kept)  # the home page is kept
    assert not [url for url in kept if re.search(r"/(cases|concerns|children)/\d", url)]
