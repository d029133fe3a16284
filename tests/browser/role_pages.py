"""Every role's pages as she reaches them on her phone: signing in (with the second step for
staff) and the HTML pages the access matrix lets her open (tests/test_access_matrix.py) with an
object of her own side of the county: home, lists, dashboards, detail pages and create forms."""
import re
from datetime import UTC

from tests.county import PASSWORD, PIN, TOTP_SECRET
from tests.test_access_matrix import OWN_SIDE_REFUSED, PUBLIC, ROUTES, USERS, _urls
from webapp.auth.twofactor import TOTP
from webapp.models import User

# Not pages a person reads: sign-out and the steps of signing in (they change the session),
# files, and the offline shell's machinery.
NOT_PAGES = {"auth.logout", "twofactor.verify", "twofactor.enrol", "static", "pages.healthz",
             "pwa.manifest", "pwa.service_worker", "pwa.outbox_session", "inbox.badge"}


def sign_in(page, username, clock):
    """Sign in as a person does; staff type the code of their authenticator (at the app's clock)."""
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


def role_pages(app, world, login_as, role):
    """The URLs of every HTML page `role` may open (GET), her home first."""
    own, _other, own_for = world
    client = login_as(USERS[role])
    urls = ["/"]
    for endpoint, allowed in sorted(ROUTES.items()):
        if endpoint in NOT_PAGES or allowed != PUBLIC and role not in allowed:
            continue
        if (endpoint, role) in OWN_SIDE_REFUSED:
            continue
        for url, method, _ in _urls(app, endpoint, {**own, **own_for.get(role, {})}):
            if method != "GET" or url in urls:
                continue
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                urls.append(url)
    return urls
