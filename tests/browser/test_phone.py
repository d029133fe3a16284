"""A head teacher on a 360 px phone: signs in, finds 张三 by typing "zs", opens his page."""
import re

import pytest

from tests.county import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide on a 360 px phone"


def test_a_head_teacher_finds_a_child_by_pinyin_initials_on_her_phone(page, console_errors):
    page.goto("/login")
    no_horizontal_scroll(page)
    page.fill("#username", "head1")
    page.fill("#secret", PASSWORD)
    page.locator("form button[type=submit]").click()

    # The Chinese home page, with the bottom navigation.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    nav = page.locator("nav.bottom-nav")
    expect(nav).to_be_visible()
    no_horizontal_scroll(page)

    nav.locator('a[href="/children/"]').click()
    expect(page).to_have_url(re.compile(r"/children/$"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name=re.compile("李四"))).to_be_visible()
    no_horizontal_scroll(page)

    # Live search: typing sends an htmx POST and swaps the results in place.
    with page.expect_response(
        lambda r: r.url.endswith("/children/") and r.request.method == "POST"
    ) as search:
        page.locator("#q").press_sequentially("zs", delay=50)
    assert search.value.ok
    expect(results.get_by_role("link", name=re.compile("李四"))).to_have_count(0)
    zhang_san = results.get_by_role("link", name=re.compile("张三"))
    expect(zhang_san).to_be_visible()

    zhang_san.click()
    expect(page).to_have_url(re.compile(r"/children/\d+$"))
    expect(page.locator("main h1")).to_have_text("张三")
    no_horizontal_scroll(page)

    assert console_errors == []
