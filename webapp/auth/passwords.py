"""Password and PIN hashing with argon2id."""
import re

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_HASHERS = {
    "default": PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY),
    "test": PasswordHasher.from_parameters(profiles.CHEAPEST),
}
# Verified against when the username is unknown, so timing does not tell which part was wrong.
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
        profile = current_app.config.get("ARGON2_PROFILE", "default")
        stored_hash = _DUMMY.setdefault(profile, hasher.hash("no such user"))
        secret = secret + "\0"
    try:
        return hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def is_valid_pin(pin):
    return bool(PIN_PATTERN.match(pin or ""))
