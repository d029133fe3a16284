"""Sign-in throttling under a burst: every attempt takes its place in the count before its secret
is checked, so a hundred phones at once get no more checks than the limit; a locked person
unlocks at once (a recovery code, or a new PIN from her head teacher)."""
import threading
import time
from collections import Counter

import pytest
from argon2 import PasswordHasher

from webapp.auth import throttle, twofactor
from webapp.clock import utcnow
from webapp.models import AuditEvent, LoginAttempt, RecoveryCode, User
from webapp.safeguarding.tick import run_tick

from .conftest import Browser
from .county import PASSWORD, PIN

LIMIT = 5  # LOGIN_MAX_FAILURES_PER_USER
LOCKED = "尝试次数过多"
WRONG = "用户名或密码不正确。"


class Checks:
    """Counts secret checks (argon2 verifications or TOTP code checks) as they start, each
    taking `cost` seconds as a real hash does, so that attempts overlap as they do in life."""

    def __init__(self, cost):
        self.cost, self.started, self._lock = cost, 0, threading.Lock()
        self.reached = {}

    def when(self, count):
        self.reached.setdefault(count, threading.Event())
        return self.reached[count]

    def wrap(self, check):
        def counted(*args, **kwargs):
            with self._lock:
                self.started += 1
                event = self.reached.get(self.started)
            if event is not None:
                event.set()
            time.sleep(self.cost)
            return check(*args, **kwargs)
        return counted


@pytest.fixture
def hash_checks(monkeypatch):
    checks = Checks(cost=0.05)
    monkeypatch.setattr(PasswordHasher, "verify", checks.wrap(PasswordHasher.verify))
    return checks


def _at_once(count, prepare, send):
    """`count` threads each prepare a browser, wait for the others, then send one request."""
    barrier = threading.Barrier(count)
    statuses, pages, errors = Counter(), [], []

    def run(number):
        try:
            browser = prepare(number)
            barrier.wait(timeout=60)
            response = send(browser, number)
            statuses[response.status_code] += 1
            pages.append(response.get_data(as_text=True))
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses, pages


def _events(action):
    return AuditEvent.select().where(AuditEvent.action == action).count()


def _login_page(app):
    def prepare(_number):
        browser = Browser(app.test_client())
        browser.get("/login")
        return browser
    return prepare


def test_a_hundred_wrong_passwords_at_once_get_at_most_the_limit_checked(app, county, hash_checks):
    statuses, pages = _at_once(100, _login_page(app), lambda browser, n: browser.post(
        "/login", {"username": "county", "secret": f"wrong-password-{n}"}))

    assert statuses == Counter({200: 100})
    assert hash_checks.started <= LIMIT
    assert _events("login_failed") <= LIMIT
    assert _events("login_failed") + _events("login_refused") == 100
    assert sum(LOCKED in page for page in pages) >= 100 - LIMIT
    # The right password is refused too until the lock ends or she unlocks.
    assert LOCKED in Browser(app.test_client()).login("county", follow=False).get_data(as_text=True)


def test_the_right_pin_sent_after_the_limit_in_a_burst_does_not_sign_in(app, county, hash_checks):
    hash_checks.cost = 0.5  # argon2's real cost: the wrong PINs are still being checked
    limit_reached, right_sent = hash_checks.when(LIMIT), threading.Event()
    first_wave = 30  # fewer than the connection pool holds, so the right PIN is not held up

    def send(browser, number):
        if number == 0:  # the right PIN, sent once the limit's worth of wrong ones are in
            limit_reached.wait(timeout=20)
            try:
                return browser.post("/login", {"username": "committee1", "secret": PIN})
            finally:
                right_sent.set()
        if number > first_wave:
            right_sent.wait(timeout=20)
        return browser.post("/login", {"username": "committee1", "secret": f"{200000 + number:06d}"})

    statuses, pages = _at_once(100, _login_page(app), send)

    assert _events("login") == 0  # nobody was let in
    assert statuses == Counter({200: 100})
    assert hash_checks.started <= LIMIT
    assert sum(LOCKED in page for page in pages) >= 100 - LIMIT


def test_forty_second_factor_codes_at_once_get_at_most_the_limit_checked(app, county, clock, monkeypatch):
    code_checks = Checks(cost=0.05)
    monkeypatch.setattr(twofactor, "accepted_step", code_checks.wrap(twofactor.accepted_step))
    first = Browser(app.test_client())
    assert first.login("principal1", second_factor=False).headers["Location"] == "/login/second-factor"
    pending = first.client.get_cookie("session").value
    right = first.totp_code()
    wrong = [f"{n:06d}" for n in range(100000, 100100) if f"{n:06d}" != right][:40]

    def prepare(_number):
        browser = Browser(app.test_client())
        browser.client.set_cookie("session", pending)
        browser.get("/login/second-factor")
        return browser

    statuses, pages = _at_once(40, prepare, lambda browser, n: browser.post(
        "/login/second-factor", {"code": wrong[n]}))

    assert statuses == Counter({200: 40})  # no 500, nobody signed in
    assert code_checks.started <= LIMIT
    assert _events("second_factor_failed") <= LIMIT
    assert sum(LOCKED in page for page in pages) >= 40 - LIMIT


def _lock(app, username, secret="wrong-password"):
    browser = Browser(app.test_client())
    for _ in range(LIMIT):
        assert WRONG in browser.login(username, secret, follow=False).get_data(as_text=True)
    return browser


def test_a_locked_staff_member_unlocks_at_once_with_a_recovery_code(app, county):
    with app.app_context():
        codes = twofactor.issue_recovery_codes(county.users.county)
    browser = _lock(app, "county")
    refused = browser.login("county", follow=False).get_data(as_text=True)
    assert LOCKED in refused
    assert 'href="/login/unlock"' in refused

    browser.get("/login/unlock")
    unlocked = browser.post("/login/unlock", {"username": "county", "secret": PASSWORD, "code": codes[0]})
    assert unlocked.status_code == 302 and unlocked.headers["Location"] == "/"
    assert "你好,county" in browser.get("/").get_data(as_text=True)
    event = AuditEvent.get(AuditEvent.action == "login_unlocked")
    assert event.user_id == county.users.county.id and codes[0] not in event.detail
    assert RecoveryCode.select().where(RecoveryCode.used_at.is_null(False)).count() == 1
    # The lock is gone for her other phone too: the password leads on to the second step.
    other = Browser(app.test_client())
    assert other.login("county", second_factor=False).headers["Location"] == "/login/second-factor"

    # The code is used up.
    _lock(app, "county")
    again = Browser(app.test_client())
    again.get("/login/unlock")
    reused = again.post("/login/unlock", {"username": "county", "secret": PASSWORD, "code": codes[0]})
    assert reused.status_code == 200 and "你好" not in reused.get_data(as_text=True)


def test_the_unlock_page_is_throttled_and_needs_the_password_too(app, county):
    with app.app_context():
        codes = twofactor.issue_recovery_codes(county.users.county)
    _lock(app, "county")
    browser = Browser(app.test_client())
    browser.get("/login/unlock")
    wrong_password = browser.post("/login/unlock", {"username": "county", "secret": "wrong-password",
                                                     "code": codes[0]})
    assert wrong_password.status_code == 200
    for n in range(LIMIT - 1):
        browser.post("/login/unlock", {"username": "county", "secret": PASSWORD, "code": f"0000-0000-000{n}"})
    refused = browser.post("/login/unlock", {"username": "county", "secret": PASSWORD, "code": codes[1]})
    assert refused.status_code == 200 and LOCKED in refused.get_data(as_text=True)
    assert RecoveryCode.select().where(RecoveryCode.used_at.is_null(False)).count() == 0
    assert _events("login_unlock_failed") == LIMIT and _events("login_unlocked") == 0
    # Without the CSRF token nothing is checked.
    assert browser.post("/login/unlock", {"username": "county", "secret": PASSWORD, "code": codes[1]},
                        csrf=False).status_code == 400


def test_a_head_teachers_new_pin_unlocks_her_pupil_at_once(app, county, login_as):
    _lock(app, "committee1", "864200")
    assert LOCKED in Browser(app.test_client()).login("committee1", follow=False).get_data(as_text=True)
    head = login_as("head1")
    target = county.users.committee1
    head.get(f"/admin/users/{target.id}/secret")
    head.post(f"/admin/users/{target.id}/secret", {"secret": "864209", "confirm": "864209"})
    assert Browser(app.test_client()).login("committee1", "864209", follow=False).status_code == 302


def test_one_account_failing_again_and_again_does_not_lock_its_school_address(app, county):
    """A school's pupils share one address; four mistyping pupils must not lock out the fifth
    (twenty different accounts failing from one address still do: test_auth)."""
    for username in ("committee1", "committee2", "nobody1", "nobody2"):
        _lock(app, username, "864200")
    assert Browser(app.test_client()).login("head1", follow=False).status_code == 302


def test_a_password_reset_by_the_county_clears_the_lock(app, county, login_as):
    _lock(app, "head1")
    admin = login_as("county")
    target = county.users.head1
    admin.get(f"/admin/users/{target.id}/secret")
    admin.post(f"/admin/users/{target.id}/secret", {"secret": "brand-new-secret", "confirm": "brand-new-secret"})
    assert LoginAttempt.select().where((LoginAttempt.username == "head1") & ~LoginAttempt.succeeded).count() == 0
    assert Browser(app.test_client()).login("head1", "brand-new-secret", follow=False).status_code == 302
    assert User.get_by_id(target.id).active


def _attempts(username):
    return LoginAttempt.select().where(LoginAttempt.username == username).count()


def test_the_tick_forgets_attempts_older_than_the_window_and_the_lock_inside_it_holds(app, county, clock):
    _lock(app, "head3")  # failures long past: they count for nothing any more
    Browser(app.test_client()).login("head2", follow=False)  # a success, as old
    clock.advance(minutes=16)
    _lock(app, "head1")
    clock.advance(minutes=14)  # head1's failures are still inside the 15-minute window
    with app.app_context():
        assert run_tick().failed_jobs == []
    assert (_attempts("head3"), _attempts("head2"), _attempts("head1")) == (0, 0, LIMIT)
    assert LOCKED in Browser(app.test_client()).login("head1", follow=False).get_data(as_text=True)
    clock.advance(minutes=2)
    assert Browser(app.test_client()).login("head1", follow=False).status_code == 302


def test_old_attempts_go_a_batch_at_a_time_and_a_backlog_waits_for_the_next_tick(app, county, clock):
    _lock(app, "head3")
    clock.advance(minutes=16)
    with app.app_context():
        assert throttle.forget_old(utcnow(), batch=2, max_batches=2) == 4
        assert _attempts("head3") == 1
        assert throttle.forget_old(utcnow(), batch=2, max_batches=2) == 1
    assert _attempts("head3") == 0
