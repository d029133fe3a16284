"""Second-factor pages: the code after the password, enrolment with a QR code, recovery codes,
a head teacher turning it on, and a county user resetting someone's second factor."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .. import audit
from ..access import ALL_SIGNED_IN, allow, get_in_scope, public
from ..clock import utcnow
from ..forms import AppForm
from ..models import RecoveryCode, User
from ..web import render
from . import sessions, throttle, twofactor
from .forms import LoginForm
from .views import _authenticate, sign_in

bp = Blueprint("twofactor", __name__)
PENDING_FOR = timedelta(minutes=5)


class CodeForm(AppForm):
    code = StringField(_l("6-digit code or a recovery code"), validators=[
        DataRequired(message=_l("Please enter the code.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"})


def _pending_user():
    """The user whose password was right a moment ago, or None. A step begun before the user
    was signed out everywhere is dropped, and the sign-in page says why."""
    pending = session.get("pending") or {}
    if not pending or utcnow().timestamp() - pending.get("at", 0) > PENDING_FOR.total_seconds():
        return None, False
    user = User.get_or_none((User.id == pending.get("user")) & User.active)
    if user is not None and user.sign_outs != pending.get("sign_outs"):
        session.pop("pending")
        flash(_("You were signed out on every device in the meantime. Please sign in again."))
        return None, False
    return user, pending.get("remember", False)


def _accept_code(user, code):
    step = twofactor.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        updated = User.update(totp_last_step=step).where(
            (User.id == user.id) & (User.totp_last_step < step)).execute()
        return bool(updated), "totp"
    if twofactor.use_recovery_code(user, code):
        return True, "recovery_code"
    return False, None


@bp.route("/login/second-factor", methods=["GET", "POST"])
@public
def verify():
    user, remember = _pending_user()
    if user is None or not user.totp_enabled:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    locked = False
    if form.validate_on_submit():
        # Counted with the password's failures, before the code is checked (see throttle).
        attempt = throttle.claim(user.username, audit.client_address())
        if attempt is None:
            locked = True
            form.form_errors.append(throttle.LOCKED_MESSAGE)
            audit.record("second_factor_refused", username=user.username)
        else:
            accepted, how = _accept_code(user, form.code.data)
            if accepted:
                throttle.settle(attempt, user.username)
                return sign_in(user, remember, second_factor=how)
            audit.record("second_factor_failed", username=user.username)
            form.form_errors.append(_("That code is not right. Codes change every 30 seconds."))
    return render("auth/second_factor.html", form=form, locked=locked)


class UnlockForm(AppForm):
    username = LoginForm.username
    secret = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Please enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"})
    code = StringField(_l("A recovery code"), validators=[
        DataRequired(message=_l("Please enter the code.")), Length(max=20)],
        render_kw={"autocomplete": "off", "autocapitalize": "none"})


@bp.route("/login/unlock", methods=["GET", "POST"])
@public
def unlock():
    """A locked-out staff member signs in at once with her password and one unused recovery code
    (both factors), which lifts her lock and uses the code up. The page has a count of its own,
    so the sign-in's lock does not lock it too."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = UnlockForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        attempt = throttle.claim(username, audit.client_address(), kind=throttle.UNLOCK)
        if attempt is None:
            form.form_errors.append(throttle.LOCKED_MESSAGE)
            audit.record("login_unlock_refused", username=username)
        else:
            user = _authenticate(username, form.secret.data)
            if user is not None and twofactor.use_recovery_code(user, form.code.data):
                throttle.settle(attempt, username)
                audit.record("login_unlocked", user, user=user)
                return sign_in(user, remember=False, second_factor="recovery_code")
            audit.record("login_unlock_failed", username=username)
            form.form_errors.append(_("The username, password or recovery code is not right."))
    return render("auth/unlock.html", form=form)


def _enrolment(user, done_target):
    """Show the QR code for a new secret kept in the session until a code proves it works."""
    secret = session.get("enrol_secret") or twofactor.new_secret()
    session["enrol_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        step = twofactor.accepted_step(secret, form.code.data, 0)
        if step is not None:
            User.update(totp_secret=secret, totp_enabled=True, totp_last_step=step).where(
                User.id == user.id).execute()
            session.pop("enrol_secret", None)
            codes = twofactor.issue_recovery_codes(user)
            audit.record("enable_second_factor", user, user=user)
            return done_target(codes)
        form.form_errors.append(_("That code is not right. Check the phone's clock and try again."))
    return render("auth/enrol.html", form=form, secret=secret, qr=twofactor.provisioning_svg(user, secret)), (
        422 if form.is_submitted() else 200)


def _show_codes(codes):
    response = render("auth/recovery_codes.html", codes=codes)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/login/enrol", methods=["GET", "POST"])
@public
def enrol():
    """First sign-in of a role that must use a second factor: enrol before going in."""
    user, remember = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.totp_enabled:
        return redirect(url_for("twofactor.verify"))

    def done(codes):
        sign_in(user, remember, second_factor="enrolled")
        return _show_codes(codes)

    return _enrolment(user, done)


@bp.route("/profile/second-factor", methods=["GET", "POST"])
@allow(*ALL_SIGNED_IN)
def enable():
    """A head teacher (or anyone allowed) turns on the second factor from her profile."""
    user = current_user._get_current_object()
    if not twofactor.may_enable(user):
        abort(404)
    if user.totp_enabled:
        flash(_("Two-step sign-in is already on."))
        return redirect(url_for("auth.profile"))
    return _enrolment(user, _show_codes)


@bp.route("/admin/users/<int:user_id>/reset-second-factor", methods=["POST"])
@allow("county")
def reset(user_id):
    """For a lost phone: the next sign-in enrols again. Signs the user out everywhere."""
    target = get_in_scope(User.select(), user_id)
    User.update(totp_secret=None, totp_enabled=False, totp_last_step=0).where(User.id == target.id).execute()
    sessions.end_everywhere(target)
    RecoveryCode.delete().where(RecoveryCode.user == target.id).execute()
    audit.record("reset_second_factor", target)
    flash(_("Two-step sign-in was reset. The user enrols again at the next sign-in."))
    return redirect(url_for("admin.user_form", user_id=target.id))
