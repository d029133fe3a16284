"""The pages the access matrix renders (tests/test_access_matrix.py): every route, for every role
allowed on it, with an object of her own side; a POST without its fields gives its 422 page.
For tests that check something of every page."""
from .test_access_matrix import OWN_SIDE_REFUSED, PUBLIC, ROUTES, USERS, _ask, _urls

SKIPPED = ("auth.logout", "twofactor.verify", "twofactor.enrol")  # they change the shared session


def rendered_pages(app, world, login_as):
    """(description, html) of every HTML page the matrix gets for an allowed role."""
    own, _other, own_for = world
    browsers = {role: login_as(username) for role, username in USERS.items()}
    for endpoint, allowed in sorted(ROUTES.items()):
        if endpoint in SKIPPED:
            continue
        for role in USERS:
            if allowed != PUBLIC and role not in allowed or (endpoint, role) in OWN_SIDE_REFUSED:
                continue
            for url, method, _ in _urls(app, endpoint, {**own, **own_for.get(role, {})}):
                response = _ask(browsers[role], method, url)
                if response.mimetype == "text/html":
                    yield f"{role} {method} {url} ({response.status_code})", response.get_data(as_text=True)
