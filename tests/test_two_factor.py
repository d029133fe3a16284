"""Two-step sign-in: required for county, zone, psychology teachers and principals; optional for
head teachers; recovery codes; a county reset for a lost phone."""
import re
from datetime import UTC

import pytest

from webapp.auth.twofactor import TOTP
from webapp.models import AuditEvent, RecoveryCode, User

from .conftest import Browser
from .county import make_user


def _code_at(clock, secret="JBSWY3DPEHPK3PXP", steps_ahead=0):
    return TOTP(secret).at(clock.now.replace(tzinfo=UTC), counter_offset=steps_ahead)


@pytest.mark.parametrize("username", ["county", "zone1", "counselor1", "principal1"])
def test_staff_who_read_cases_need_the_code_after_the_password(county, browser, clock, username):
    response = browser.login(username, second_factor=False, follow=False)
    assert response.headers["Location"] == "/login/second-factor"
    assert browser.get("/").headers["Location"] == "/login"  # not signed in yet
    wrong = browser.post("/login/second-factor", {"code": "000000"})
    assert "验证码不正确" in wrong.get_data(as_text=True)
    right = browser.post("/login/second-factor", {"code": _code_at(clock)})
    assert right.headers["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_code_works_only_once(county, browser, clock):
    code = _code_at(clock)
    browser.login("counselor1", second_factor=False)
    assert browser.post("/login/second-factor", {"code": code}).headers["Location"] == "/"
    again = Browser(browser.client.application.test_client())
    again.login("counselor1", second_factor=False)
    replay = again.post("/login/second-factor", {"code": code})
    assert replay.status_code == 200 and "验证码不正确" in replay.get_data(as_text=True)


def test_head_teachers_and_pupils_sign_in_with_one_step(county, browser):
    assert browser.login("head1", second_factor=False, follow=False).headers["Location"] == "/"


def test_a_new_principal_enrols_on_first_sign_in_and_gets_ten_recovery_codes(app, county, browser, clock):
    with app.app_context():
        make_user("principal3", "principal", school=county.schools[2], totp_enabled=False, totp_secret=None)
    response = browser.login("principal3", second_factor=False, follow=False)
    assert response.headers["Location"] == "/login/enrol"
    page = browser.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn on our server
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = browser.post("/login/enrol", {"code": "123456"})
    assert wrong.status_code == 422
    done = browser.post("/login/enrol", {"code": TOTP(secret).at(clock.now.replace(tzinfo=UTC))})
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</code>", done.get_data(as_text=True))
    assert len(codes) == 10 and done.headers["Cache-Control"] == "no-store"
    user = User.get(User.username == "principal3")
    assert user.totp_enabled and user.totp_secret == secret
    assert all(code not in r.code_hash for r in RecoveryCode.select() for code in codes)  # stored hashed
    assert browser.get("/").status_code == 200

    # Phone lost: a recovery code signs her in, once.
    for attempt, expected in ((1, "/"), (2, None)):
        other = Browser(app.test_client())
        other.login("principal3", second_factor=False)
        response = other.post("/login/second-factor", {"code": codes[0]})
        assert response.headers.get("Location") == expected, attempt


def test_a_head_teacher_may_turn_it_on_from_her_profile(county, login_as, clock, app):
    head = login_as("head1")
    assert "设置两步登录" in head.get("/profile").get_data(as_text=True)
    page = head.get("/profile/second-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    head.post("/profile/second-factor", {"code": TOTP(secret).at(clock.now.replace(tzinfo=UTC))})
    assert User.get(User.username == "head1").totp_enabled
    again = Browser(app.test_client())
    assert again.login("head1", second_factor=False, follow=False).headers["Location"] == "/login/second-factor"
    assert login_as("committee1").get("/profile/second-factor").status_code == 404


def test_the_password_step_expires_after_five_minutes(county, browser, clock):
    browser.login("counselor1", second_factor=False)
    clock.advance(minutes=6)
    response = browser.post("/login/second-factor", {"code": _code_at(clock)})
    assert response.headers["Location"] == "/login"


def test_wrong_codes_count_towards_the_sign_in_lock(county, browser, clock):
    browser.login("counselor1", second_factor=False)
    for _ in range(5):
        browser.post("/login/second-factor", {"code": "000000"})
    locked = browser.post("/login/second-factor", {"code": _code_at(clock)})
    assert "尝试次数过多" in locked.get_data(as_text=True)


def test_the_county_resets_a_lost_phone_and_signs_the_user_out_everywhere(county, login_as):
    counselor = login_as("counselor1")
    admin = login_as("county")
    user_id = county.users.counselor1.id
    admin.get(f"/admin/users/{user_id}")
    assert admin.post(f"/admin/users/{user_id}/reset-second-factor").status_code == 302
    user = User.get_by_id(user_id)
    assert not user.totp_enabled and user.totp_secret is None
    assert counselor.get("/").headers["Location"] == "/login"
    assert AuditEvent.select().where(AuditEvent.action == "reset_second_factor").count() == 1
    fresh = Browser(admin.client.application.test_client())
    assert fresh.login("counselor1", follow=False).headers["Location"] == "/login/enrol"


def test_the_county_signs_a_user_out_on_every_device(county, login_as):
    head = login_as("head1")
    admin = login_as("county")
    admin.get(f"/admin/users/{county.users.head1.id}")
    admin.post(f"/admin/users/{county.users.head1.id}/sign-out")
    assert head.get("/").headers["Location"] == "/login"
    assert AuditEvent.select().where(AuditEvent.action == "sign_out_everywhere").count() == 1


SIGNED_OUT_MEANWHILE = "在此期间,您的账号已在所有设备上退出登录,请重新登录。"


def _signed_out_by_the_county(user, login_as):
    admin = login_as("county")
    admin.get(f"/admin/users/{user.id}")
    assert admin.post(f"/admin/users/{user.id}/sign-out").status_code == 302


def _new_password_from_another_phone(user, login_as):
    phone = login_as(user.username)
    url = f"/admin/users/{user.id}/secret"
    phone.get(url)
    assert phone.post(url, {"secret": "渠江边的老槐树2026", "confirm": "渠江边的老槐树2026"}).status_code == 302


def _logins(user):
    return AuditEvent.select().where((AuditEvent.action == "login") & (AuditEvent.user == user.id)).count()


@pytest.mark.parametrize("username, sign_out", [("counselor1", _signed_out_by_the_county),
                                                ("county", _new_password_from_another_phone)])
def test_signing_out_everywhere_ends_a_password_step_waiting_for_its_code(county, browser, clock, login_as,
                                                                           username, sign_out):
    """A password given in browser A, then every sign-in ended from browser B: A's right code,
    still inside its five minutes, does not sign in, and A is told why."""
    user = getattr(county.users, username)
    assert browser.login(username, second_factor=False).headers["Location"] == "/login/second-factor"
    sign_out(user, login_as)
    logins = _logins(user)
    User.update(totp_last_step=0).where(User.id == user.id).execute()  # B used this 30 s's code
    refused = browser.post("/login/second-factor", {"code": _code_at(clock)})
    assert refused.headers["Location"] == "/login"
    assert SIGNED_OUT_MEANWHILE in browser.get("/login").get_data(as_text=True)
    assert browser.get("/").headers["Location"] == "/login"
    # The step is gone: the code again leads back to the sign-in page, and nobody was let in.
    assert browser.post("/login/second-factor", {"code": _code_at(clock)}).headers["Location"] == "/login"
    assert _logins(user) == logins


def test_a_password_step_begun_after_signing_out_everywhere_goes_on(county, browser, clock, login_as):
    _signed_out_by_the_county(county.users.counselor1, login_as)
    browser.login("counselor1", second_factor=False)
    assert browser.post("/login/second-factor", {"code": _code_at(clock)}).headers["Location"] == "/"
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize("username", ["zone1", "principal1", "counselor1", "head1"])
def test_only_the_county_resets_or_signs_others_out(county, login_as, username):
    user = login_as(username)
    target = county.users.head2.id
    assert user.post(f"/admin/users/{target}/reset-second-factor").status_code == 404
    assert user.post(f"/admin/users/{target}/sign-out").status_code == 404
