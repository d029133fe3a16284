"""The county's 预警 list on a 360 px phone: the urgent one nobody acknowledged opens the home
page, the list goes a page at a time (下一页 / 上一页), the 测评预警 beside it lead on to their
whole queue; each page keeps to the screen and axe-core finds nothing."""
import re
from datetime import date

import pytest

from webapp.clock import utcnow
from webapp.models import Child
from webapp.safeguarding.concerns import raise_concern
from webapp.safeguarding.tick import run_tick

from .test_incidents import narrow, no_axe_violations, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_the_county_goes_from_the_escalated_card_through_the_pages_of_its_list(app, county, page, console_errors,
                                                                               clock):
    with app.app_context():
        for number in range(55):
            pupil = Child.create(name=f"翻页生{number:02d}", sex="f", birth_date=date(2016, 5, 1),
                                 school_class=county.classes.c42)
            raise_concern(pupil, county.users.head1, "urgent" if number == 54 else "normal", "最近情绪低落",
                          utcnow(), f"browser-page-{number}")
        clock.advance(minutes=31)
        assert run_tick().escalated == 1
    sign_in(page, "county", clock)
    card = page.locator("#escalated-concerns")
    expect(card).to_contain_text("紧急预警尚未确认")
    narrow(page)
    no_axe_violations(page, "#escalated-concerns")
    card.click()
    expect(page).to_have_url(re.compile(r"/concerns/$"))
    waiting = page.locator("#waiting")
    expect(waiting.locator("li").first).to_contain_text("翻页生54")  # the urgent one first
    expect(waiting.locator("li")).to_have_count(50)
    narrow(page)
    no_axe_violations(page, "main")
    page.locator(".pager").get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"/concerns/\?page=2$"))
    expect(page.locator("#waiting li")).to_have_count(5)
    narrow(page)
    no_axe_violations(page, "main")
    page.locator(".pager").get_by_role("link", name="上一页").click()
    expect(page).to_have_url(re.compile(r"/concerns/$"))
    assert not console_errors


def test_the_triage_page_leads_on_to_the_whole_screening_queue(app, county, page, console_errors, clock):
    from tests.screening_steps import open_round
    from webapp.screening import instruments, service

    with app.app_context():
        screening_round = open_round(county)
        for number in range(12):
            pupil = Child.create(name=f"预警生{number:02d}", sex="f", birth_date=date(2016, 5, 1),
                                 school_class=county.classes.c41)
            service.record_result(pupil, instruments.get("phq9"), answers=[2] * 8 + [0], source="individual",
                                  taken_on=screening_round.opens_on, user=county.users.counselor1,
                                  client_uuid=f"browser-triage-{number}", screening_round=screening_round)
    sign_in(page, "counselor1", clock)
    page.goto("/concerns/")
    section = page.locator("#screening-warnings")
    expect(section.locator("li")).to_have_count(10)
    section.get_by_role("link", name="查看全部 12 条测评预警").click()
    expect(page).to_have_url(re.compile(r"/screening/warnings/$"))
    expect(page.locator("main")).to_contain_text("预警生11")
    narrow(page)
    assert not console_errors
