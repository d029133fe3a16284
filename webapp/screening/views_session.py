"""A supervised class session (团体测评) on a school tablet: the counsellor signs in, starts the
session for a class and hands the device round. While it runs the device is locked to the
session: a pupil taps her name, answers, and the device returns to the list; nothing else of the
counsellor's account opens, and the session ends only with her password. No pupil account; no
result is shown to a pupil; the pages are never cached (no-store, not marked for the service
worker, no outbox form, no htmx history)."""
from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from .. import audit
from ..access import allow, get_in_scope, visible_classes
from ..auth import sessions as sign_ins
from ..auth import throttle
from ..auth.passwords import check_secret
from ..clock import today, utcnow
from ..forms import AppForm, CreateForm
from ..models import Child, SchoolClass, ScreeningResult, ScreeningRound, ScreeningSession
from ..web import render
from . import instruments, service
from .blueprint import bp
from .views_individual import answers_from

LOCK_KEY = "screening_session"
# What a locked device may still open: the session's own pages and the static files.
OPEN_WHILE_LOCKED = {"static", "screening.session_list", "screening.session_pupil", "screening.session_done",
                     "screening.session_end", "pwa.service_worker", "pwa.manifest"}


class StartForm(AppForm):
    school_class = SelectField(_l("Class"), coerce=int)
    instrument = SelectField(_l("Instrument"))


def _session_classes(user, screening_round):
    return list(visible_classes(user).where((SchoolClass.school_year == screening_round.school_year)
                                            & SchoolClass.grade.in_(screening_round.grade_list))
                .order_by(SchoolClass.grade, SchoolClass.number))


@bp.route("/<int:round_id>/sessions", methods=["GET", "POST"])
@allow("counselor")
def sessions(round_id):
    screening_round = get_in_scope(ScreeningRound.select(), round_id)
    user = current_user._get_current_object()
    form = StartForm()
    form.school_class.choices = [SelectChoice(c.id, f"{c.grade}-{c.number}")
                                 for c in _session_classes(user, screening_round)]
    used = [instruments.get(code) for code in screening_round.instrument_list]
    form.instrument.choices = [SelectChoice(i.code, i.name) for i in used if i and i.administered]
    if form.validate_on_submit():
        started = ScreeningSession.create(round=screening_round, school_class=form.school_class.data,
                                          instrument=form.instrument.data, started_by=user)
        audit.record("screening_session_start", started)
        _forget_remembered_sign_in(user)
        session[LOCK_KEY] = started.id
        return redirect(url_for("screening.session_list", session_id=started.id))
    return render("screening/sessions.html", screening_round=screening_round, form=form), (
        422 if form.is_submitted() else 200)


def _forget_remembered_sign_in(user):
    """The lock lives in the session cookie, which closing the browser drops; a remember cookie
    (记住我) outlives it and would sign the counsellor in again unlocked, in a pupil's hands. So the
    device goes on with a new sign-in that is not remembered, and the old one (the remember
    cookie's) ends: closing the browser now signs her out."""
    sign_ins.end(user)
    sign_ins.start(user)
    login_user(user, remember=False)
    session["_remember"] = "clear"  # Flask-Login deletes the cookie with this response


def _running(session_id):
    """The running session of this device's lock (anything else answers 404)."""
    user = current_user._get_current_object()
    if session.get(LOCK_KEY) != session_id:
        get_in_scope(ScreeningSession.select().where(False), session_id)
    return get_in_scope(ScreeningSession.select().where(
        (ScreeningSession.started_by == user.id) & ScreeningSession.ended_at.is_null()), session_id)


def _done_ids(running):
    return {cid for (cid,) in ScreeningResult.select(ScreeningResult.child).where(
        ScreeningResult.client_uuid.startswith(f"s{running.id}-")).tuples()}


@bp.route("/session/<int:session_id>")
@allow("counselor")
def session_list(session_id):
    running = _running(session_id)
    pupils = list(Child.select(Child.id, Child.name).where(Child.school_class == running.school_class_id)
                  .order_by(Child.name_pinyin))
    school_class = SchoolClass.get_by_id(running.school_class_id)
    return render("screening/session_list.html", running=running, pupils=pupils, done=_done_ids(running),
                  school_class=school_class)


@bp.route("/session/<int:session_id>/pupil/<int:child_id>", methods=["GET", "POST"])
@allow("counselor")
def session_pupil(session_id, child_id):
    running = _running(session_id)
    child = get_in_scope(Child.select().where(Child.school_class == running.school_class_id), child_id)
    instrument = instruments.get(running.instrument, "zh")  # the pupils' language, whoever signed in
    if child.id in _done_ids(running):
        return render("screening/session_already.html", running=running)
    form = CreateForm()
    missing = False
    if form.validate_on_submit():
        answers = answers_from(request.form, instrument)
        if answers is not None:
            service.record_result(
                child, instrument, answers=answers, source="session", taken_on=today(),
                user=current_user._get_current_object(), client_uuid=f"s{running.id}-{child.id}",
                screening_round=running.round)
            return redirect(url_for("screening.session_done", session_id=running.id))
        missing = True
    return render("screening/session_pupil.html", running=running, child=child, instrument=instrument, form=form,
                  missing=missing, posted=request.form), 422 if form.is_submitted() else 200


@bp.route("/session/<int:session_id>/done")
@allow("counselor")
def session_done(session_id):
    return render("screening/session_done.html", running=_running(session_id))


@bp.route("/session/<int:session_id>/end", methods=["GET", "POST"])
@allow("counselor")
def session_end(session_id):
    running = _running(session_id)
    wrong = locked = False
    if request.method == "POST" and AppForm().validate_on_submit():
        user = current_user._get_current_object()
        # Counted with her sign-in's failures before it is checked: the pupils hold the device,
        # and an uncounted password check would let them guess her password.
        attempt = throttle.claim(user.username, audit.client_address())
        if attempt is None:
            locked = True
            audit.record("login_refused", username=user.username)
        elif check_secret(user.password_hash, request.form.get("password", "")):
            throttle.settle(attempt, user.username)
            ScreeningSession.update(ended_at=utcnow()).where(ScreeningSession.id == running.id).execute()
            session.pop(LOCK_KEY, None)
            audit.record("screening_session_end", running, screened=len(_done_ids(running)))
            flash(_("The session has ended."))
            return redirect(url_for("screening.show_round", round_id=running.round_id))
        else:
            wrong = True
    return render("screening/session_end.html", running=running, wrong=wrong, locked=locked,
                  locked_message=throttle.LOCKED_MESSAGE), 422 if wrong or locked else 200


def init_app(app):
    @app.before_request
    def keep_the_device_in_its_session():
        """A device handed to pupils opens nothing but the session until the counsellor ends it."""
        locked = session.get(LOCK_KEY)
        if locked and not current_user.is_authenticated:
            # Her sign-in ended elsewhere (signed out everywhere, a new password): the lock goes
            # with it, or the sign-in page and the session would redirect to each other for ever.
            session.pop(LOCK_KEY)
            return None
        if locked and request.endpoint not in OPEN_WHILE_LOCKED:
            return redirect(url_for("screening.session_list", session_id=locked))
        return None

    @app.after_request
    def never_kept(response):
        if request.endpoint and request.endpoint.startswith("screening.session"):
            response.headers["Cache-Control"] = "no-store"
        return response
