"""A live server for the test app, and a phone-sized Chromium page (Playwright, Debian's chromium).

Without /usr/bin/chromium these tests skip, unless CI is set: there a missing browser fails.
"""
import os
import threading
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
# As root in a sandbox with no network: no sandboxing of its own, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
    "device_scale_factor": 2, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
}
# Console messages are collected here; violations of the page's CSP are reported through it too.
REPORT_CSP = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));"""


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (apt-get install chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM} (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, county):
    """The test app on 127.0.0.1 and a free port, in a thread; its requests open their own
    database connections, and the county above was committed before the first one."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


# Pages name their icon (static/icon.svg); no 4xx is tolerated.
IGNORED_PATHS = ()


class ConsoleLog(list):
    """Console errors, uncaught page errors, CSP violations and failed requests of a test."""

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        # A failed load is logged without its URL; _response reports it with one.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and urlsplit(response.url).path not in IGNORED_PATHS:
            self.append(f"HTTP {response.status}: {response.request.method} {response.url}")


@pytest.fixture
def console_errors():
    return ConsoleLog()


@pytest.fixture
def page(chromium, live_server, console_errors):
    """A fresh phone (360×740, touch, zh-CN) pointed at the live server."""
    context = chromium.new_context(base_url=live_server, **PHONE)
    context.add_init_script(REPORT_CSP)
    context.set_default_timeout(10_000)
    phone_page = context.new_page()
    console_errors.watch(phone_page)
    yield phone_page
    context.close()
