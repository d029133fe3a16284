"""Bytes over the wire for a phone: first visits (HTML + every asset) and a later page's HTML.

Run by hand from the repository root: `python3 bench/page_weight.py`. It loads the demo county
into a throwaway SQLite database and fetches pages with Flask's test client. Bodies are gzipped
at level 6, as the reverse proxy (nginx `gzip on; gzip_comp_level 6`) sends them; the app itself
does not compress. Budget (DESIGN.md §6): a first visit to a form page ≤ 60 KB in all, a later
page's HTML usually < 10 KB.
"""
import gzip
import os
import re
import sys
import tempfile
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from webapp import create_app  # noqa: E402
from webapp.config import DemoConfig  # noqa: E402
from webapp.demo.county import STAFF_PASSWORD, load_demo_county  # noqa: E402
from webapp.migrate import upgrade  # noqa: E402

FIRST_VISIT_BUDGET = 60 * 1024
LATER_PAGE_BUDGET = 10 * 1024
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHILD_LINK = re.compile(r"/children/\d+")


class Assets(HTMLParser):
    """What a browser fetches for a page: stylesheets, scripts, icons, manifest, images."""

    FETCHED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and set((attrs.get("rel") or "").split()) & self.FETCHED_LINKS:
            self.urls.append(attrs.get("href"))
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def gzipped(body):
    return len(gzip.compress(body, compresslevel=6))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.get_data()


def weigh(client, url, with_assets=True):
    """[(resource, raw bytes, gzipped bytes)] for the page and, on a first visit, its assets."""
    html = fetch(client, url)
    rows = [(url, len(html), gzipped(html))]
    if with_assets:
        parser = Assets()
        parser.feed(html.decode("utf-8"))
        for asset in dict.fromkeys(u for u in parser.urls if u and u.startswith("/")):
            body = fetch(client, asset)
            rows.append((asset, len(body), gzipped(body)))
    return rows


def verdict(size, budget):
    return f"({size / 1024:.1f} KB, {'within' if size <= budget else 'OVER'} {budget // 1024} KB)"


def print_table(title, rows, budget=None, row_budget=None):
    print(f"\n{title}")
    print(f"  {'resource':<44} {'raw B':>8} {'gzip B':>8}")
    for name, raw, packed in rows:
        note = verdict(packed, row_budget) if row_budget else ""
        print(f"  {name:<44} {raw:>8} {packed:>8}  {note}".rstrip())
    if budget:
        total_raw, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
        print(f"  {'total':<44} {total_raw:>8} {total:>8}  {verdict(total, budget)}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(DemoConfig, DATABASE_URL=f"sqlite:///{tmp}/bench.db", ARGON2_PROFILE="test")
        with app.app_context():
            upgrade()
            load_demo_county()
        print("Bytes a phone downloads; gzip -6 as the reverse proxy compresses (the app does not).")
        anonymous = app.test_client()
        print_table("First visit: /login", weigh(anonymous, "/login"), FIRST_VISIT_BUDGET)

        staff = app.test_client()
        token = TOKEN.search(fetch(staff, "/login").decode()).group(1)
        form = {"username": "head1", "secret": STAFF_PASSWORD, "csrf_token": token}
        signed_in = staff.post("/login", data=form)
        assert signed_in.status_code == 302, "head1 could not sign in"
        print_table("First visit, signed in as head1: /children/", weigh(staff, "/children/"),
                    FIRST_VISIT_BUDGET)
        child_url = CHILD_LINK.search(fetch(staff, "/children/").decode()).group(0)
        later = [row for url in ("/", child_url) for row in weigh(staff, url, with_assets=False)]
        print_table("Later pages, HTML only (assets cached)", later, row_budget=LATER_PAGE_BUDGET)


if __name__ == "__main__":
    main()
