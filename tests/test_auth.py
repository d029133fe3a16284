"""Sign-in by role, PINs for pupils, throttling, idle timeout, remember-me and CSRF."""
import pytest

from webapp.models import AuditEvent, SignIn

ALL_ACCOUNTS = [
    "county", "zone1", "counselor1", "principal1", "head1", "head2", "committee1", "committee2",
    "worker1", "counselor2", "head3",
]
WRONG = "用户名或密码不正确。"
LOCKED = "尝试次数过多"


@pytest.mark.parametrize("username", ALL_ACCOUNTS)
def test_every_role_signs_in_lands_home_and_signs_out(county, browser, username):
    response = browser.login(username, follow=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200
    assert f"你好,{username}" in home.get_data(as_text=True)

    out = browser.logout()
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert browser.get("/").headers["Location"] == "/login"
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["login", "logout"]


def test_sign_out_only_by_post(county, login_as):
    head = login_as("head1")
    assert head.get("/logout").status_code == 405
    assert head.get("/").status_code == 200


def test_a_pupil_signs_in_with_her_six_digit_pin(county, browser):
    assert browser.login("committee2", "135790", follow=False).status_code == 302


def test_a_pupil_cannot_sign_in_with_anything_but_a_pin(app, county, browser):
    from webapp.auth.passwords import hash_secret

    with app.app_context():
        county.users.committee2.password_hash = hash_secret("not-a-pin-at-all")
    county.users.committee2.save()
    response = browser.login("committee2", "not-a-pin-at-all", follow=False)
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)


@pytest.mark.parametrize("username,secret", [("head1", "wrong-password"), ("nobody", "xinqiao-test-pw")])
def test_wrong_credentials_get_one_message_that_does_not_say_which_part(county, browser, username, secret):
    response = browser.login(username, secret, follow=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert WRONG in page
    assert f'value="{username}"' in page  # the username is kept for the next try
    failed = AuditEvent.get(AuditEvent.action == "login_failed")
    assert failed.username == username and failed.user is None


def test_five_failures_lock_the_username_for_fifteen_minutes(county, browser, clock):
    for _ in range(5):
        assert WRONG in browser.login("head1", "wrong-password").get_data(as_text=True)
    refused = browser.login("head1", follow=False)  # even the right password
    assert refused.status_code == 200
    assert LOCKED in refused.get_data(as_text=True)
    assert AuditEvent.select().where(AuditEvent.action == "login_refused").count() == 1

    # Another user from another phone is not affected.
    other = browser.__class__(browser.client.application.test_client())
    assert other.login("head2", follow=False).status_code == 302

    clock.advance(minutes=15, seconds=1)
    assert browser.login("head1", follow=False).status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(county, browser):
    for n in range(20):
        browser.login(f"guess{n}", "wrong-password")
    response = browser.login("head1", follow=False)
    assert LOCKED in response.get_data(as_text=True)


def test_the_throttle_counts_live_in_the_database_across_app_processes(county, app, browser):
    from webapp import create_app
    from webapp.config import TestConfig

    for _ in range(5):
        browser.login("head1", "wrong-password")
    config = app.config
    second_process = create_app(TestConfig, DATABASE_URL=config["DATABASE_URL"], CLOCK=config["CLOCK"])
    other = browser.__class__(second_process.test_client())
    assert LOCKED in other.login("head1", follow=False).get_data(as_text=True)


def test_a_pupil_is_signed_out_after_fifteen_idle_minutes(county, login_as, clock):
    pupil = login_as("committee1")
    clock.advance(minutes=14)
    assert pupil.get("/").status_code == 200
    clock.advance(minutes=14)  # active 14 minutes ago: still in
    assert pupil.get("/").status_code == 200
    clock.advance(minutes=15, seconds=1)
    response = pupil.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert AuditEvent.select().where(AuditEvent.action == "session_expired").count() == 1


def test_an_idle_pupils_htmx_call_gets_401_and_a_redirect_header(county, login_as, clock):
    pupil = login_as("committee1")
    clock.advance(minutes=16)
    response = pupil.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login"


def test_staff_are_not_signed_out_after_fifteen_idle_minutes(county, login_as, clock):
    head = login_as("head1")
    clock.advance(hours=3)
    assert head.get("/").status_code == 200


def _cookie_names(response):
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


def test_staff_may_be_remembered_on_their_phone_for_thirty_days(county, browser):
    response = browser.login("head1", remember=True, follow=False)
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert remember, "staff asked to be remembered"
    assert "HttpOnly" in remember[0]
    # Flask-Login sets the expiry 30 days out (REMEMBER_COOKIE_DURATION).
    assert browser.client.application.config["REMEMBER_COOKIE_DURATION"].days == 30


def test_pupils_are_never_remembered(county, browser):
    response = browser.login("committee1", remember=True, follow=False)
    assert response.status_code == 302
    assert "remember_token" not in _cookie_names(response)


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(county, app):
    from tests.conftest import Browser

    plain = Browser(app.test_client())
    cookie = next(c for c in plain.login("head1", follow=False).headers.getlist("Set-Cookie")
                  if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie

    secure = app.test_client()
    response = secure.get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    token = response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = secure.post("/login", base_url="https://localhost", data={
        "username": "head1", "secret": "xinqiao-test-pw", "csrf_token": token, "remember": "y"},
        headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert all("Secure" in cookie for cookie in cookies) and len(cookies) == 2  # session, remember


def test_a_form_without_its_csrf_token_is_refused(county, browser, login_as):
    response = browser.post("/login", {"username": "head1", "secret": "xinqiao-test-pw"}, csrf=False)
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    head = login_as("head1")
    assert head.post("/logout", csrf=False).status_code == 400
    assert head.get("/").status_code == 200  # still signed in


def test_signing_out_everywhere_ends_other_sessions(county, login_as):
    phone = login_as("head1")
    SignIn.delete().where(SignIn.user == county.users.head1.id).execute()
    assert phone.get("/").headers["Location"] == "/login"
