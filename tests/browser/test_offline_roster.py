"""In the village for real: after one online visit to her roster, a head teacher, a 童伴妈妈 and a
committee member record any child on it with no signal, forms never opened before included;
the roster searches itself offline; the outbox survives an app update; sign-out takes the roster."""
import functools
import re
import time
from datetime import date

import pytest

from tests.browser.test_offline import (
    SAVED,
    fill_visit,
    outbox_size,
    service_worker_in_control,
    sign_in,
    wait_for_outbox,
)
from webapp.models import CheckIn, Child, HomeVisit, WeeklyReport

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def more_children(county, names, **fields):
    """Children added to the test county (its classes have two pupils; a roster has more)."""
    return [Child.create(name=name, sex="f", birth_date=date(2016, 3, 1), **fields) for name in names]


def kept_urls(page):
    return page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            if (!name.startsWith("xinqiao-pages-")) continue;
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")


def roster_once(page, url, forms):
    """Open the roster online with the service worker in control, and wait until the phone
    keeps it and the forms it names."""
    page.goto("/")
    service_worker_in_control(page)
    page.goto(url)
    deadline = time.monotonic() + 15
    while True:
        kept = {re.sub(r"^https?://[^/]+", "", u) for u in kept_urls(page)}
        if {url, *forms} <= kept:
            return
        assert time.monotonic() < deadline, f"the phone keeps only {sorted(kept)}"
        page.wait_for_timeout(200)


def open_child_offline(page, roster, child, heading):
    """From the kept roster, tap the child (her form was never opened on this phone)."""
    page.goto(roster)
    page.locator(f"a[data-child='{child.id}']").first.click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"\?child={child.id}$"))


def test_visits_for_three_children_whose_forms_were_never_opened(page, county):
    wang, zhao = more_children(county, ["王芳", "赵丽"], school_class=county.classes.c41,
                               village=county.villages[0])
    sign_in(page, "head1")
    roster_once(page, "/visits/new", ["/visits/new?child=", "/concerns/new?child="])
    assert not [u for u in kept_urls(page) if re.search(r"child=\d", u)]  # no child's own form kept
    page.context.set_offline(True)
    for child in (county.kids.zhang_san, wang, zhao):
        open_child_offline(page, "/visits/new", child, f"家访:{child.name}")
        fill_visit(page, f"{child.name}与奶奶同住。")
        page.locator("form[data-create] button[type=submit]").click()
        expect(page.get_by_text(SAVED)).to_be_visible()
    assert outbox_size(page) == 3 and HomeVisit.select().count() == 0

    page.context.set_offline(False)
    wait_for_outbox(page, 0, nudge=True)
    visits = {visit.child_id: visit.findings for visit in HomeVisit.select()}
    assert visits == {county.kids.zhang_san.id: "张三与奶奶同住。", wang.id: "王芳与奶奶同住。",
                      zhao.id: "赵丽与奶奶同住。"}
    assert Child.get_by_id(county.kids.zhang_san.id).left_behind  # nothing ticked: the record stays


def test_check_ins_for_three_children_whose_forms_were_never_opened(page, county):
    children = [county.kids.zhang_san, *more_children(county, ["钱多多", "吴小花"], left_behind=True,
                                                      village=county.villages[0])]
    sign_in(page, "worker1")
    roster_once(page, "/checkins/", ["/checkins/new?child=", "/concerns/new?child="])
    page.context.set_offline(True)
    for child in children:
        open_child_offline(page, "/checkins/", child, child.name)
        page.locator("form[data-create] button[type=submit]").first.click()
        expect(page.get_by_text(SAVED)).to_be_visible()
    assert outbox_size(page) == 3

    page.context.set_offline(False)
    wait_for_outbox(page, 0, nudge=True)
    assert sorted(c.child_id for c in CheckIn.select()) == sorted(child.id for child in children)


def test_three_weekly_reports_from_a_form_never_opened(page, county):
    classmates = [county.kids.li_si, *more_children(county, ["王芳", "赵丽"], school_class=county.classes.c41)]
    sign_in(page, "committee1")
    roster_once(page, "/", ["/peer/weekly", "/peer/concern/new", "/peer/support/new"])
    page.context.set_offline(True)
    page.goto("/peer/weekly")
    for classmate in classmates:
        page.locator("label.face-choice", has_text="不太开心").click()
        page.select_option("#mentions-0-child", label=classmate.name)
        page.fill("#mentions-0-noticed", f"{classmate.name}这周总是一个人坐着")
        page.locator("#mentions-0-urgency-0").check()
        page.get_by_role("button", name="发送").click()
        expect(page.get_by_text(SAVED)).to_be_visible()
        page.locator(".outbox-note").evaluate("(note) => note.remove()")
    assert outbox_size(page) == 3

    page.context.set_offline(False)
    wait_for_outbox(page, 0, nudge=True)
    assert WeeklyReport.select().count() == 3
    named = sorted(m.child_id for report in WeeklyReport.select() for m in report.mentions)
    assert named == sorted(kid.id for kid in classmates)


def test_a_form_opened_offline_and_sent_once_the_signal_is_back_goes_to_her_child(page, county):
    sign_in(page, "head1")
    roster_once(page, "/visits/new", ["/visits/new?child="])
    page.context.set_offline(True)
    open_child_offline(page, "/visits/new", county.kids.li_si, "家访:李四")
    page.context.set_offline(False)  # signal again while she writes: sent at once, not queued
    fill_visit(page, "李四在家写作业。")
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text("已保存").first).to_be_visible()
    assert [(v.child_id, v.findings) for v in HomeVisit.select()] == [(county.kids.li_si.id, "李四在家写作业。")]


def test_offline_search_by_pinyin_initials_finds_the_child(page, county):
    more_children(county, ["王芳", "赵丽"], school_class=county.classes.c41)
    sign_in(page, "head1")
    roster_once(page, "/visits/new", [])
    page.context.set_offline(True)
    page.goto("/visits/new")
    expect(page.get_by_text(re.compile("名单更新于"))).to_be_visible()
    page.locator("#q").fill("wf")
    expect(page.get_by_text("离线:在本机名单中查找")).to_be_visible()
    rows = page.locator("#results li:visible")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("王芳")
    page.locator("#q").fill("zhang")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("张三")
    page.locator("#q").fill("")
    expect(rows).to_have_count(4)


def test_a_child_moved_out_of_her_class_before_the_replay_needs_attention(page, county):
    sign_in(page, "head1")
    roster_once(page, "/visits/new", ["/visits/new?child="])
    page.context.set_offline(True)
    open_child_offline(page, "/visits/new", county.kids.li_si, "家访:李四")
    fill_visit(page, "李四家里没人。")
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text(SAVED)).to_be_visible()

    Child.update(school_class=county.classes.c42).where(Child.id == county.kids.li_si.id).execute()
    page.context.set_offline(False)
    page.goto("/outbox")
    page.locator("#outbox-send").click()
    attention = page.locator("#outbox-attention")
    expect(attention.get_by_role("link", name="打开修改")).to_be_visible()
    assert outbox_size(page) == 1 and HomeVisit.select().count() == 0  # nothing lost, nothing stored
    reason = page.evaluate("XinQiaoOutbox.all().then((entries) => entries[0].messages)")
    assert any("您可以记录的孩子中" in text for text in reason), reason


def new_worker_version(app, version):
    """Serve sw.js as the next release would: the same code under another VERSION."""
    original = app.view_functions["pwa.service_worker"]

    with open(f"{app.static_folder}/sw.js", encoding="utf-8") as script:
        body = re.sub(r'var VERSION = "[^"]+"', f'var VERSION = "{version}"', script.read())

    @functools.wraps(original)  # its access policy too (public)
    def released():
        return app.response_class(body, mimetype="text/javascript",
                                  headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})

    app.view_functions["pwa.service_worker"] = released
    return original


def test_a_new_service_worker_version_keeps_the_queued_entries(page, county, app):
    with open(f"{app.static_folder}/sw.js", encoding="utf-8") as script:
        current = re.search(r'var VERSION = "([^"]+)"', script.read()).group(1)
    sign_in(page, "head1")
    roster_once(page, "/visits/new", ["/visits/new?child="])
    page.context.set_offline(True)
    for child in (county.kids.zhang_san, county.kids.li_si):
        open_child_offline(page, "/visits/new", child, f"家访:{child.name}")
        fill_visit(page)
        page.locator("form[data-create] button[type=submit]").click()
        expect(page.get_by_text(SAVED)).to_be_visible()

    # Back in signal, but sign-in is not possible for a moment: the entries wait (as they do when
    # a session has expired) while the app updates itself.
    session_view = app.view_functions["pwa.outbox_session"]
    app.view_functions["pwa.outbox_session"] = functools.wraps(session_view)(lambda: ("", 503))
    original = new_worker_version(app, "2099-01-01.1")
    try:
        page.context.set_offline(False)
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        deadline = time.monotonic() + 15
        while "xinqiao-shell-2099-01-01.1" not in page.evaluate("caches.keys()") or any(
                key.endswith(current) for key in page.evaluate("caches.keys()")):
            assert time.monotonic() < deadline, page.evaluate("caches.keys()")
            page.wait_for_timeout(200)
        page.reload()
        assert outbox_size(page) == 2  # the old version's caches are gone, the outbox is not
        assert HomeVisit.select().count() == 0
    finally:
        app.view_functions["pwa.service_worker"] = original
        app.view_functions["pwa.outbox_session"] = session_view
    wait_for_outbox(page, 0, nudge=True)
    assert HomeVisit.select().count() == 2


def test_the_roster_is_gone_after_sign_out(page, county):
    sign_in(page, "head1")
    roster_once(page, "/visits/new", ["/visits/new?child="])
    page.goto("/profile")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login"))
    assert kept_urls(page) == []
    page.context.set_offline(True)
    page.goto(f"/visits/new?child={county.kids.zhang_san.id}")
    assert "张三" not in page.content()


def test_an_entry_waiting_more_than_three_days_is_warned_about_on_the_home_page(page, county):
    sign_in(page, "head1")
    page.goto("/")
    expect(page.locator("#outbox-stale")).to_be_hidden()
    page.evaluate("""() => XinQiaoOutbox.put({id: "old-entry", url: location.origin + "/visits/new?child=1",
        fields: [], created: new Date(Date.now() - 4 * 24 * 3600 * 1000).toISOString(), state: "attention",
        user: Number(document.body.dataset.user), title: "家访"})""")
    page.reload()
    expect(page.locator("#outbox-stale")).to_be_visible()
    expect(page.locator("#outbox-stale")).to_contain_text("超过3天")


def test_the_outbox_asks_the_phone_to_keep_it_and_says_if_refused(page, county):
    sign_in(page, "head1")
    roster_once(page, "/visits/new", ["/visits/new?child="])
    page.context.set_offline(True)
    open_child_offline(page, "/visits/new", county.kids.zhang_san, "家访:张三")
    fill_visit(page)
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    deadline = time.monotonic() + 5
    while page.evaluate("localStorage.getItem('xinqiao-persist')") is None:
        assert time.monotonic() < deadline, "persistent storage was never asked for"
        page.wait_for_timeout(100)
    answer = page.evaluate("localStorage.getItem('xinqiao-persist')")
    page.context.set_offline(False)
    page.goto("/outbox")
    if answer == "refused":
        expect(page.locator("#outbox-not-kept")).to_be_visible()
    else:
        expect(page.locator("#outbox-not-kept")).to_be_hidden()
