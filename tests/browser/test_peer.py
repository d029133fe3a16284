"""A committee member on a 360 px phone: signs in with her PIN, sends the weekly class report
naming one classmate, and finds it under 我提交的 as 已收到."""
import re

import pytest

from tests.county import PIN

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide on a 360 px phone"


def test_a_committee_member_sends_the_weekly_report_from_her_phone(page, console_errors):
    page.goto("/login")
    page.fill("#username", "committee1")
    page.fill("#secret", PIN)
    page.locator("form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="本周晴雨表")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    no_horizontal_scroll(page)

    page.get_by_role("link", name="本周晴雨表").click()
    expect(page).to_have_url(re.compile(r"/peer/weekly$"))
    no_horizontal_scroll(page)
    # Sent without a face: a clear message, and what she typed is still there.
    page.fill("#events", "周三下午运动会")
    with page.expect_response(lambda r: r.url.endswith("/peer/weekly") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="发送").click()
    assert sent.value.status == 422
    expect(page.get_by_text("请点一个表情说说班上的心情")).to_be_visible()
    expect(page.locator("#events")).to_have_value("周三下午运动会")
    console_errors.clear()  # the 422 above is the expected answer, not a failure

    page.locator("label.face-choice", has_text="不太开心").click()
    page.select_option("#mentions-0-child", label="李四")
    page.fill("#mentions-0-noticed", "这周总是一个人坐着,不和大家说话")
    page.locator("#mentions-0-urgency-0").check()
    page.get_by_role("button", name="发送").click()

    expect(page.get_by_role("heading", name="已收到,谢谢你!")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_role("link", name="我提交的").first.click()
    expect(page).to_have_url(re.compile(r"/peer/mine$"))
    entry = page.locator("li.row", has_text="班级心理晴雨表")
    expect(entry).to_have_count(1)
    expect(entry.locator(".badge")).to_have_text("已收到")
    assert "李四" not in page.content()  # status only, nothing a classmate could read over her shoulder
    no_horizontal_scroll(page)

    assert console_errors == []
