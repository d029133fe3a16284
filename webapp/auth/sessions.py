"""Sign-ins kept on the server, so that signing out ends a session wherever its cookies went.

Each sign-in is a row (models.SignIn) with a digest of a random token. Flask-Login keeps
"user id:token" in the session and in the remember cookie (记住我); a request opens pages only
while its row exists (auth.views.load_user). Deleting one row signs out one browser, and a
shared phone's sign-out leaves the same teacher's own phone signed in; a password change, a
second-factor reset, deactivation or "sign out everywhere" deletes all of a user's rows, and
moves the user's count of sign-outs on, which ends a sign-in halfway through (a password given,
the second step not yet: it has no row) as well.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request
from flask_login import current_user, login_user

from ..clock import utcnow
from ..models import SignIn, User


def digest(token):
    """What the table keeps: a copy of the database alone signs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime():
    """A sign-in unused for as long as its remember cookie lasts (30 days) signs in again."""
    return current_app.config["REMEMBER_COOKIE_DURATION"]


KEEP_ALIVE_EVERY = timedelta(days=1)


def keep_alive(token, seen_at):
    """Move the sign-in's last use on, at most once a day: one UPDATE per user a day, not per request."""
    now = utcnow()
    if seen_at is None or now - seen_at >= KEEP_ALIVE_EVERY:
        SignIn.update(seen_at=now).where(SignIn.token_hash == digest(token)).execute()


def start(user):
    """A new sign-in for this browser; the user then carries its token for Flask-Login."""
    token = secrets.token_urlsafe(32)
    # Rows nobody signed out of (a browser closed) are dropped once they are too old to open anything.
    SignIn.delete().where((SignIn.user == user.id) & (SignIn.seen_at <= utcnow() - lifetime())).execute()
    SignIn.create(user=user.id, token_hash=digest(token))
    user.sign_in_token = token
    return token


def end(user):
    """Sign out the browser this user came with (its row), if it was signed in."""
    if user.sign_in_token:
        SignIn.delete().where(SignIn.token_hash == digest(user.sign_in_token)).execute()


def end_everywhere(user):
    """Every browser of the user is signed out. When the user is the one asking (her own
    password), this browser signs in again at once with new cookies; all older copies die."""
    SignIn.delete().where(SignIn.user == user.id).execute()
    User.update(sign_outs=User.sign_outs + 1).where(User.id == user.id).execute()
    if current_user.is_authenticated and current_user.id == user.id:
        remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
        me = current_user._get_current_object()
        start(me)
        login_user(me, remember=remembered and not me.is_pupil)
