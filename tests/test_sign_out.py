"""Signing out ends the session on the server: after sign-out, idle expiry, a password change
(own or by an administrator), a second-factor reset, deactivation or "sign out everywhere",
neither the old session cookie nor the old remember cookie (记住我) opens any page, even
replayed from another browser. Another phone of the same person stays signed in."""
from datetime import timedelta

import pytest

from webapp.models import SignIn

from .conftest import Browser
from .county import PASSWORD

NEW_PASSWORD = "渠江边的老槐树2026"


def _cookies(browser):
    """The browser's session and remember cookies, as a thief would copy them."""
    jar = {}
    for name in ("session", "remember_token"):
        cookie = browser.client.get_cookie(name)
        if cookie is not None:
            jar[name] = cookie.value
    return jar


def _replay(app, name, value):
    """Another browser holding only one copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief.get("/children/")


def _assert_each_cookie_is_dead(app, cookies):
    assert set(cookies) == {"session", "remember_token"}
    for name, value in cookies.items():
        response = _replay(app, name, value)
        assert response.status_code == 302 and response.headers["Location"] == "/login", name


def _signed_in_remembered(app, username):
    phone = Browser(app.test_client())
    assert phone.login(username, remember=True, follow=False).status_code == 302
    assert phone.get("/children/").status_code == 200
    cookies = _cookies(phone)
    # Each copied cookie opens the pages on its own before the event.
    for name, value in cookies.items():
        assert _replay(app, name, value).status_code == 200, name
    return phone, cookies


def test_signing_out_deletes_the_remember_cookie_and_ends_both_cookies(county, app):
    phone, cookies = _signed_in_remembered(app, "head1")
    out = phone.logout()
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    deleted = [c for c in out.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert deleted and "Expires=Thu, 01 Jan 1970" in deleted[0]
    assert phone.get("/children/").headers["Location"] == "/login"
    _assert_each_cookie_is_dead(app, cookies)


def test_a_second_phone_stays_signed_in_when_the_first_signs_out(county, app):
    first, first_cookies = _signed_in_remembered(app, "head1")
    second, second_cookies = _signed_in_remembered(app, "head1")
    first.logout()
    _assert_each_cookie_is_dead(app, first_cookies)
    assert second.get("/children/").status_code == 200
    for name, value in second_cookies.items():
        assert _replay(app, name, value).status_code == 200, name


def test_idle_expiry_ends_both_cookies(county, app, clock):
    # A role with an idle limit that may also be remembered (pupils never are).
    app.config["IDLE_TIMEOUT"] = {**app.config["IDLE_TIMEOUT"], "head_teacher": timedelta(minutes=15)}
    phone, cookies = _signed_in_remembered(app, "head1")
    clock.advance(minutes=16)
    assert phone.get("/children/").headers["Location"] == "/login"
    assert phone.get("/children/").headers["Location"] == "/login"  # the remember cookie is gone too
    _assert_each_cookie_is_dead(app, cookies)


def test_a_pupils_idle_session_is_ended_on_the_server(county, app, clock):
    pupil = Browser(app.test_client())
    pupil.login("committee1")
    clock.advance(minutes=16)
    assert pupil.get("/").headers["Location"] == "/login"
    assert SignIn.select().where(SignIn.user == county.users.committee1.id).count() == 0


def test_an_administrators_password_reset_ends_both_cookies(county, app, login_as):
    phone, cookies = _signed_in_remembered(app, "head1")
    admin = login_as("county")
    url = f"/admin/users/{county.users.head1.id}/secret"
    admin.get(url)
    assert admin.post(url, {"secret": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert phone.get("/children/").headers["Location"] == "/login"
    _assert_each_cookie_is_dead(app, cookies)


def test_changing_ones_own_password_ends_the_old_cookies_but_not_this_browser(county, app):
    phone, cookies = _signed_in_remembered(app, "county")
    other_phone, other_cookies = _signed_in_remembered(app, "county")
    url = f"/admin/users/{county.users.county.id}/secret"
    phone.get(url)
    assert phone.post(url, {"secret": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    _assert_each_cookie_is_dead(app, cookies)
    _assert_each_cookie_is_dead(app, other_cookies)
    assert other_phone.get("/children/").headers["Location"] == "/login"
    # The browser that made the change carries new cookies and stays in.
    assert phone.get("/children/").status_code == 200
    renewed = _cookies(phone)
    assert renewed["session"] != cookies["session"]
    assert renewed["remember_token"] != cookies["remember_token"]
    assert _replay(app, "remember_token", renewed["remember_token"]).status_code == 200


def test_a_second_factor_reset_ends_both_cookies(county, app, login_as):
    phone, cookies = _signed_in_remembered(app, "counselor1")
    admin = login_as("county")
    admin.get(f"/admin/users/{county.users.counselor1.id}")
    admin.post(f"/admin/users/{county.users.counselor1.id}/reset-second-factor")
    assert phone.get("/children/").headers["Location"] == "/login"
    _assert_each_cookie_is_dead(app, cookies)


def test_signing_out_everywhere_ends_both_cookies(county, app, login_as):
    phone, cookies = _signed_in_remembered(app, "head1")
    admin = login_as("county")
    admin.get(f"/admin/users/{county.users.head1.id}")
    admin.post(f"/admin/users/{county.users.head1.id}/sign-out")
    _assert_each_cookie_is_dead(app, cookies)


def test_old_cookies_stay_dead_when_a_deactivated_account_comes_back(county, app, login_as):
    phone, cookies = _signed_in_remembered(app, "head1")
    user = county.users.head1
    admin = login_as("county")
    url = f"/admin/users/{user.id}"
    admin.get(url)
    form = {"username": user.username, "display_name": user.display_name, "role": "head_teacher",
            "school": str(user.school_id)}
    assert admin.post(url, form).status_code == 302  # "active" unticked: deactivated
    admin.get(url)
    assert admin.post(url, {**form, "active": "y"}).status_code == 302
    assert phone.get("/children/").headers["Location"] == "/login"
    _assert_each_cookie_is_dead(app, cookies)


@pytest.mark.parametrize("forged_id", ["{id}:1", "{id}:2", "{id}", "{id}:"])
def test_a_cookie_signed_with_the_key_but_without_a_sign_in_opens_nothing(county, app, forged_id):
    """The id Flask-Login keeps carries a random token of a live sign-in, not a counter."""
    serializer = app.session_interface.get_signing_serializer(app)
    forged = serializer.dumps({"_user_id": forged_id.format(id=county.users.county.id), "_fresh": True})
    response = _replay(app, "session", forged)
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_the_sign_in_token_is_kept_only_as_a_digest(county, app):
    phone, cookies = _signed_in_remembered(app, "head1")
    row = SignIn.get(SignIn.user == county.users.head1.id)
    with app.test_request_context():
        user_id = app.session_interface.get_signing_serializer(app).loads(cookies["session"])["_user_id"]
    token = user_id.split(":", 1)[1]
    assert len(token) >= 32 and token not in row.token_hash
    assert PASSWORD not in row.token_hash


def test_a_sign_in_in_use_lives_on_and_one_left_unused_for_a_month_ends(county, app, clock):
    """A teacher who opens the app every few weeks is not sent to the sign-in page each month;
    a phone left unused longer than the remember cookie's lifetime signs in again."""
    daily = Browser(app.test_client())
    daily.login("head1", remember=True)
    forgotten = Browser(app.test_client())
    forgotten.login("head1", remember=True)
    for _ in range(4):  # 80 days, used every 20
        clock.advance(days=20)
        assert daily.get("/children/").status_code == 200
    assert forgotten.get("/children/").status_code == 302
