"""Over HTTPS the browser is told to stay on HTTPS (HSTS), and a form posted from another site is
refused even when it carries a valid CSRF token (Origin, else Referer). Plain HTTP (the demo on a
laptop) is left as it was."""
import uuid

import pytest

from webapp import create_app
from webapp.config import TestConfig
from webapp.models import Concern

from .conftest import Browser

HTTPS = "https://localhost"
HSTS = "max-age=31536000; includeSubDomains"
CSRF_REFUSED = "表单已过期"


class SecureBrowser(Browser):
    """A browser on https://localhost that sends what a browser sends with a same-origin form:
    Origin and Referer (Referrer-Policy: same-origin keeps it), unless a test says otherwise."""

    def get(self, url, **kwargs):
        return super().get(url, base_url=HTTPS, **kwargs)

    def post(self, url, data=None, csrf=True, headers=None, **kwargs):
        sent = {"Origin": HTTPS, "Referer": HTTPS + url}
        sent.update(headers or {})
        sent = {name: value for name, value in sent.items() if value is not None}
        return super().post(url, data, csrf=csrf, headers=sent, base_url=HTTPS, **kwargs)


def sign_in(browser, headers=None):
    browser.get("/login")
    return browser.post("/login", {"username": "head1", "secret": "xinqiao-test-pw"}, headers=headers)


def test_hsts_is_sent_over_https_and_never_over_http(county, app):
    client = app.test_client()
    assert client.get("/login", base_url=HTTPS).headers["Strict-Transport-Security"] == HSTS
    assert client.get("/healthz", base_url=HTTPS).headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in client.get("/login").headers
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_hsts_follows_the_proxy_when_it_says_https(_schema, clock, county):
    behind_nginx = create_app(TestConfig, DATABASE_URL=_schema, CLOCK=clock, PROXY_COUNT=1).test_client()
    secure = behind_nginx.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"] == HSTS
    plain = behind_nginx.get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers


def test_a_same_origin_form_over_https_is_accepted(county, app):
    response = sign_in(SecureBrowser(app.test_client()))
    assert response.status_code == 302 and response.headers["Location"] != "/login"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost", "https://localhost:8443", "null"])
def test_a_cross_origin_post_over_https_is_refused_even_with_a_valid_token(county, app, origin):
    browser = SecureBrowser(app.test_client())
    response = sign_in(browser, headers={"Origin": origin})
    assert response.status_code == 400 and CSRF_REFUSED in response.get_data(as_text=True)
    assert browser.get("/").headers["Location"] == "/login"  # not signed in


def test_without_origin_the_referer_decides_over_https(county, app):
    """What Flask-WTF's WTF_CSRF_SSL_STRICT already did, and still does when Origin is absent."""
    cross = sign_in(SecureBrowser(app.test_client()), headers={"Origin": None, "Referer": "https://evil.example/x"})
    assert cross.status_code == 400 and CSRF_REFUSED in cross.get_data(as_text=True)
    missing = sign_in(SecureBrowser(app.test_client()), headers={"Origin": None, "Referer": None})
    assert missing.status_code == 400
    same = sign_in(SecureBrowser(app.test_client()), headers={"Origin": None})
    assert same.status_code == 302


def test_the_offline_outbox_replay_passes_over_https(county, app):
    """app.js replays a concern with fetch: the token in X-CSRFToken, the browser adds its own
    Origin (the page's) and Referer."""
    browser = SecureBrowser(app.test_client())
    sign_in(browser)
    token = browser.get("/session/outbox", headers={"X-Outbox": "1"}).get_json()["csrf_token"]
    child = county.kids.zhang_san
    response = browser.post(f"/concerns/new?child={child.id}", {
        "urgency": "soon", "description": "连续三天没来上学", "client_uuid": str(uuid.uuid4()),
        "made_at": "2026-11-18T01:58:00Z",
    }, csrf=False, headers={"X-CSRFToken": token, "X-Outbox": "1", "Referer": HTTPS + "/sw.js"})
    assert response.status_code in (200, 302), response.get_data(as_text=True)[-800:]
    assert Concern.select().where(Concern.child == child).count() == 1


def test_plain_http_is_unchanged(county, app):
    """The demo on a laptop: no Origin or Referer rule over HTTP."""
    browser = Browser(app.test_client())
    browser.get("/login")
    response = browser.post("/login", {"username": "head1", "secret": "xinqiao-test-pw"},
                            headers={"Origin": "http://192.168.1.20:5000"})
    assert response.status_code == 302
