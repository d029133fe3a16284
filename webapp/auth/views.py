"""Sign-in by role, sign-out (POST only), idle timeout for pupils, the profile page."""
from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import audit
from ..access import ALL_SIGNED_IN, allow, public
from ..clock import utcnow
from ..extensions import htmx, login_manager
from ..models import User
from ..prepared import prepared
from ..web import render
from . import twofactor
from .forms import LoginForm, ProfileForm
from .passwords import check_secret, is_valid_pin
from .throttle import LOCKED_MESSAGE, claim, settle

bp = Blueprint("auth", __name__)


@prepared
def _user_by_id(slots):
    """The signed-in user, every column: asked on every request, so its SQL is made once."""
    return User.select().where(User.id == slots.user_id)


@login_manager.user_loader
def load_user(session_id):
    """Sessions carry "id:version": bumping the version signs the user out everywhere."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = _user_by_id.first(user_id=int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
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
    session["pending"] = {"user": user.id, "remember": bool(remember), "at": utcnow().timestamp()}
    target = "twofactor.verify" if user.totp_enabled else "twofactor.enrol"
    return redirect(url_for(target))


def sign_in(user, remember, **detail):
    session.clear()
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
    logout_user()
    session.clear()
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
        flash(_("Saved."))
        return redirect(url_for("auth.profile"))
    return render("auth/profile.html", form=form)


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
            logout_user()
            session.clear()
            flash(_("You were signed out after a while without activity."))
            return unauthorized()
    # Refresh at most once a minute so most responses carry no new cookie.
    if now - session.get("seen", 0) > 60:
        session["seen"] = now
    return None


@bp.app_context_processor
def request_path():
    return {"current_endpoint": request.endpoint}
