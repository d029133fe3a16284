"""A principal reads her school's dashboard (看板) on a 360 px phone: SVG charts, tables that scroll."""
import re
from datetime import UTC

import pytest

from tests.county import PASSWORD, TOTP_SECRET
from webapp.auth.twofactor import TOTP

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_a_principal_reads_her_dashboard_on_her_phone(page, console_errors, clock):
    page.goto("/login")
    page.fill("#username", "principal1")
    page.fill("#secret", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/second-factor$"))
    page.locator("input[name=code]").fill(TOTP(TOTP_SECRET).at(clock.now.replace(tzinfo=UTC)))
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.locator('a[href="/dashboard/"]').click()
    expect(page.locator("main h1")).to_contain_text("看板 · 渠县第一小学")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # wide tables scroll inside their card
    page.locator("main table a", has_text="4-1").first.click()
    expect(page.locator("main h1")).to_contain_text("渠县第一小学 4-1")
    assert not console_errors
