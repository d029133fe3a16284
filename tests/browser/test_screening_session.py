"""A supervised class session (团体测评, issue 18) on a school tablet: two pupils in turn, each
taps her name and answers; neither can see the other's answers by going back or reloading, and
the device keeps nothing of them (no page in the service worker's caches, no outbox)."""
import re

import pytest

from webapp.models import ScreeningResult

from ..screening_steps import open_round
from .test_incidents import no_axe_violations, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True,
          "device_scale_factor": 2, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""


def answer(page, choice):
    for index in range(9):
        page.locator("fieldset").nth(index).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="完成").click()


def test_two_pupils_in_turn_on_a_tablet_see_nothing_of_each_other(app, county, chromium, live_server, clock,
                                                                   console_errors):
    with app.app_context():
        screening_round = open_round(county, grades="4")
    context = chromium.new_context(base_url=live_server, **TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    console_errors.watch(page)
    sign_in(page, "counselor1", clock)
    page.goto(f"/screening/{screening_round.id}/sessions")
    no_axe_violations(page, "main")
    page.get_by_label("班级").select_option(label="4-1")
    page.get_by_role("button", name="开始团体测评").click()
    expect(page).to_have_url(re.compile(r"/screening/session/\d+$"))
    list_url = page.url
    no_axe_violations(page, "main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768

    # Pupil 1: 李四 taps her name, answers "好几天" throughout (item 9 too: a critical answer).
    page.get_by_role("link", name="李四").click()
    expect(page.locator("h1")).to_have_text("李四")
    no_axe_violations(page, "main")
    answer(page, "好几天")
    expect(page.locator("h1")).to_have_text("谢谢你!")
    assert not re.search(r"\b9\b", page.locator("main").inner_text().replace("12355", ""))  # no score shown
    page.locator("#next-pupil").click()
    expect(page).to_have_url(list_url)
    expect(page.locator("#pupils")).to_contain_text("李四 · 已完成")

    # Pupil 2: 张三, answers "完全不会".
    page.get_by_role("link", name="张三").click()
    answer(page, "完全不会")
    expect(page.locator("h1")).to_have_text("谢谢你!")
    page.locator("#next-pupil").click()

    # Back and reload through the whole session's history: every page the device shows again is
    # fetched anew (no-store) and holds no answer; a pupil's questionnaire says "already answered".
    seen = []
    while "/screening/session/" in page.url and len(seen) < 12:
        assert page.locator("input[type=radio]:checked").count() == 0, page.url
        page.reload()
        if "/pupil/" in page.url:
            expect(page.locator("h1")).to_have_text("已经答过了")
        assert page.locator("input[type=radio]:checked").count() == 0, page.url
        seen.append(page.url)
        page.go_back()
        page.wait_for_load_state()
    assert any("/pupil/" in url for url in seen), seen
    page.goto(list_url)
    cached = page.evaluate(CACHED_URLS)
    assert not [url for url in cached if "/screening/" in url], cached
    outbox = page.evaluate("""() => new Promise((resolve) => {
      const open = indexedDB.open("xinqiao");
      open.onsuccess = () => { const db = open.result;
        if (!db.objectStoreNames.contains("outbox")) return resolve(0);
        const count = db.transaction("outbox").objectStore("outbox").count();
        count.onsuccess = () => resolve(count.result); };
      open.onerror = () => resolve(0);
    })""")
    assert outbox == 0
    with app.app_context():
        results = {r.child_id: (r.total, r.critical) for r in ScreeningResult.select()}
    assert results == {county.kids.li_si.id: (9, True), county.kids.zhang_san.id: (0, False)}
    assert console_errors == []
    context.close()


def test_the_new_screening_pages_fit_a_phone_and_axe_finds_nothing(app, county, page, clock, console_errors):
    from datetime import date

    from webapp.screening import instruments, service

    with app.app_context():
        screening_round = open_round(county)
        result, _created = service.record_result(
            county.kids.li_si, instruments.get("phq9"), answers=[2] * 9, source="individual",
            taken_on=date(2026, 11, 18), user=county.users.counselor1, client_uuid="axe-1",
            screening_round=screening_round)
        warning_id = result.warnings.get().id
    sign_in(page, "counselor1", clock)
    for url in ("/screening/", f"/screening/{screening_round.id}", "/screening/warnings/",
                f"/screening/warnings/{warning_id}", f"/screening/{screening_round.id}/import",
                f"/screening/administer?child={county.kids.li_si.id}", "/self-check/phq9"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        no_axe_violations(page, "main")
    # Her own self-check: the critical answer's page first, then the numbers.
    for index in range(9):
        page.locator("fieldset").nth(index).get_by_label("好几天", exact=True).check()
    page.get_by_role("button", name="完成").click()
    expect(page.locator("#talk-now")).to_contain_text("12355")
    no_axe_violations(page, "main")
    assert console_errors == []
