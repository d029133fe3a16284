"""Password and PIN hashing with argon2id."""
import re

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_HASHERS = {
    "default": PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY),
    "test": PasswordHasher.from_parameters(profiles.CHEAPEST),
}
# Verified against when the username is unknown, so timing does not tell which part was wrong:
# one per profile, made once (making it on every try doubled an unknown name's time).
_DUMMY = {}

PIN_PATTERN = re.compile(r"^\d{6}$")


def _hasher():
    return _HASHERS[current_app.config.get("ARGON2_PROFILE", "default")]


def hash_secret(secret):
    return _hasher().hash(secret)


def check_secret(stored_hash, secret):
    """True when `secret` matches; never raises for a mismatch or a damaged hash."""
    hasher = _hasher()
    if stored_hash is None:
        stored_hash = _dummy_hash(hasher)
        secret = secret + "\0"
    try:
        return hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash(hasher):
    profile = current_app.config.get("ARGON2_PROFILE", "default")
    found = _DUMMY.get(profile)
    if found is None:
        found = _DUMMY[profile] = hasher.hash("no such user")
    return found


def is_valid_pin(pin):
    return bool(PIN_PATTERN.match(pin or ""))


MIN_STAFF_PASSWORD = 10
# Passwords people reach for first (Chinese and international lists) and words of this app.
COMMON_PASSWORDS = frozenset("""
1234567890 0123456789 9876543210 1111111111 0000000000 1234512345 1234554321 1122334455
12345678910 123456789a a123456789 123456789q qwertyuiop qwerty1234 asdfghjkl1 1qaz2wsx3edc
1q2w3e4r5t 1qazxsw23edc zaq12wsx zxcvbnm123 password12 password123 password1234 passw0rd12
iloveyou12 woaini1314 woaini520 5201314520 1314520520 abcd123456 abc1234567 abcdefghij
aa12345678 qq123456789 admin12345 administrator welcome123 changeme12 letmein123 xinqiao123
xinqiao-demo xinqiao2026 quxian12345 teacher123 laoshi1234 password00 88888888888 66666666666
""".split())


def password_problem(secret):
    """Why a staff password is too weak ("too_short", "common"), or None."""
    secret = secret or ""
    if len(secret) < MIN_STAFF_PASSWORD:
        return "too_short"
    if secret.lower() in COMMON_PASSWORDS or len(set(secret)) <= 2:
        return "common"
    return None


def pin_problem(pin):
    """Why a pupil's PIN is unusable ("not_six_digits", "trivial"), or None. Trivial PINs
    (111111, 123456, 654321, 121212 …) are the first a classmate would try."""
    if not is_valid_pin(pin):
        return "not_six_digits"
    digits = [int(d) for d in pin]
    steps = {b - a for a, b in zip(digits, digits[1:], strict=False)}
    if len(steps) == 1 or pin[:2] * 3 == pin or pin[:3] * 2 == pin:
        return "trivial"
    return None
