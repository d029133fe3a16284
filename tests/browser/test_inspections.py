"""督导 and 整改 on a 360 px phone: zone1 records an inspection of school 1 with one finding, the
principal reports it done, zone1 accepts it; Axe finds nothing on the inspection pages. And an
attached file never stays in the phone's Cache Storage, even if the server ever marked it for
offline use."""
import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.inspection_steps import attach_photo
from tests.visit_steps import log_visit
from webapp.models import HomeVisit, Rectification

from .signing import sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "zh-CN",
         "timezone_id": "Asia/Shanghai"}


class MarkAttachmentsOffline:
    """WSGI middleware: every /attachments/ response says X-Offline-Page, as a careless change to
    the server might one day; the service worker must keep them off the phone all the same."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith("/attachments/"):
            return self.app(environ, start_response)

        def marked(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Offline-Page", "1")], exc_info)
        return self.app(environ, marked)


@pytest.fixture
def live_server(app, county):
    app.wsgi_app = MarkAttachmentsOffline(app.wsgi_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.wsgi_app = app.wsgi_app.app


def narrow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    assert found == [], (page.url, found)


def test_an_inspection_with_one_finding_reported_done_and_accepted(chromium, live_server, county, clock,
                                                                 console_errors):
    school = county.schools[0]
    inspector = chromium.new_context(base_url=live_server, **PHONE)
    zone1 = inspector.new_page()
    console_errors.watch(zone1)
    sign_in(zone1, "zone1", clock)

    zone1.goto("/inspections/")
    narrow(zone1)
    no_axe_violations(zone1)
    zone1.goto(f"/inspections/new?school={school.id}")
    narrow(zone1)
    no_axe_violations(zone1)
    zone1.locator("#finding").fill("心理辅导室午间未按公示时间开放")
    zone1.locator("#owner").select_option(index=1)
    zone1.locator("#due_on").fill("2026-12-02")
    zone1.locator("#summary").fill("抽查辅导室与台账")
    zone1.get_by_role("button", name="保存督导记录").click()
    expect(zone1).to_have_url(re.compile(r"/inspections/\d+$"))
    inspection_url = zone1.url
    expect(zone1.locator("#items")).to_contain_text("心理辅导室午间未按公示时间开放")
    narrow(zone1)
    no_axe_violations(zone1)

    school_side = chromium.new_context(base_url=live_server, **PHONE)
    principal = school_side.new_page()
    console_errors.watch(principal)
    sign_in(principal, "principal1", clock)
    expect(principal.locator("#rectifications")).to_contain_text("心理辅导室午间")
    principal.locator("#rectifications a.row").first.click()
    expect(principal).to_have_url(re.compile(r"/inspections/\d+#item-\d+$"))
    narrow(principal)
    no_axe_violations(principal)
    principal.locator("textarea[name=note]").first.fill("已调整值班表,每天 12:30–13:30 开放")
    principal.get_by_role("button", name="报告整改完成").click()
    expect(principal.locator("#items")).to_contain_text("已调整值班表")
    no_axe_violations(principal)
    assert Rectification.get().status == "reported"

    zone1.goto(inspection_url)
    zone1.get_by_role("button", name="验收通过").click()
    expect(zone1.locator("#items")).to_contain_text("已验收")
    narrow(zone1)
    no_axe_violations(zone1)
    assert Rectification.get().status == "accepted"
    inspector.close()
    school_side.close()
    assert not console_errors


def test_an_attached_file_is_never_kept_in_the_cache_storage(chromium, live_server, county, clock, login_as):
    head1 = login_as("head1")
    log_visit(head1, county.kids.zhang_san)
    visit_id = HomeVisit.get().id
    attachment_id = attach_photo(head1, visit_id)

    context = chromium.new_context(base_url=live_server, **PHONE)
    page = context.new_page()
    sign_in(page, "head1", clock)
    from tests.browser.test_offline import service_worker_in_control

    service_worker_in_control(page)
    page.goto(f"/visits/{visit_id}")
    link = page.locator(f'a[href="/attachments/{attachment_id}"]')
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"visit-{attachment_id}.png"
    # As a boosted page load would ask for it (the kind of request the worker keeps copies of).
    status = page.evaluate("""(url) => fetch(url, {headers: {"HX-Boosted": "true", "HX-Request": "true"}})
        .then((r) => r.status + " " + r.headers.get("X-Offline-Page"))""", f"/attachments/{attachment_id}")
    assert status == "200 1"  # the server marked it; the phone must not keep it all the same
    page.goto("/")
    page.wait_for_timeout(500)
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")
    assert any(url.endswith("/") for url in kept)  # the home page is kept: the worker does keep pages
    assert not [url for url in kept if "/attachments/" in url]
    context.close()
