"""Sign-in throttling: too many failures for one username or one address lock sign-in a while.

The counts live in the database so that every app process sees the same ones.
"""
from flask import current_app

from ..clock import utcnow
from ..models import LoginAttempt


def _recent_failures(*condition):
    since = utcnow() - current_app.config["LOGIN_WINDOW"]
    return (
        LoginAttempt.select()
        .where(LoginAttempt.at > since, ~LoginAttempt.succeeded, *condition)
        .count()
    )


def is_locked(username, address):
    """True while the username or the address has too many recent failures."""
    config = current_app.config
    if _recent_failures(LoginAttempt.username == username) >= config["LOGIN_MAX_FAILURES_PER_USER"]:
        return True
    return _recent_failures(LoginAttempt.address == address) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]


def note_attempt(username, address, succeeded):
    """Remember an attempt. A success forgets the username's earlier failures."""
    if succeeded:
        LoginAttempt.delete().where(
            (LoginAttempt.username == username) & ~LoginAttempt.succeeded
        ).execute()
    LoginAttempt.create(username=username, address=address, at=utcnow(), succeeded=succeeded)
