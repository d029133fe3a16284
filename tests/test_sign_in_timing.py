"""An unknown username costs what a wrong password costs: one hash verification, no hashing,
so the time a sign-in takes does not tell whether the account exists."""
import statistics
import time

import pytest
from argon2 import PasswordHasher, profiles

from webapp.auth import passwords

from .county import PASSWORD


class CountingHasher:
    """A profile's hasher that counts what each sign-in asks of it."""

    def __init__(self, hasher):
        self.hasher, self.hashed, self.verified = hasher, 0, 0

    def hash(self, secret):
        self.hashed += 1
        return self.hasher.hash(secret)

    def verify(self, stored_hash, secret):
        self.verified += 1
        return self.hasher.verify(stored_hash, secret)


@pytest.fixture
def counting(monkeypatch):
    counter = CountingHasher(passwords._HASHERS["test"])
    monkeypatch.setitem(passwords._HASHERS, "test", counter)
    monkeypatch.setattr(passwords, "_DUMMY", {})
    return counter


@pytest.mark.parametrize("username,secret", [
    ("head1", "wrong-password"),        # known user, wrong password
    ("nobody", "wrong-password"),       # unknown user
    ("committee1", "not-a-pin-at-all"),  # a pupil with something that is not a PIN
    ("committee1", "000000"),           # a pupil with a wrong PIN
])
def test_every_failed_sign_in_costs_one_verification_and_no_hashing(county, browser, counting, username, secret):
    browser.login("someone-unknown", "warm-up")  # the dummy hash is made once, before
    for _ in range(3):
        counting.hashed = counting.verified = 0
        browser.login(username, secret)
        assert (counting.hashed, counting.verified) == (0, 1)


def test_unknown_usernames_take_as_long_as_wrong_passwords(county, app, browser):
    """With the production profile (argon2id, RFC 9106 low memory), alternating tries. The
    process's CPU time is compared, not the wall clock, so other work on the machine does not
    decide the result (an extra hash per unknown name doubled it)."""
    app.config["ARGON2_PROFILE"] = "default"
    real = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(PASSWORD)
    county.users.head1.password_hash = real
    county.users.head1.save()
    app.config["LOGIN_MAX_FAILURES_PER_USER"] = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 100
    browser.login("nobody", "warm-up")
    browser.get("/login")
    times = {"known": [], "unknown": []}
    for _ in range(7):
        for kind, username in (("known", "head1"), ("unknown", "nobody")):
            started = time.process_time()
            browser.post("/login", {"username": username, "secret": "wrong-password"})
            times[kind].append(time.process_time() - started)
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    print(f"sign-in medians (CPU time): known user, wrong password {known * 1000:.0f} ms; "
          f"unknown user {unknown * 1000:.0f} ms")
    assert unknown < known * 1.4 and known < unknown * 1.4
