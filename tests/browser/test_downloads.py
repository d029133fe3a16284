"""Every download link of every role saves a file on a 360 px phone.

The body is boosted by htmx: a boosted link to a workbook would be fetched by htmx and its bytes
swapped into the page ("PK…") instead of saved. Each link to an .xlsx below must give the browser
a download whose suggested name ends with .xlsx.
"""
import re

import pytest

from .signing import sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

WORKBOOK_LINKS = 'main a[href*=".xlsx"]'


def pages_with_downloads(county):
    """Each role's pages that offer a workbook, as she reaches them."""
    zone, school, c41 = county.zones[0].id, county.schools[0].id, county.classes.c41.id
    worker, child = county.users.worker1.id, county.kids.zhang_san.id
    dashboards = ["/dashboard/", f"/dashboard/zone/{zone}", f"/dashboard/school/{school}",
                  f"/dashboard/class/{c41}", "/dashboard/villages"]
    visits = [f"/visits/class/{c41}", f"/visits/class/{c41}/register"]
    imports = ["/admin/import/children", "/admin/import/users"]
    return {
        "county": dashboards + visits + imports + ["/audit/", f"/village/worklog?worker={worker}",
                                                   f"/children/{child}"],
        "zone1": dashboards[:4] + ["/dashboard/villages", f"/village/worklog?worker={worker}"] + visits,
        "principal1": ["/dashboard/", f"/dashboard/school/{school}", f"/dashboard/class/{c41}"] + visits + imports,
        "counselor1": visits,
        "head1": visits,
        "worker1": ["/village/worklog"],
    }


@pytest.mark.parametrize("username", ["county", "zone1", "principal1", "counselor1", "head1", "worker1"])
def test_every_download_link_saves_a_workbook(page, county, clock, console_errors, username):
    sign_in(page, username, clock)
    saved = []
    for path in pages_with_downloads(county)[username]:
        page.goto(path)
        links = page.locator(WORKBOOK_LINKS)
        assert links.count() >= 1, f"{path} offers no workbook"
        for index in range(links.count()):
            link = links.nth(index)
            href = link.get_attribute("href")
            link.scroll_into_view_if_needed()
            with page.expect_download(timeout=5_000) as download:
                link.click()
            name = download.value.suggested_filename
            assert name.endswith(".xlsx"), f"{path} {href}: {name}"
            saved.append(href)
            # The page is still the page: nothing was swapped into it.
            assert urlsplit_path(page.url) == urlsplit_path(path)
            expect(page.locator("main")).not_to_contain_text("PK")
    assert saved
    assert not console_errors


def urlsplit_path(url):
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0]
