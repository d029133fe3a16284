"""Signing in on the phone as a person does, for every browser test."""
import re
from datetime import UTC

from tests.county import PASSWORD, PIN, TOTP_SECRET
from webapp.auth.twofactor import TOTP
from webapp.models import User


def sign_in(page, username, clock=None):
    """Type the username and password (a pupil: her PIN); staff then type the code of their
    authenticator at the app's clock. Ends on the home page."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#secret", PIN if username.startswith("committee") else PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(login/second-factor)?$"))
    if page.url.endswith("/login/second-factor"):
        page.locator("input[name=code]").fill(TOTP(TOTP_SECRET).at(clock.now.replace(tzinfo=UTC)))
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))
        # The test clock stands still; a real code is good once per 30 s: forget the step.
        User.update(totp_last_step=0).where(User.username == username).execute()
