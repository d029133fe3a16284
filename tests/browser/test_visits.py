"""A head teacher at a family's door, on a 360 px phone: finds 张三 by "zs", logs the visit, sees
her class's progress bar move."""
import re

import pytest

from tests.county import PASSWORD

from .test_phone import no_horizontal_scroll

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_a_head_teacher_logs_a_home_visit_on_her_phone(page, console_errors):
    page.goto("/login")
    page.fill("#username", "head1")
    page.fill("#secret", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("progress")).to_have_attribute("value", "0")
    expect(page.get_by_text("本学年已家访 0 / 2 人")).to_be_visible()

    page.get_by_role("link", name="记录家访").click()
    expect(page).to_have_url(re.compile(r"/visits/new$"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name=re.compile("李四"))).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/visits/pick") and r.request.method == "POST") as search:
        page.locator("#q").press_sequentially("zs", delay=50)
    assert search.value.ok
    expect(results.get_by_role("link", name=re.compile("李四"))).to_have_count(0)
    results.get_by_role("link", name=re.compile("张三")).click()

    expect(page).to_have_url(re.compile(r"/visits/new\?child=\d+$"))
    expect(page.locator("main h1")).to_have_text("家访:张三")
    expect(page.get_by_label("留守")).to_be_checked()  # from his record
    no_horizontal_scroll(page)
    page.get_by_label("祖辈").check()
    page.get_by_label("学生在场").check()
    page.get_by_label("了解到的情况").fill("与奶奶同住,作业按时完成,想念在外务工的父母。")
    page.get_by_role("button", name="保存家访").click()

    expect(page.get_by_text(re.compile("已保存"))).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "1")
    expect(page.get_by_text("本学年已家访 1 / 2 人")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_role("link", name="还有谁没访").click()
    expect(page).to_have_url(re.compile(r"/visits/$"))
    expect(page.locator(".visit-progress progress")).to_have_attribute("value", "1")
    assert console_errors == []
