"""A head teacher logs a 心理健康课 from her home page on a 360 px phone (taps counted), and the
county reads the compliance matrix there (no overflow of the page, Axe if installed)."""
import re

import pytest

from tests.programme_steps import lessons, staff
from webapp.models import ProgrammeActivity

from .test_incidents import narrow, no_axe_violations, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_a_lesson_from_home_in_three_taps(app, county, page, console_errors):
    sign_in(page, "head1")
    taps = 0
    page.locator("#log-lesson").click()  # 1: 记录心理健康课 on the home page
    taps += 1
    expect(page).to_have_url(re.compile(r"/programme/activities/new"))
    narrow(page)
    no_axe_violations(page, "main")
    # The kind (心理健康课), her class and today are filled in: only the topic is hers to give.
    expect(page.get_by_label("心理健康课", exact=True)).to_be_checked()
    page.locator("#topic").click()  # 2: the topic field
    taps += 1
    page.locator("#topic").fill("认识情绪")
    page.locator("#save-activity").click()  # 3: save
    taps += 1
    expect(page).to_have_url(re.compile(r"/programme/activities$"))
    expect(page.locator("#lesson-counts")).to_contain_text("1 / 9 课时")
    narrow(page)
    assert taps == 3
    with app.app_context():
        lesson = ProgrammeActivity.get()
        assert (lesson.kind, lesson.school_class_id, lesson.topic) == ("lesson", county.classes.c41.id, "认识情绪")
    assert not console_errors


def test_the_county_reads_the_matrix_on_a_phone(app, county, page, console_errors, clock):
    with app.app_context():
        staff(county.schools[0], "刘老师", "full_time")
        lessons(county.schools[0], county.classes.c41, 4)
    sign_in(page, "county", clock)
    page.locator("#programme-link").click()
    expect(page).to_have_url(re.compile(r"/programme/matrix$"))
    # A row per zone, its schools counted per state; a zone's line opens its schools.
    expect(page.locator("#matrix")).to_contain_text("未达标")
    expect(page.locator("#matrix")).not_to_contain_text("渠县第三小学")
    narrow(page)  # the wide table scrolls inside its own box
    no_axe_violations(page, "main")
    page.screenshot(path="/tmp/programme-matrix-360.png", full_page=True)
    page.locator("#matrix").get_by_role("link", name="一片区").click()
    expect(page.locator("#matrix")).to_contain_text("渠县第三小学")
    narrow(page)
    no_axe_violations(page, "main")
    page.get_by_role("link", name=re.compile("至少1名专职心理教师")).click()  # sort by the 专职 column
    expect(page).to_have_url(re.compile(r"sort=full_time"))
    # 只看未达标: the schools that miss something, from the county's page.
    page.goto("/programme/matrix")
    page.get_by_role("link", name=re.compile("只看未达标")).click()
    expect(page).to_have_url(re.compile(r"/programme/matrix/missing"))
    expect(page.locator("#matrix")).to_contain_text("渠县第三小学")
    narrow(page)
    no_axe_violations(page, "main")
    assert not console_errors


def test_the_principal_opens_a_fold_of_the_register_and_saves_it(app, county, page, console_errors, clock):
    """The register's forms come when their fold opens (htmx): the room's 修改 at 360 px."""
    sign_in(page, "principal1", clock)
    page.goto(f"/programme/school/{county.schools[0].id}")
    assert page.locator("#fold-room form").count() == 0
    page.locator("#fold-room summary").click()
    expect(page.locator("#fold-room form")).to_be_visible()
    narrow(page)
    no_axe_violations(page, "#room")
    page.locator("#fold-room").get_by_label("心理辅导室已建成").check()
    page.locator("#room-room-built_year").fill("2021")
    page.locator("#fold-room").get_by_role("button", name="保存").click()
    expect(page.locator("#room dd").first).to_contain_text("2021")
    narrow(page)
    assert not console_errors
