"""`/incidents/`: critical incidents (危机事件), opened from a phone in under a minute, and the
care of the other pupils afterwards (postvention), 《实施方案》四、12."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import (
    INCIDENT_WORKERS,
    STAFF,
    allow,
    can,
    child_or_404,
    follow_up_shown,
    require,
    scoped_or_404,
    visible_children,
    visible_follow_ups,
    visible_incidents,
    visible_schools,
    visible_villages,
)
from ..children.search import in_pinyin_order
from ..clock import utcnow
from ..models import Child, Incident, IncidentChild, School, SchoolClass, Village
from ..pwa import offline_page
from ..web import render
from . import overview, plan, service
from .forms import AffectedForm, CloseForm, FollowUpConcernForm, FollowUpForm, IncidentForm, PlanForm

bp = Blueprint("incidents", __name__, url_prefix="/incidents")
FOLLOW_UP_WORKERS = ("county", "zone", "counselor", "head_teacher")
PICKER_SIZE = 30
SMALL_SCOPES = ("head_teacher", "child_worker")  # her own class or villages: every child listed


def _user():
    return current_user._get_current_object()


# --- opening --------------------------------------------------------------------------------

def _places(user):
    """Where an incident may be: her schools (a child worker: her villages), as select choices."""
    if user.role == "child_worker":
        return [(f"v{v.id}", v.name) for v in visible_villages(user).order_by(Village.name)]
    return [(f"s{s.id}", s.name) for s in visible_schools(user).order_by(School.name)]


def _with_class(children):
    """A children query read with each child's class (the picker shows "4-2" after a name):
    the name and class only, as a class's 60 classmates are listed on every incident page."""
    return children.select(Child.id, Child.name, Child.school_class, SchoolClass.id, SchoolClass.grade,
                           SchoolClass.number).join(SchoolClass, JOIN.LEFT_OUTER,
                                                    on=(Child.school_class == SchoolClass.id))


def _picker(scope, text, ticked, list_all=False, size=PICKER_SIZE):
    """The children a picker lists: those already ticked first (a new search keeps them), then
    the matches of the search, or the whole of a small list (a head teacher's class)."""
    ticked_rows = list(_with_class(scope.where(Child.id.in_(list(ticked)))).order_by(Child.name_pinyin)) \
        if ticked else []
    taken = {c.id for c in ticked_rows}
    if list_all and not text:
        # A small list (a class; the classes of the pupils involved) is read whole in one query.
        rows = _with_class(scope).order_by(Child.name_pinyin, Child.id).limit(size + len(ticked_rows))
        return ticked_rows + [c for c in rows if c.id not in taken][:size]
    ids = [cid for (cid,) in in_pinyin_order(scope, text).limit(size + len(ticked_rows)).tuples()] if text else []
    rest = [i for i in ids if i not in taken][:size]
    found = list(_with_class(Child.select()).where(Child.id.in_(rest)).order_by(Child.name_pinyin, Child.id)) \
        if rest else []
    return ticked_rows + found


def _new_page(form, status=200):
    user = _user()
    text = request.form.get("q", "") if request.method == "POST" else ""
    choices = _places(user)
    return render("incidents/new.html", "incidents/_picker.html", form=form, places=choices, q=text,
                  picker_name="children", picked=set(form.children.data or []), picker_action=url_for("incidents.new"),
                  candidates=_picker(visible_children(user), text, set(form.children.data or []),
                                     list_all=user.role in SMALL_SCOPES)), status


@bp.route("/new", methods=["GET", "POST"])
@allow(*STAFF)
@offline_page
def new():
    """One short form: what, where, when, a few words, who was directly involved."""
    user = _user()
    form = IncidentForm()
    form.place.choices = _places(user)
    if len(form.place.choices) == 1 and not form.is_submitted():
        form.place.data = form.place.choices[0][0]
    if request.method == "POST" and request.form.get("pick"):
        form.kind.errors = []
        return _new_page(form)
    if not form.validate_on_submit():
        return _new_page(form, 422 if form.is_submitted() else 200)
    kind_of_place, place_id = form.place.data[0], int(form.place.data[1:])
    children = [cid for (cid,) in visible_children(user).select(Child.id)
                .where(Child.id.in_(form.children.data or [0])).tuples()]
    incident, _created = service.open_incident(
        user, kind=form.kind.data, school_id=place_id if kind_of_place == "s" else None,
        village_id=place_id if kind_of_place == "v" else None, happened_at=form.happened_utc(),
        description=form.description.data.strip(), child_ids=children, made_at=form.device_time(),
        client_uuid=form.client_uuid.data,
    )
    flash(_("The incident is open and the school's psychology teacher, principal, zone and county have been told."))
    return redirect(url_for("incidents.show", incident_id=incident.id))


# --- reading --------------------------------------------------------------------------------

@bp.route("/")
@allow(*STAFF)
def index():
    user = _user()
    incidents = list(visible_incidents(user).order_by(Incident.status.desc(), Incident.received_at.desc()).limit(100))
    return render("incidents/index.html", incidents=incidents, home=overview.home(user))


def _incident_or_404(incident_id):
    return scoped_or_404(visible_incidents, _user(), incident_id)


def _show(incident, status=200, fragment=None, **forms):
    user = _user()
    now = utcnow()
    steps = overview.steps_of(incident)
    involved = overview.involved_ids(incident)
    # Every task of the incident (counted and on the timeline), and those the reader may see
    # listed: one query, as the incident is hers to read.
    all_rows = overview.follow_ups_of(incident)
    follow_ups = [f for f in all_rows if follow_up_shown(user, f)]
    names = overview.visible_names(user, set(involved) | {f.child_id for f in follow_ups})
    people = overview.people_named(
        {incident.opened_by_id, incident.closed_by_id} | {s.done_by_id for s in steps}
        | {f.owner_id for f in follow_ups} | {f.added_by_id for f in all_rows} | {f.done_by_id for f in all_rows})
    manage = can(user, "manage_incident", incident)
    place = incident.school.name if incident.school_id else (incident.village.name if incident.village_id else "")
    if manage:
        forms.setdefault("affected_form", AffectedForm(formdata=None))
        forms.setdefault("close_form", CloseForm(formdata=None))
    picked = set(forms["affected_form"].children.data or []) if manage else set()
    # The classmates to pick from are drawn when the fold is opened (htmx asks for the picker
    # then) or after a search or a refused post: not on every reading of the page, which drew a
    # class of checkboxes inside a closed fold for each visit (a fifth of the page's time).
    picker_now = manage and request.method == "POST"
    return render(
        "incidents/show.html", fragment, incident=incident, place=place, steps=steps, involved=involved, names=names,
        follow_ups=follow_ups, people=people, now=now, may_work=can(user, "work_incident", incident),
        may_manage=manage, timeline=overview.timeline(incident, steps, all_rows, people),
        counts={"total": len(all_rows), "done": sum(1 for f in all_rows if f.done_at),
                "overdue": sum(1 for f in all_rows if not f.done_at and f.due_at < now)},
        classes=overview.classes_for_postvention(incident) if manage and incident.status == "open" else [],
        candidates=_affected_candidates(user, incident, request.form.get("q", ""), picked) if picker_now else [],
        picker_deferred=manage and not picker_now,
        picked=picked, picker_name="children", q=request.form.get("q", ""), section=plan.PLAN_SECTION,
        picker_action=url_for("incidents.add_pupils", incident_id=incident.id),
        # access._complete_follow_up row by row, without its scope query per task: the tasks are all
        # of this incident, so "a psychology teacher who reads its incident" is `manage` for each.
        may_complete={f.id for f in follow_ups if manage or f.owner_id == user.id},
        **forms,
    ), status


def _affected_scope(user, incident):
    """Pupils who may be added: those of the incident's school (or village) the user may see."""
    scope = visible_children(user)
    if incident.school_id is not None:
        return scope.where(Child.school == incident.school_id)
    return scope.where(Child.village == incident.village_id)


def _affected_candidates(user, incident, text, picked):
    """Without a search: the classmates of the children directly involved, who come first to mind."""
    scope = _affected_scope(user, incident)
    if not text:
        classes = Child.select(Child.school_class).where(Child.id.in_(
            IncidentChild.select(IncidentChild.child).where(IncidentChild.incident == incident.id)))
        scope = scope.where(Child.school_class.in_(classes))
        return _picker(scope, "", picked, list_all=True, size=60)
    return _picker(scope, text, picked)


@bp.route("/<int:incident_id>")
@allow(*STAFF)
def show(incident_id):
    incident = _incident_or_404(incident_id)
    audit.record("read_incident", incident)
    return _show(incident)


# --- the plan's checklist -------------------------------------------------------------------

@bp.route("/<int:incident_id>/steps/<int:position>", methods=["POST"])
@allow(*STAFF)
def step(incident_id, position):
    incident = require(_user(), "work_incident", _incident_or_404(incident_id))
    if incident.status != "open":
        abort(409)
    if not service.tick_step(incident, position, _user(), utcnow()):
        flash(_("This step was already recorded."))
    return redirect(url_for("incidents.show", incident_id=incident.id, _anchor="plan"))


# --- postvention ----------------------------------------------------------------------------

def _managed_open(incident_id):
    incident = require(_user(), "manage_incident", _incident_or_404(incident_id))
    if incident.status != "open":
        abort(409)
    return incident


@bp.route("/<int:incident_id>/pupils", methods=["POST"])
@allow(*INCIDENT_WORKERS)
def add_pupils(incident_id):
    """Add pupils one by one (classmates, friends, witnesses) at a level; `pick` searches."""
    incident = _managed_open(incident_id)
    user = _user()
    form = AffectedForm()
    if request.form.get("pick"):
        return _show(incident, fragment="incidents/_picker.html", affected_form=form)
    if not form.validate_on_submit() or not form.children.data:
        if form.is_submitted() and not form.children.data:
            form.children.errors = [_("Please tick at least one pupil.")]
        return _show(incident, 422, affected_form=form)
    scope = _affected_scope(user, incident).where(Child.id.in_(form.children.data))
    added = service.add_affected(incident, list(scope), form.level.data, user, utcnow())
    flash(_("%(count)d pupils added, each with a follow-up task.", count=added))
    return redirect(url_for("incidents.show", incident_id=incident.id, _anchor="postvention"))


@bp.route("/<int:incident_id>/class/<int:class_id>", methods=["POST"])
@allow(*INCIDENT_WORKERS)
def add_class(incident_id, class_id):
    """The whole class at the 一般 level: the second of two taps."""
    incident = _managed_open(incident_id)
    user = _user()
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None or school_class.school_id != incident.school_id:
        abort(404)
    pupils = list(visible_children(user).where(Child.school_class == school_class.id))
    added = service.add_affected(incident, pupils, "general", user, utcnow())
    flash(_("%(count)d pupils of %(cls)s added, each with a follow-up task.", count=added, cls=school_class.label))
    return redirect(url_for("incidents.show", incident_id=incident.id, _anchor="postvention"))


def _follow_up_or_404(follow_up_id):
    user = _user()
    follow_up = scoped_or_404(visible_follow_ups, user, follow_up_id)
    return require(user, "complete_follow_up", follow_up)


@bp.route("/follow-ups/<int:follow_up_id>/done", methods=["GET", "POST"])
@allow(*FOLLOW_UP_WORKERS)
def complete(follow_up_id):
    """Record what a follow-up found, on a page of its own: the incident page lists a class of
    tasks and links here, rather than carrying a form for each (they were most of its weight),
    and a note refused keeps its words here instead of being lost on the way back."""
    follow_up = _follow_up_or_404(follow_up_id)
    form = FollowUpForm()
    if follow_up.done_at is None and form.validate_on_submit():
        service.complete(follow_up, _user(), form.note.data.strip(), utcnow())
        flash(_("Saved."))
        return redirect(url_for("incidents.show", incident_id=follow_up.incident_id, _anchor=f"f{follow_up.id}"))
    user = _user()
    if request.method == "GET":  # her name and, once done, what the follow-up found
        audit.record("read_incident_follow_up", follow_up, child_id=follow_up.child_id)
    incident = follow_up.incident
    name = overview.visible_names(user, {follow_up.child_id}).get(follow_up.child_id)
    people = overview.people_named({follow_up.owner_id, follow_up.done_by_id})
    status = 422 if form.is_submitted() and follow_up.done_at is None else 200
    return render("incidents/follow_up.html", form=form, follow_up=follow_up, incident=incident, name=name,
                  people=people, now=utcnow()), status


@bp.route("/follow-ups/<int:follow_up_id>/concern", methods=["GET", "POST"])
@allow(*FOLLOW_UP_WORKERS)
def follow_up_concern(follow_up_id):
    """The follow-up found more: the concern form, prefilled, linked to the task."""
    follow_up = _follow_up_or_404(follow_up_id)
    user = _user()
    child = child_or_404(user, follow_up.child_id)
    form = FollowUpConcernForm()
    if not form.is_submitted():
        form.description.data = follow_up.note or ""
    if form.validate_on_submit():
        concern, _created = service.raise_concern(follow_up, user, form.urgency.data, form.description.data.strip(),
                                                  form.device_time(), form.client_uuid.data)
        return redirect(url_for("concerns.show", concern_id=concern.id))
    return render("incidents/concern.html", form=form, follow_up=follow_up, child=child), \
        422 if form.is_submitted() else 200


# --- closing --------------------------------------------------------------------------------

@bp.route("/<int:incident_id>/close", methods=["POST"])
@allow(*INCIDENT_WORKERS)
def close(incident_id):
    incident = _managed_open(incident_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return _show(incident, 422, close_form=form)
    service.close(incident, _user(), form.review_what.data.strip(), form.review_learned.data.strip(), utcnow())
    flash(_("The incident is closed with its review."))
    return redirect(url_for("incidents.show", incident_id=incident.id))


# --- the county's settings ------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@allow("county")
def settings():
    form = PlanForm()
    if form.validate_on_submit():
        plan.save_county_steps(form.step_list())
        plan.save_rules({"close_hours": form.close_hours.data, "general_days": form.general_days.data})
        audit.record("save_incident_plan", steps=len(form.step_list()), close_hours=form.close_hours.data,
                     general_days=form.general_days.data)
        flash(_("Saved."))
        return redirect(url_for("incidents.settings"))
    if not form.is_submitted():
        current = plan.rules()
        form.steps.data = "\n".join(plan.county_steps())
        form.close_hours.data, form.general_days.data = current["close_hours"], current["general_days"]
    return render("incidents/settings.html", form=form, section=plan.PLAN_SECTION), 422 if form.is_submitted() else 200
