"""A cheap phone on slow 3G in the village, measured in headless Chromium (run by hand; figures
are printed, nothing is asserted).

Serves the demo county (gzip as the reverse proxy would), signs in as head1 on a 360 px phone,
then with CDP's CPU throttling ×4 (Emulation.setCPUThrottlingRate) and a slow-3G profile
(Network.emulateNetworkConditions: 400 ms latency, 400 kbit/s down and up) times, from the tap
to a usable form (its save button on screen, the child's name filled in):
- the roster (/visits/new) and a child's form (/visits/new?child=…), on the first visit, on a
  later visit, and offline (a child whose form was never opened: the form's kept copy);
- the whole flow: a visit logged offline → back in signal → stored on the server.
Also prints the answer Chromium gave to navigator.storage.persist().

The service worker's own fetches are not the page's: its target gets the same network
emulation through the browser's CDP session (see worker_session).

    python3 bench/offline_phone.py
"""
import gzip
import json
import os
import sys
import tempfile
import threading
import time

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from webapp import create_app  # noqa: E402
from webapp.config import DemoConfig  # noqa: E402
from webapp.db import db  # noqa: E402
from webapp.demo.county import load_demo_county  # noqa: E402
from webapp.migrate import upgrade  # noqa: E402
from webapp.models import HomeVisit  # noqa: E402

LATENCY_MS = 400
KBIT_PER_S = 400
BYTES_PER_S = KBIT_PER_S * 1000 / 8
CPU_SLOWDOWN = 4
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json",
                "image/svg+xml")
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


class Gzip:
    """WSGI: gzip -6 on text responses, as the reverse proxy would send them."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(self.app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        kind = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and kind.startswith(COMPRESSIBLE) and body:
            body = gzip.compress(body, 6)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]


def throttle(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    cdp.send("Network.enable")
    signal(page, cdp, True)
    return cdp


WORKERS = {}  # the service worker's CDP session: its fetches are not the page's


def worker_session(browser):
    """Attach to the service worker's target through the browser's CDP session, so its own
    network (the pages it fetches for the page) is throttled too."""
    if WORKERS:
        return WORKERS["session"]
    session = browser.new_browser_cdp_session()
    targets = session.send("Target.getTargets")["targetInfos"]
    worker = next((t for t in targets if t["type"] == "service_worker"), None)
    if worker is None:
        return None
    attached = session.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})
    WORKERS.update(session=(session, attached["sessionId"]), n=0)
    return WORKERS["session"]


def to_worker(browser, method, params):
    found = worker_session(browser)
    if found:
        session, session_id = found
        WORKERS["n"] += 1
        message = {"id": WORKERS["n"], "method": method, "params": params}
        session.send("Target.sendMessageToTarget", {"sessionId": session_id, "message": json.dumps(message)})


def signal(page, cdp, on):
    """Slow 3G, or none at all (this session's emulation would otherwise override Playwright's
    offline switch); the page's and the service worker's alike."""
    page.context.set_offline(not on)
    conditions = {"offline": not on, "latency": LATENCY_MS,
                  "downloadThroughput": BYTES_PER_S, "uploadThroughput": BYTES_PER_S}
    cdp.send("Network.emulateNetworkConditions", conditions)
    to_worker(page.context.browser, "Network.enable", {})
    to_worker(page.context.browser, "Network.emulateNetworkConditions", conditions)


def timed(page, tap, ready):
    """Milliseconds from `tap()` until the locator `ready` is visible."""
    started = time.perf_counter()
    tap()
    ready.wait_for(state="visible", timeout=120_000)
    return (time.perf_counter() - started) * 1000


def tap_link(page, selector):
    return lambda: page.locator(selector).first.click()


def roster_ready(page):
    return page.locator("#q")


def form_ready(page, name):
    return page.locator("h1", has_text=name).locator("xpath=..").locator("form[data-create] button[type=submit]")


def demo_children(app):
    with app.app_context():
        rows = db.execute_sql(
            "SELECT c.id, c.name FROM child c JOIN class_teacher t ON t.school_class_id = c.school_class_id "
            "JOIN user u ON u.id = t.user_id WHERE u.username = 'head1' ORDER BY c.id LIMIT 3").fetchall()
    return rows


def wait_until_kept(page, url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kept = page.evaluate("""(url) => caches.match(url).then((r) => !!r)""", url)
        if kept:
            return True
        page.wait_for_timeout(250)
    return False


def main():
    folder = tempfile.mkdtemp()
    app = create_app(DemoConfig, DATABASE_URL="sqlite:///" + os.path.join(folder, "phone.db"))
    with app.app_context():
        upgrade()
        load_demo_county()
    (first_id, first_name), (second_id, second_name), (third_id, third_name) = demo_children(app)
    server = make_server("127.0.0.1", 0, Gzip(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    figures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        context = browser.new_context(base_url=base, **PHONE)
        page = context.new_page()
        page.goto("/login")  # signing in is not timed; the service worker installs meanwhile
        page.fill("#username", "head1")
        page.fill("#secret", "xinqiao-demo")
        page.click("form button[type=submit]")
        page.wait_for_url(base + "/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        cdp = throttle(page)
        home_link = "a[href='/visits/new']"

        figures.append(("roster, online, first visit", timed(page, tap_link(page, home_link), roster_ready(page))))
        kept = wait_until_kept(page, base + "/visits/new?child=")
        figures.append(("child's form, online, first visit",
                        timed(page, tap_link(page, f"a[data-child='{first_id}']"), form_ready(page, first_name))))
        page.goto("/")
        figures.append(("roster, online, later visit", timed(page, tap_link(page, home_link), roster_ready(page))))
        figures.append(("child's form, online, later visit",
                        timed(page, tap_link(page, f"a[data-child='{first_id}']"), form_ready(page, first_name))))

        page.goto("/")
        signal(page, cdp, False)
        figures.append(("roster, offline", timed(page, tap_link(page, home_link), roster_ready(page))))
        figures.append(("child's form, offline, never opened",
                        timed(page, tap_link(page, f"a[data-child='{second_id}']"), form_ready(page, second_name))))
        page.locator("input[name=received_by][value=grandparent]").check()
        page.locator("textarea[name=findings]").fill("与奶奶同住,学习用品齐全。")
        page.locator("form[data-create] button[type=submit]").click()
        try:
            page.get_by_text("已保存在本机").wait_for(timeout=60_000)
        except Exception:
            page.screenshot(path="/tmp/offline_phone_failed.png")
            print(figures, page.url)
            raise
        persisted = page.evaluate("localStorage.getItem('xinqiao-persist')")
        with app.app_context():
            before = HomeVisit.select().where(HomeVisit.child == second_id).count()

        started = time.perf_counter()
        signal(page, cdp, True)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        stored = None
        while time.perf_counter() - started < 120:
            with app.app_context():
                if HomeVisit.select().where(HomeVisit.child == second_id).count() > before:
                    stored = (time.perf_counter() - started) * 1000
                    break
            time.sleep(0.05)
        browser.close()
    server.shutdown()

    print(f"Chromium, CPU ×{CPU_SLOWDOWN}, slow 3G ({LATENCY_MS} ms, {KBIT_PER_S} kbit/s down and up), 360 px; "
          f"head1 of the demo county ({third_name} and others on her roster)")
    for label, ms in figures:
        print(f"  tap → usable form: {label:38s} {ms:7.0f} ms")
    print(f"  visit logged offline → back in signal → stored: {stored:7.0f} ms" if stored is not None
          else "  visit logged offline → back in signal → stored: not stored within 120 s")
    print(f"  form copies kept with the roster: {'yes' if kept else 'NO'}")
    print(f"  navigator.storage.persist() answered: {persisted}")


if __name__ == "__main__":
    main()
