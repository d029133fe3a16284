"""The county reads its failed alerts (发送失败的提醒) on a 360 px phone, and opens the concern
whose escalation says it went on to the zone and the county."""
import re
from datetime import UTC, timedelta

import pytest

from tests.county import PASSWORD, TOTP_SECRET
from webapp.auth.twofactor import TOTP
from webapp.models import OutboundMessage
from webapp.safeguarding.concerns import raise_concern
from webapp.safeguarding.tick import run_tick

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_the_county_sees_failed_alerts_on_its_phone(app, county, page, console_errors, clock):
    with app.app_context():
        concern, _ = raise_concern(county.kids.zhang_san, county.users.head1, "urgent", "说不想活了",
                                   made_at=clock.now, client_uuid="browser-failed-alerts")
        OutboundMessage.create(channel="email", recipient="x@example.org", subject="s", body="b",
                               attempts=10, failure="deferred", last_attempt_at=clock.now,
                               next_attempt_at=clock.now + timedelta(minutes=30))
        OutboundMessage.create(channel="wecom", subject="s", body="b", attempts=2, failure="server_error",
                               last_attempt_at=clock.now, next_attempt_at=clock.now + timedelta(hours=2))
        clock.advance(minutes=31)
        run_tick()
    page.goto("/login")
    page.fill("#username", "county")
    page.fill("#secret", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/second-factor$"))
    page.locator("input[name=code]").fill(TOTP(TOTP_SECRET).at(clock.now.replace(tzinfo=UTC)))
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))

    section = page.locator("#failed-alerts")
    expect(section.locator("h2")).to_have_text("发送失败的提醒")
    expect(section).to_contain_text("已停止重试")
    expect(section).to_contain_text("对方服务器出错")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        Axe = None
    if Axe is not None:
        result = Axe().run(page, context="#failed-alerts")
        assert result.response["violations"] == []

    page.goto(f"/concerns/{concern.id}")
    expect(page.locator("dl.facts")).to_contain_text("未及时确认，已上报片区和县级")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not console_errors
