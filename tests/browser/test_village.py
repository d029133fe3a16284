"""A child worker on a 360 px phone: registers a left-behind child, logs a check-in, sees her duties change."""
import re

import pytest

from tests.county import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide on a 360 px phone"


def test_a_child_worker_registers_a_child_checks_in_and_sees_the_duty_list_change(page, console_errors):
    page.goto("/login")
    page.fill("#username", "worker1")
    page.fill("#secret", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h2", has_text="我的任务")).to_be_visible()
    no_horizontal_scroll(page)

    # Register a girl with her grandmother's confirmation: the short way through the survey.
    page.locator("nav.bottom-nav").get_by_role("link", name="任务").click()
    expect(page).to_have_url(re.compile(r"/checkins/$"))
    page.get_by_role("link", name="登记儿童").click()
    expect(page).to_have_url(re.compile(r"/village/children/new$"))
    no_horizontal_scroll(page)
    page.fill("#name", "刘小雨")
    page.get_by_label("女", exact=True).check()
    page.fill("#birth_date", "2018-03-07")
    page.get_by_label("父母均外出务工").check()
    page.fill("#father_work_place", "广东省东莞市")
    page.fill("#guardian_name", "刘秀英")
    page.fill("#guardian_relation", "祖母")
    page.fill("#guardian_age", "63")
    page.fill("#confirmed_by", "刘秀英")
    page.fill("#confirmed_on", "2026-11-18")
    page.get_by_label("书面签字").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已保存:刘小雨 已登记在册")

    # Her duties: the monthly visit is still to do.
    page.goto("/checkins/")
    later = page.locator("#duties-later")
    girl = later.locator("a.row", has_text="刘小雨")
    expect(girl).to_contain_text("入户走访")
    no_horizontal_scroll(page)

    # A routine check-in: tap her row, tap 保存 (date, kind and "good" are already filled in).
    girl.click()
    expect(page).to_have_url(re.compile(r"/checkins/new\?child=\d+$"))
    no_horizontal_scroll(page)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("main")).to_contain_text("已保存:刘小雨 的入户走访")

    page.get_by_role("link", name="回到我的任务").click()
    expect(page).to_have_url(re.compile(r"/checkins/$"))
    expect(page.locator("#duties-later a.row", has_text="刘小雨")).not_to_contain_text("入户走访")
    page.locator("#duties-done summary").click()
    expect(page.locator("#duties-done a.row", has_text="刘小雨")).to_contain_text("入户走访")
    no_horizontal_scroll(page)

    assert console_errors == []
