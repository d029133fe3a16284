"""The key groups on a 360 px phone: a psychology teacher marks a problem family on the child's
page, then filters the children list by it."""
import re
from datetime import UTC

import pytest

from tests.county import PASSWORD, TOTP_SECRET
from webapp.auth.twofactor import TOTP

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def no_axe_violations(page, context):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return
    result = Axe().run(page, context=context)
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]


def test_mark_a_problem_family_and_filter_the_list_at_360px(county, page, console_errors, clock):
    page.goto("/login")
    page.fill("#username", "counselor1")
    page.fill("#secret", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/second-factor$"))
    page.locator("input[name=code]").fill(TOTP(TOTP_SECRET).at(clock.now.replace(tzinfo=UTC)))
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto(f"/children/{county.kids.li_si.id}")
    no_axe_violations(page, "main")
    page.get_by_role("button", name="标记为问题家庭").click()
    expect(page.locator("main")).to_contain_text("已标记为问题家庭")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto("/children/")
    no_axe_violations(page, "main")
    page.select_option("#group", "problem_family")
    expect(page.locator("#results strong")).to_have_text(["李四"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert console_errors == []
