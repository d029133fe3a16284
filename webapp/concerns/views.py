"""`/concerns/new`, the triage inbox `/concerns/`, and the concern page `/concerns/<id>`."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN, Case

from .. import audit
from ..access import STAFF, allow, can, child_or_404, get_in_scope, triage_concerns, visible_concerns
from ..bounds import page_number, record_id
from ..clock import utcnow
from ..db import one_page
from ..models import Case as CaseRecord
from ..models import Child, Concern, Notification, User
from ..pwa import child_template, offline_page
from ..safeguarding import cases as case_service
from ..safeguarding import concerns as service
from ..safeguarding.rules import OPEN_STATUSES
from ..web import render
from .forms import ConcernForm, TriageForm

bp = Blueprint("concerns", __name__, url_prefix="/concerns")
TRIAGE_ROLES = ("county", "zone", "counselor")


@bp.route("/new", methods=["GET", "POST"])
@allow(*STAFF)
@offline_page
def new():
    if child_template():
        # The one copy kept on the phone for every child of her roster (offline); no child in it.
        return render("concerns/new.html", form=ConcernForm(), child=None)
    child = child_or_404(current_user, request.args.get("child", type=record_id))
    form = ConcernForm()
    if form.validate_on_submit():
        concern, created = service.raise_concern(
            child, current_user._get_current_object(), form.urgency.data, form.description.data.strip(),
            form.device_time(), form.client_uuid.data,
        )
        return render("concerns/saved.html", concern=concern, child=child, created=created)
    status = 422 if form.is_submitted() else 200
    return render("concerns/new.html", form=form, child=child), status


# The waiting list a page at a time: a county's 200 and more rows took the page past its budget
# (and a long scroll on a phone); the heading counts them all, urgent ones come first.
WAITING_PER_PAGE = 50


def _inbox_order(query):
    urgent_first = Case(None, [(Concern.urgency == "urgent", 0), (Concern.urgency == "soon", 1)], 2)
    return query.order_by(urgent_first, Concern.received_at.desc(), Concern.id.desc())  # id: pages never overlap


@bp.route("/")
@allow(*STAFF)
def index():
    """Triage roles see what waits in their scope; everyone else the concerns she raised or
    was told about, with their status."""
    user = current_user._get_current_object()
    triaging = user.role in TRIAGE_ROLES
    # What a row shows, not the concern's description and the rest: a county lists 200 and more.
    base = (triage_concerns(user) if triaging else visible_concerns(user)).select(
        Concern.id, Concern.child, Concern.urgency, Concern.status, Concern.received_at, Concern.case_id,
        Concern.escalated_at)
    page = request.args.get("page", 1, type=page_number)
    still_open = base.where(Concern.status.in_(OPEN_STATUSES))
    waiting = list(one_page(_inbox_order(still_open), page, WAITING_PER_PAGE))
    has_more = len(waiting) > WAITING_PER_PAGE
    waiting = waiting[:WAITING_PER_PAGE]
    total = still_open.count() if has_more or page > 1 else len(waiting)
    recent = [] if page > 1 else list(
        base.where(Concern.status.not_in(OPEN_STATUSES)).order_by(Concern.received_at.desc()).limit(20))
    _with_children(waiting + recent)
    return render("concerns/index.html", waiting=waiting, waiting_total=total, recent=recent, page=page,
                  has_more=has_more, triaging=triaging, now=utcnow())


def _with_children(concerns):
    """The listed concerns' children (their names: all the list shows), in one query by key.
    (Joined to the concerns instead, PostgreSQL may misjudge how few concerns a scope keeps and
    read every child.)"""
    children = {c.id: c for c in Child.select(Child.id, Child.name).where(Child.id.in_({c.child_id for c in concerns}))}
    for concern in concerns:
        concern.child = children[concern.child_id]


def _concern_or_404(concern_id):
    return get_in_scope(visible_concerns(current_user), concern_id)


def _mark_seen(concern):
    Notification.update(seen_at=utcnow()).where(
        (Notification.user == current_user.id) & (Notification.concern == concern.id)
        & Notification.seen_at.is_null()
    ).execute()


def _who_heard(concern):
    return list(
        Notification.select(Notification, User)
        .join(User, JOIN.INNER, on=(Notification.user == User.id))
        .where(Notification.concern == concern.id)
        .order_by(Notification.created_at, User.display_name)
    )


@bp.route("/<int:concern_id>", methods=["GET"])
@allow(*STAFF)
def show(concern_id, triage_form=None, status=200):
    concern = _concern_or_404(concern_id)
    _mark_seen(concern)
    audit.record("read_concern", concern, child_id=concern.child_id)
    user = current_user._get_current_object()
    may_triage = can(user, "triage_concern", concern)
    case = _case_of(concern, user)
    triage_form = triage_form or (TriageForm(risk_level=concern.risk_level or "attention") if may_triage else None)
    if triage_form is not None and case is not None and case.status == "open":
        triage_form.offer_joining()
    context = {
        "concern": concern,
        "child": concern.child,
        "heard": _who_heard(concern),
        "may_triage": may_triage,
        "show_triage_note": can(user, "read_triage_note", concern),
        "may_open_child": can(user, "read_child", concern.child),
        "triage_form": triage_form,
        "case": case,
        "now": utcnow(),
    }
    return render("concerns/show.html", **context), status


def _case_of(concern, user):
    """The case the concern joined, else the child's open case, when the user may open it
    (a pupil or village worker who reported the concern never learns of a case)."""
    if concern.case_id is not None:
        case = CaseRecord.get_or_none(CaseRecord.id == concern.case_id)
    else:
        case = case_service.open_case_of(concern.child_id)
    return case if case is not None and can(user, "read_case", case) else None


def _triage_target(concern_id):
    concern = _concern_or_404(concern_id)
    if not can(current_user, "triage_concern", concern):
        abort(404)
    return concern


@bp.route("/<int:concern_id>/acknowledge", methods=["POST"])
@allow(*TRIAGE_ROLES)
def acknowledge(concern_id):
    concern = _triage_target(concern_id)
    if service.acknowledge(concern, current_user._get_current_object(), utcnow()):
        flash(_("Acknowledged. Everyone who was told can see it."))
    return redirect(url_for("concerns.show", concern_id=concern.id))


@bp.route("/<int:concern_id>/triage", methods=["POST"])
@allow(*TRIAGE_ROLES)
def triage(concern_id):
    concern = _triage_target(concern_id)
    form = TriageForm()
    if not form.validate_on_submit():
        return show(concern_id, triage_form=form, status=422)
    if form.decision.data == "case":
        user = current_user._get_current_object()
        current = case_service.open_case_of(concern.child_id)
        if current is not None:  # one child, one plan: the concern joins the case she has
            service.triage_into_case(concern, current, user, utcnow(), form.risk_level.data,
                                     (form.note.data or "").strip())
            flash(_("The concern has joined her open case. Change the case's level there if needed."))
            if can(user, "read_case", current):
                return redirect(url_for("cases.show", case_id=current.id))
            return redirect(url_for("concerns.show", concern_id=concern.id))
        service.acknowledge(concern, user, utcnow())
        return redirect(url_for("cases.new", concern=concern.id, level=form.risk_level.data))
    service.triage(concern, current_user._get_current_object(), utcnow(), form.risk_level.data,
                   form.decision.data, (form.note.data or "").strip())
    flash(_("Saved."))
    return redirect(url_for("concerns.show", concern_id=concern.id))
