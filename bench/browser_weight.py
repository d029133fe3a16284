"""Bytes a phone really downloads for a form page, measured in headless Chromium (run by hand).

Serves the demo county with gzip as the reverse proxy would compress it, signs in as head1,
then opens /visits/new twice: with an empty cache (first visit) and again (second visit, the
service worker and HTTP cache in place). Prints the compressed bytes transferred each time.

    python3 bench/browser_weight.py
"""
import gzip
import os
import sys
import tempfile
import threading

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from webapp import create_app  # noqa: E402
from webapp.config import DemoConfig  # noqa: E402
from webapp.db import db  # noqa: E402
from webapp.demo.county import load_demo_county  # noqa: E402
from webapp.migrate import upgrade  # noqa: E402

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json",
                "image/svg+xml")


SENT = {"bytes": 0, "responses": 0}  # what the server put on the wire (the service worker's fetches too)


def gzip_middleware(app):
    """gzip -6 on text responses, like nginx's `gzip on; gzip_comp_level 6`."""
    def wrapped(environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        kind = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and kind.startswith(COMPRESSIBLE) and body:
            body = gzip.compress(body, 6)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        SENT["bytes"] += len(body)
        SENT["responses"] += 1
        start_response(captured["status"], headers)
        return [body]
    return wrapped


def transferred(page, url):
    """Compressed body bytes the server sent while `url` loaded (page and service worker)."""
    SENT.update(bytes=0, responses=0)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return SENT["bytes"], SENT["responses"]


def main():
    folder = tempfile.mkdtemp()
    app = create_app(DemoConfig, DATABASE_URL="sqlite:///" + os.path.join(folder, "weight.db"))
    with app.app_context():
        upgrade()
        load_demo_county()
        child = db.execute_sql(
            "SELECT c.id FROM child c JOIN class_teacher t ON t.school_class_id = c.school_class_id "
            "JOIN user u ON u.id = t.user_id WHERE u.username = 'head1' LIMIT 1").fetchone()[0]
    server = make_server("127.0.0.1", 0, gzip_middleware(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(base + "/login")
        page.fill("#username", "head1")
        page.fill("#secret", "xinqiao-demo")
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")
        page.evaluate("navigator.serviceWorker.getRegistrations()"
                      ".then((rs) => Promise.all(rs.map((r) => r.unregister())))")
        page.evaluate("caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))))")
        url = f"{base}/visits/new?child={child}"
        first, first_count = transferred(page, url)
        page.wait_for_timeout(1000)  # the service worker installs and keeps the shell
        second, second_count = transferred(page, url)
        browser.close()
    server.shutdown()
    print(f"/visits/new first visit : {first:6d} B compressed over the wire ({first_count} responses)")
    print(f"/visits/new second visit: {second:6d} B compressed over the wire ({second_count} responses)")


if __name__ == "__main__":
    main()
