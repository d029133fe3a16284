"""Sign-in by role, sign-out (POST only), idle timeout for pupils, the profile page."""
from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from .. import audit
from ..access import ALL_SIGNED_IN, allow, public
from ..clock import utcnow
from ..extensions import htmx, login_manager
from ..models import SignIn, User
from ..prepared import prepared
from ..web import render
from . import sessions, twofactor
from .forms import LoginForm, ProfileForm
from .passwords import check_secret, is_valid_pin
from .throttle import LOCKED_MESSAGE, claim, settle

bp = Blueprint("auth", __name__)


@prepared
def _signed_in_user(slots):
    """The user of a live sign-in, every column: asked on every request, so its SQL is made once."""
    return (User.select(User, SignIn.seen_at.alias("sign_in_seen_at")).join(SignIn, on=(SignIn.user == User.id))
            .where((User.id == slots.user_id) & (SignIn.token_hash == slots.token_hash)
                   & (SignIn.seen_at > slots.since) & User.active).objects())


# Flask-Login keeps "id:token" of the browser's sign-in (auth.sessions), not the bare user id.
login_manager.id_attribute = "sign_in_id"


@login_manager.user_loader
def load_user(session_id):
    """The session and the remember cookie carry "id:token": they open pages only while that
    sign-in exists on the server (sign-out deletes it)."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token:
        return None
    user = _signed_in_user.first(user_id=int(user_id), token_hash=sessions.digest(token),
                                 since=utcnow() - sessions.lifetime())
    if user is not None:
        user.sign_in_token = token
        sessions.keep_alive(token, user.sign_in_seen_at)
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """htmx calls and outbox replays get 401 with HX-Redirect, never a login page swapped into
    a fragment or taken for a saved entry."""
    login_url = url_for("auth.login")
    if htmx or request.headers.get("X-Outbox"):
        return "", 401, {"HX-Redirect": login_url}
    return redirect(login_url)


def _authenticate(username, secret):
    user = User.get_or_none(User.username == username)
    if user is not None and user.is_pupil and not is_valid_pin(secret):
        check_secret(None, secret)
        return None
    if not check_secret(user.password_hash if user else None, secret):
        return None
    return user if user.active else None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    locked = False
    if form.validate_on_submit():
        username = form.username.data.strip()
        # The attempt is counted (as a failure) before the secret is checked: see throttle.
        attempt = claim(username, audit.client_address())
        if attempt is None:
            locked = True
            form.form_errors.append(LOCKED_MESSAGE)
            audit.record("login_refused", username=username)
        else:
            user = _authenticate(username, form.secret.data)
            if user is None:
                form.form_errors.append(_("Wrong username or password."))
                audit.record("login_failed", username=username)
            elif twofactor.required(user) or user.totp_enabled:
                # The password was right; the sign-in completes only with the second factor.
                settle(attempt, username, complete=False)
                return start_second_factor(user, remember=form.remember.data)
            else:
                settle(attempt, username)
                return sign_in(user, remember=form.remember.data)
    return render("auth/login.html", form=form, locked=locked)


def start_second_factor(user, remember):
    session.clear()
    # sign_outs: "sign out everywhere" in the meantime ends this step too (twofactor_views).
    session["pending"] = {"user": user.id, "remember": bool(remember), "at": utcnow().timestamp(),
                          "sign_outs": user.sign_outs}
    target = "twofactor.verify" if user.totp_enabled else "twofactor.enrol"
    return redirect(url_for(target))


def sign_in(user, remember, **detail):
    session.clear()
    sessions.start(user)
    # Pupils often share a phone: their sessions are never remembered.
    login_user(user, remember=bool(remember) and not user.is_pupil)
    session.permanent = False
    session["seen"] = utcnow().timestamp()
    audit.record("login", user=user, **detail)
    return redirect(url_for("home.index"))


@bp.route("/logout", methods=["POST"])
@allow(*ALL_SIGNED_IN)
def logout():
    audit.record("logout")
    _end_this_session()
    flash(_("You have signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@allow(*ALL_SIGNED_IN)
def profile():
    form = ProfileForm(locale=current_user.locale or "zh_Hans_CN")
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        current_user.save()
        audit.record("profile_update", current_user._get_current_object())
        refresh()  # the request chose its language before the change: say it in the new one
        flash(_("Saved."))
        return redirect(url_for("auth.profile"))
    return render("auth/profile.html", form=form)


def _end_this_session():
    """Delete this browser's sign-in, then empty its session, keeping only Flask-Login's order
    to delete the remember cookie: logout_user() leaves it in the session, and clearing the
    session after it left the cookie in the browser."""
    sessions.end(current_user)
    logout_user()
    remember_cookie = session.get("_remember")
    session.clear()
    if remember_cookie:
        session["_remember"] = remember_cookie


@bp.before_app_request
def end_idle_sessions():
    """Sign out roles with an idle limit (pupils: 15 minutes) when they come back too late."""
    if not current_user.is_authenticated:
        return None
    limit = current_app.config["IDLE_TIMEOUT"].get(current_user.role)
    now = utcnow().timestamp()
    if limit is not None:
        seen = session.get("seen", now)
        if now - seen > limit.total_seconds():
            audit.record("session_expired")
            _end_this_session()
            flash(_("You were signed out after a while without activity."))
            return unauthorized()
    # Refresh at most once a minute so most responses carry no new cookie.
    if now - session.get("seen", 0) > 60:
        session["seen"] = now
    return None


@bp.app_context_processor
def request_path():
    return {"current_endpoint": request.endpoint}
