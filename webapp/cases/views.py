"""`/cases/`, opening a case, and the case page `/cases/<id>` with its actions."""
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import (
    COUNSELLING,
    STAFF,
    allow,
    can,
    child_or_404,
    get_in_scope,
    triage_concerns,
    visible_cases,
    visible_concerns,
)
from ..bounds import record_id
from ..clock import to_local, today, utcnow
from ..models import Case, CaseNote, Child, Concern, Institution, LevelChange, Referral, User
from ..safeguarding import cases as service
from ..safeguarding import periods
from ..safeguarding.referrals import add_feedback, refer
from ..safeguarding.rules import referral_overdue, review_overdue
from ..web import render
from .forms import CaseForm, FeedbackForm, LevelForm, NoteForm, ReasonForm, ReferralForm, TeamForm

bp = Blueprint("cases", __name__, url_prefix="/cases")
# Any staff role may be on a care team; what each sees is decided per case by the policy.
CASE_READERS = STAFF


def me():
    return current_user._get_current_object()


@bp.route("/")
@allow(*CASE_READERS)
def index():
    user, day = me(), today()
    rows = list(
        visible_cases(user).select(Case, Child).join(Child, on=(Case.child == Child.id))
        .order_by(Case.status.desc(), Case.next_review_on.asc(nulls="LAST"), Case.id)
        .limit(300)
    )
    period = periods.current_period(day)
    ticks = periods.checklist(user, period) if period else {}
    return render("cases/index.html", cases=rows, today=day, period=period, ticks=ticks,
                  overdue=lambda case: review_overdue(case.next_review_on, day))


@bp.route("/new", methods=["GET", "POST"])
@allow(*COUNSELLING)
def new():
    concern = None
    if request.args.get("concern"):
        concern = get_in_scope(triage_concerns(me()), request.args.get("concern", type=record_id))
        child = concern.child
    else:
        child = child_or_404(me(), request.args.get("child", type=record_id))
    # The one opening the case is its responsible adult unless she chooses another.
    form = CaseForm(level=request.args.get("level") or "attention", responsible=me().id)
    form.set_candidates(service.team_candidates(child))
    if form.validate_on_submit():
        members = list(User.select().where(User.id.in_(form.members.data or [])))
        responsible = User.get_by_id(form.responsible.data)
        try:
            case, _created = service.open_case(
                child, me(), today(), form.level.data, form.categories.data, form.goals.data.strip(),
                form.measures.data.strip(), responsible, members, form.client_uuid.data, concern=concern,
            )
        except service.CaseAlreadyOpen as refused:
            return _already_open(refused.case, "cases/new.html", form=form, child=child, concern=concern)
        return redirect(url_for("cases.show", case_id=case.id))
    status = 422 if form.is_submitted() else 200
    # One child, one plan: with a case open, the page says so and links to it instead of a form.
    current = service.open_case_of(child.id)
    return render("cases/new.html", form=form, child=child, concern=concern,
                  case=current if current is not None and can(me(), "read_case", current) else None), status


def _already_open(current, template, **context):
    """409: the child has an open case. The page links to it when the user may open it (a
    counsellor of the school may not be on a zone's case team but still learns one exists)."""
    readable = can(me(), "read_case", current)
    audit.record("refuse_second_case", current, child_id=current.child_id)
    return render(template, case=current if readable else None, refused=True, **context), 409


def _case_or_404(case_id):
    return get_in_scope(visible_cases(me()).select(Case, Child).join(Child), case_id)


# A fold of the case page and the form it holds.
MANAGEMENT_FOLDS = {"level": "level_form", "team": "team_form", "close": "reason_form"}


def _page(case, status=200, other_case=None, **forms):
    """The case page; forms with errors are passed in, the others start empty. `other_case`:
    the child's open case, when reopening this one was refused."""
    user, day = me(), today()
    responsible, members = service.team_of(case)
    reads_notes = can(user, "read_case_notes", case)
    notes, referrals, concerns = [], [], []
    if reads_notes:
        # Every note here is of this case: whether restricted ones show is decided once.
        restricted_too = can(user, "read_restricted_notes", case)
        notes = [n for n in case.notes.select(CaseNote, User.id, User.display_name)
                 .join(User, JOIN.LEFT_OUTER, on=CaseNote.author)
                 .order_by(CaseNote.contacted_on.desc(), CaseNote.id.desc())
                 if not n.restricted or restricted_too]
        referrals = list(case.referrals.select(Referral, Institution).join(Institution)
                         .order_by(Referral.referred_on.desc()))
        concerns = _concerns_on(case, user)
    manages = can(user, "manage_case", case)
    # The level, team and close folds draw their forms only when open (after a refused post, or
    # asked for with ?fold=, which htmx does as a fold opens): the team's candidates are a query
    # of their own, and the three were most of the page's drawing on every reading. The note and
    # the referral stay drawn: the phone's outbox keeps them when the signal drops.
    asked = request.args.get("fold", "")
    open_folds = set()
    if manages and case.status == "open":
        refused = {fold for fold, name in MANAGEMENT_FOLDS.items() if name in forms}
        open_folds = refused | ({asked} & set(MANAGEMENT_FOLDS))
    if manages or can(user, "work_case", case):
        if "referral_form" not in forms:
            forms["referral_form"] = ReferralForm()
            forms["referral_form"].institution.choices = [
                (i.id, i.name) for i in Institution.select().where(Institution.active).order_by(Institution.name)
            ]
        forms.setdefault("note_form", NoteForm())
        forms.setdefault("feedback_form", FeedbackForm())
    if "level" in open_folds:
        forms.setdefault("level_form", LevelForm(level=case.level))
    if "team" in open_folds and "team_form" not in forms:
        forms["team_form"] = TeamForm(responsible=getattr(responsible, "id", None), members=[m.id for m in members])
        forms["team_form"].set_candidates(service.team_candidates(case.child))
    if manages and ("close" in open_folds or case.status != "open"):  # closed: the reopen form, unfolded
        forms.setdefault("reason_form", ReasonForm())
    for name, form in forms.items():  # one page, several forms: ids note-text, reason-text…
        form.prefix_ids(name.removesuffix("_form"))
    context = dict(
        case=case, child=case.child, responsible=responsible, members=members, notes=notes,
        referrals=referrals, concerns=concerns, other_case=other_case, reads_notes=reads_notes, manages=manages,
        open_folds=open_folds, fold=asked,
        works=can(user, "work_case", case), may_restrict=user.role in COUNSELLING,
        history=list(case.level_changes.order_by(LevelChange.changed_at.desc(), LevelChange.id.desc())),
        review_overdue=review_overdue(case.next_review_on, day),
        referral_overdue=lambda r: referral_overdue(
            r.referred_on, r.last_feedback_on, r.outcome_on, day,
            current_app.config.get("REFERRAL_FEEDBACK_DAYS", 14)),
        **forms,
    )
    return render("cases/show.html", "cases/_fold.html" if asked in open_folds else None, **context), status


def _concerns_on(case, user):
    """The concerns on this case (the one it grew from, those that joined it), newest first,
    for those who read its notes; each links to its page where the user may open that. Two
    queries whatever their number."""
    concerns = list(Concern.select().where((Concern.case_id == case.id) | (Concern.id == case.concern_id))
                    .order_by(Concern.received_at.desc()))
    ids = [c.id for c in concerns]
    openable = {c.id for c in visible_concerns(user).select(Concern.id).where(Concern.id.in_(ids))} if ids else set()
    for concern in concerns:
        concern.openable = concern.id in openable
    return concerns


@bp.route("/<int:case_id>")
@allow(*CASE_READERS)
def show(case_id):
    case = _case_or_404(case_id)
    audit.record("read_case", case, child_id=case.child_id)
    return _page(case)


def _acting_on(case_id, action):
    case = _case_or_404(case_id)
    if not can(me(), action, case):
        abort(404)
    return case


@bp.route("/<int:case_id>/notes", methods=["POST"])
@allow(*CASE_READERS)
def add_note(case_id):
    case = _acting_on(case_id, "work_case")
    form = NoteForm()
    form.case_opened_on = to_local(case.opened_at).date()
    if not form.validate_on_submit():
        return _page(case, 422, note_form=form)
    restricted = bool(form.restricted.data) and me().role in COUNSELLING
    service.add_note(case, me(), form.text.data.strip(), restricted, form.is_review.data,
                     form.contacted_on.data, form.device_time(), form.client_uuid.data, today())
    flash(_("Follow-up saved."))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/level", methods=["POST"])
@allow(*COUNSELLING)
def change_level(case_id):
    case = _acting_on(case_id, "manage_case")
    form = LevelForm()
    if not form.validate_on_submit():
        return _page(case, 422, level_form=form)
    service.change_level(case, me(), today(), form.level.data, form.reason.data.strip())
    flash(_("Level changed."))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/team", methods=["POST"])
@allow(*COUNSELLING)
def set_team(case_id):
    case = _acting_on(case_id, "manage_case")
    form = TeamForm()
    form.set_candidates(service.team_candidates(case.child))
    if not form.validate_on_submit():
        return _page(case, 422, team_form=form)
    members = list(User.select().where(User.id.in_(form.members.data or [])))
    service.set_team(case, User.get_by_id(form.responsible.data), members)
    flash(_("Care team saved."))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/close", methods=["POST"])
@allow(*COUNSELLING)
def close(case_id):
    case = _acting_on(case_id, "manage_case")
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(case, 422, reason_form=form)
    if case.status == "open":
        service.close_case(case, utcnow(), form.reason.data.strip())
        flash(_("Case closed."))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/reopen", methods=["POST"])
@allow(*COUNSELLING)
def reopen(case_id):
    case = _acting_on(case_id, "manage_case")
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(case, 422, reason_form=form)
    if case.status == "closed":
        try:
            service.reopen_case(case, me(), today(), form.reason.data.strip())
        except service.CaseAlreadyOpen as refused:
            other = refused.case if can(me(), "read_case", refused.case) else None
            return _page(_case_or_404(case_id), 409, other_case=other, reason_form=form)
        flash(_("Case reopened."))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/referrals", methods=["POST"])
@allow(*COUNSELLING)
def add_referral(case_id):
    case = _acting_on(case_id, "manage_case")
    form = ReferralForm()
    form.institution.choices = [(i.id, i.name) for i in Institution.select().where(Institution.active)]
    if not form.validate_on_submit():
        return _page(case, 422, referral_form=form)
    refer(case, me(), Institution.get_by_id(form.institution.data), form.referred_on.data,
          form.guardian_informed.data, form.guardian_consented.data, form.consent_how.data,
          (form.handover_notes.data or "").strip(), form.client_uuid.data)
    flash(_("Referral saved."))
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/referrals/<int:referral_id>/feedback", methods=["POST"])
@allow(*CASE_READERS)
def referral_feedback(case_id, referral_id):
    case = _acting_on(case_id, "work_case")
    referral = Referral.get_or_none((Referral.id == referral_id) & (Referral.case == case.id))
    if referral is None:
        abort(404)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _page(case, 422, feedback_form=form)
    add_feedback(referral, me(), form.received_on.data, form.text.data.strip(), form.is_outcome.data)
    flash(_("Feedback saved."))
    return redirect(url_for("cases.show", case_id=case.id))
