"""Every role's pages as she reaches them on her phone: signing in (with the second step for
staff) and the HTML pages the access matrix lets her open (tests/test_access_matrix.py) with an
object of her own side of the county: home, lists, dashboards, detail pages and create forms."""

from tests.test_access_matrix import OWN_SIDE_REFUSED, PUBLIC, ROUTES, USERS, _urls

# Not pages a person reads: sign-out and the steps of signing in (they change the session),
# files, and the offline shell's machinery.
NOT_PAGES = {"auth.logout", "twofactor.verify", "twofactor.enrol", "static", "pages.healthz",
             "pwa.manifest", "pwa.service_worker", "pwa.outbox_session", "inbox.badge"}


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
