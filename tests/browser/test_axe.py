"""axe-core (the copy inside the axe-playwright-python test dependency, never shipped to users)
on every role's pages and create forms in Chromium at 360 px: no violation. Each page also has a
<meta name="description"> (a Lighthouse audit, not an axe rule).

All of axe's default rules run (WCAG 2.x A/AA and best practices), plus the experimental
label-content-name-mismatch that Lighthouse runs: the bell's name must contain the count it shows.
"""
import pytest

from tests.test_access_matrix import USERS

from .role_pages import role_pages
from .signing import sign_in

pytestmark = pytest.mark.browser
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
# Pages a visitor opens before signing in.
VISITOR_PAGES = ["/login", "/help", "/offline", "/login/unlock"]
DESCRIPTION = "document.querySelector('meta[name=description]')?.content.trim() || ''"


def problems_of(page, axe):
    page.wait_for_load_state("networkidle")  # the bell's count comes in by htmx
    found = []
    for violation in axe.run(page, options=OPTIONS).response["violations"]:
        nodes = "; ".join(node["html"][:120] for node in violation["nodes"][:3])
        found.append(f"{page.url}: {violation['id']} ×{len(violation['nodes'])}: {nodes}")
    if not page.evaluate(DESCRIPTION):
        found.append(f"{page.url}: no meta description")
    return found


@pytest.mark.parametrize("role", list(USERS))
def test_axe_finds_nothing_on_any_page_of_any_role(page, app, world, login_as, clock, role):
    urls = role_pages(app, world, login_as, role)
    sign_in(page, USERS[role], clock)
    axe, problems = Axe(), []
    for url in urls:
        page.goto(url)
        problems += problems_of(page, axe)
    assert problems == [], f"{len(problems)} problems on {len(urls)} pages:\n" + "\n".join(problems)


def test_axe_finds_nothing_on_the_pages_before_signing_in(page, county):
    axe, problems = Axe(), []
    for url in VISITOR_PAGES:
        response = page.goto(url)
        assert response.ok, url
        problems += problems_of(page, axe)
    assert problems == [], "\n".join(problems)
