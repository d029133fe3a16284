"""`/programme/`: the school's register, the activity form, the county's and zone's compliance
matrix with its drill-down, the county's requirements and the annual 台账 workbook."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from .. import audit
from ..access import (
    ACTIVITY_LOGGERS,
    PROGRAMME_EDITORS,
    PROGRAMME_READERS,
    allow,
    can,
    get_in_scope,
    programme_classes,
    refuse,
    require,
    visible_schools,
    visible_zones,
)
from ..attachments import store as attachment_store
from ..bounds import record_id
from ..clock import today
from ..db import db
from ..models import (
    ACTIVITY_KINDS,
    CLASS_KINDS,
    ProgrammeActivity,
    ProgrammeStaff,
    Requirement,
    School,
    SchoolClass,
    Zone,
)
from ..pwa import offline_page
from ..schoolyear import school_year_of
from ..web import render
from ..xlsx import workbook_response
from . import compliance, kept, register, report, rules
from .forms import ActivityForm, NewRequirementForm, PlanForm, RequirementForm, RoomForm, StaffForm, TrainingForm
from .labels import STATE_LABELS, STATE_MARKS, cell_text, zone_posts_text
from .requirements import all_requirements, seed

bp = Blueprint("programme", __name__, url_prefix="/programme")


@bp.route("/")
@allow(*PROGRAMME_READERS, "head_teacher")
def index():
    """Where the programme starts: the county's or zone's matrix, the school's register, or a
    head teacher's lessons."""
    role = current_user.role
    if role in ("county", "zone"):
        return redirect(url_for("programme.matrix"))
    if role == "head_teacher":
        return redirect(url_for("programme.activities"))
    return redirect(url_for("programme.school", school_id=current_user.school_id))


# --- the matrix --------------------------------------------------------------------------------

def _matrix_scope():
    """(zone or None, schools query) of the matrix: the county's all (or ?zone=), a zone's own."""
    user = current_user
    zone = None
    if "zone" in request.args or user.role == "zone":
        zone_id = request.args.get("zone", type=record_id) if "zone" in request.args else user.zone_id
        if zone_id is None:
            abort(404)
        zone = get_in_scope(visible_zones(user), zone_id)
    schools = visible_schools(user) if zone is None else visible_schools(user).where(School.zone == zone.id)
    return zone, schools


def _matrix(zone, schools):
    day = today()
    rows = list(schools.select(School.id, School.name, Zone.id.alias("zone_id"), Zone.name.alias("zone_name"))
                .join(Zone).order_by(School.name).namedtuples())  # plain tuples: 400 rows read many times
    # Kept per school and day (kept.py): the same cells as compliance.evaluate, computed once.
    found = kept.evaluate([s.id for s in rows], day, "last" if request.args.get("term") == "last" else "this")
    sort = request.args.get("sort", "")
    keys = {r.key for r in found.requirements}
    descending = request.args.get("order") == "desc"
    if sort in keys:
        # Descending: the worst first (missed, due soon, in progress, met), by name within a state.
        rows.sort(key=lambda s: s.name)
        rows.sort(key=lambda s: rules.SEVERITY[found.cells[s.id][sort].state], reverse=descending)
    elif sort == "zone":
        rows.sort(key=lambda s: (s.zone_name, s.name), reverse=descending)
    elif sort == "name":
        rows.sort(key=lambda s: s.name, reverse=descending)
    else:  # the schools with most requirements missed first
        sort = ""
        rows.sort(key=lambda s: (-compliance.summary(found.cells[s.id])["missed"], s.name))
    return day, rows, found, sort, descending


CELL_CLASSES = {"met": "badge state-met", "open": "badge level-grey state-open",
                "due_soon": "badge urgency-soon state-due_soon", "missed": "badge urgency-urgent state-missed"}


def _matrix_rows(rows, found, zone):
    """The matrix's body, one string: a county's matrix has thousands of cells (400 schools × 13),
    so each distinct cell's markup is escaped once and each row is made here; a macro, or even an
    escaped expression per cell, cost most of the page's time."""
    pieces = {}
    base = url_for("programme.school", school_id=0)[:-1]  # "/programme/school/"
    requirements = [(r.key, r) for r in found.requirements]  # a model's field reads cost: once
    result = []
    for school in rows:
        row = found.cells[school.id]
        parts = [f'<tr><th scope="row"><a href="{base}{school.id}">{escape(school.name)}</a></th>']
        if not zone:
            parts.append(f"<td>{escape(school.zone_name)}</td>")
        for key, r in requirements:
            cell = row[key]
            piece = pieces.get((key, cell))
            if piece is None:
                # (before, after) the school id in the cell's link
                piece = pieces[(key, cell)] = (
                    f'<td><a class="{CELL_CLASSES[cell.state]}" href="{base}',
                    str(Markup('/requirement/{}"><span aria-hidden="true">{}</span> {}</a></td>').format(
                        key, STATE_MARKS[cell.state], cell_text(cell, r))))
            parts.append(f"{piece[0]}{school.id}{piece[1]}")
        parts.append("</tr>\n")
        result.append("".join(parts))
    return Markup("".join(result))


MISSING_PER_PAGE = 20  # schools missing a requirement, a page at a time: light on a phone


def _matrix_page(zone, day, rows, found, sort, descending, **view):
    """The matrix page: `view` says which body it has (zone rows, school rows, a page of the
    schools missing something) with what that body needs."""
    totals = {r.key: sum(found.cells[s.id][r.key].state == "met" for s in rows) for r in found.requirements}
    last_term = request.args.get("term") == "last"
    export_args = {"zone": zone.id} if zone else {}
    zones = [zone] if zone else list(visible_zones(current_user).order_by(Zone.name))
    posts = compliance.zone_posts([z.id for z in zones])
    return render("programme/matrix.html", zone=zone, day=day, rows=rows, found=found, sort=sort,
                  zone_posts=[(z, posts[z.id], CELL_CLASSES[posts[z.id].state], STATE_MARKS[posts[z.id].state],
                               zone_posts_text(posts[z.id])) for z in zones],
                  descending=descending, totals=totals, last_term=last_term, export_args=export_args,
                  term_args={"term": "last"} if last_term else {},
                  sort_args={**export_args, **({"term": "last"} if last_term else {})},
                  missing=sum(compliance.summary(found.cells[s.id])["missed"] > 0 for s in rows),
                  cell_classes=CELL_CLASSES, state_marks=STATE_MARKS, state_labels=STATE_LABELS, **view)


@bp.route("/matrix")
@allow("county", "zone")
def matrix():
    """The county's matrix folded by zone (a row per zone: its schools' states per requirement,
    each opening the zone's matrix); a zone's matrix has a row per school."""
    zone, schools = _matrix_scope()
    day, rows, found, sort, descending = _matrix(zone, schools)
    if zone is not None:
        return _matrix_page(zone, day, rows, found, sort, descending, view="schools",
                            body=_matrix_rows(rows, found, zone))
    zone_rows = compliance.by_zone(rows, found.cells)  # by name
    if sort in {r.key for r in found.requirements}:
        # Descending: the zone with most schools missing it first (then due soon, in progress).
        zone_rows.sort(key=lambda z: [z.counts[sort][state] for state in ("missed", "due_soon", "open")],
                       reverse=descending)
    elif sort in ("name", "zone"):
        sort = "name"
        zone_rows.sort(key=lambda z: z.name, reverse=descending)
    else:
        sort = ""
    return _matrix_page(zone, day, rows, found, sort, descending, view="zones", zone_rows=zone_rows)


@bp.route("/matrix/missing")
@allow("county", "zone")
def missing():
    """Only the schools that miss a requirement (只看未达标), sorted as the matrix is, a page at a
    time: the county's way to its schools without a 400-row page."""
    zone, schools = _matrix_scope()
    day, rows, found, sort, descending = _matrix(zone, schools)
    missed = [s for s in rows if compliance.summary(found.cells[s.id])["missed"]]
    page = max(1, min(request.args.get("page", 1, type=int), 10_000))
    shown = missed[(page - 1) * MISSING_PER_PAGE:page * MISSING_PER_PAGE]
    return _matrix_page(zone, day, rows, found, sort, descending, view="missing", body=_matrix_rows(shown, found, zone),
                        shown=shown, page=page, has_more=len(missed) > page * MISSING_PER_PAGE)


@bp.route("/matrix.xlsx")
@allow("county", "zone")
def matrix_xlsx():
    zone, schools = _matrix_scope()
    day, rows, found, _sort, _descending = _matrix(zone, schools)
    workbook = report.matrix_workbook(rows, found)
    audit.record("export_programme_matrix", zone)
    suffix = f"zone-{zone.id}" if zone else "county"
    return workbook_response(workbook, f"programme-compliance-{suffix}-{day.isoformat()}.xlsx")


# --- the school's register ----------------------------------------------------------------------

def _school(school_id):
    return get_in_scope(visible_schools(current_user), school_id)


def _fold_of(form_name):
    """The fold of the register a form lives in: a staff member's fold holds her training form."""
    return "staff-" + form_name.removeprefix("training-") if form_name.startswith("training-") else form_name


def _editing_forms(school, staff, room, plan, steps, wanted, failed):
    """The editing forms of the folds in `wanted` (staff-<id>, staff-new, room, plan): a register
    reader opens one fold at a time, so the page carries none of them closed (htmx asks for a
    fold's forms when it opens; without script its link opens the page with that fold)."""
    forms = {}
    if any(name.startswith("staff-") for name in wanted):
        accounts = register.school_accounts(school.id)
        if "staff-new" in wanted:
            new_staff = failed.get("staff-new") or StaffForm(formdata=None, prefix="staff-new")
            new_staff.set_accounts(accounts)
            forms["staff-new"] = new_staff.prefix_ids("staff-new")
        for member in staff:
            name = f"staff-{member.id}"
            if name not in wanted:
                continue
            form = failed.get(name) or StaffForm(formdata=None, obj=member, prefix=name, user=member.user_id or 0)
            form.set_accounts(accounts)
            forms[name] = form.prefix_ids(name)
            tname = f"training-{member.id}"
            forms[tname] = (failed.get(tname) or TrainingForm(formdata=None, prefix=tname)).prefix_ids(tname)
    if "room" in wanted:
        forms["room"] = (failed.get("room") or RoomForm(formdata=None, obj=room, prefix="room",
                                                        equipment=room.equipment_list if room else [])
                         ).prefix_ids("room")
    if "plan" in wanted:
        forms["plan"] = (failed.get("plan") or PlanForm(formdata=None, obj=plan, prefix="plan",
                                                        steps="\n".join(steps))
                         ).prefix_ids("plan")
    return forms


def _school_page(school, status=200, failed=None):
    """The register and its compliance; `failed`: {form name: form with errors} to show again,
    its fold open. `?fold=` opens one fold with its forms (htmx asks for that fold alone)."""
    day = today()
    failed = failed or {}
    # The kept row of the county's matrix (kept.py): the same cells as compliance.evaluate gives
    # (tests/test_matrix_kept.py), read in one query instead of counted again on every visit.
    found = kept.evaluate([school.id], day)
    staff, trainings = register.staff_of(school.id)
    room, plan, steps = register.room_plan_steps(school.id)
    editing = can(current_user, "edit_programme", school)
    asked = request.args.get("fold", "")
    folds = {"staff-new", "room", "plan"} | {f"staff-{member.id}" for member in staff}
    open_folds = ({_fold_of(name) for name in failed} | ({asked} & folds)) if editing else set()
    forms = _editing_forms(school, staff, room, plan, steps, open_folds, failed) if open_folds else {}
    first, last = rules.term_bounds(day)
    # The files of the plan and the certificates, in one query: whoever reads the register
    # reads them (access.ATTACHMENT_OWNERS: the school's readers).
    files = attachment_store.attachments_of_records({
        "training": [t.id for ts in trainings.values() for t in ts], "emergency_plan": [plan.id] if plan else []})
    certificates, plan_files = files["training"], files["emergency_plan"].get(plan.id, []) if plan else []
    return render("programme/school.html", "programme/_fold.html" if asked in open_folds else None,
                  school=school, day=day, found=found, cells=found.cells[school.id],
                  staff=staff, trainings=trainings, room=room, plan=plan, steps=steps,
                  editing=editing, forms=forms, open_folds=open_folds, fold=asked,
                  certificates=certificates, plan_files=plan_files,
                  recent=register.recent_activities(school.id, first, last, limit=20),
                  may_log=current_user.role in ACTIVITY_LOGGERS and current_user.school_id == school.id), status


@bp.route("/school/<int:school_id>")
@allow(*PROGRAMME_READERS)
def school(school_id):
    return _school_page(_school(school_id))


def _editable_school(school_id):
    return require(current_user, "edit_programme", _school(school_id))


def _staff_member(staff_id):
    """A staff member of a school she edits; 404 otherwise, noted like every other refusal."""
    member = ProgrammeStaff.get_or_none(ProgrammeStaff.id == staff_id)
    if member is None:
        refuse("ProgrammeStaff", staff_id)
    _editable_school(member.school_id)
    return member


@bp.route("/school/<int:school_id>/staff", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
def add_staff(school_id):
    school = _editable_school(school_id)
    form = StaffForm(prefix="staff-new")
    form.set_accounts(register.school_accounts(school.id))
    if not form.validate_on_submit():
        return _school_page(school, 422, {"staff-new": form})
    register.save_staff(school, None, {**_staff_data(form), "active": True})
    flash(_("Saved."))
    return redirect(url_for("programme.school", school_id=school.id) + "#staff")


def _staff_data(form):
    return {"name": form.name.data.strip(), "post": form.post.data,
            "qualification": (form.qualification.data or "").strip(), "user": form.user.data or None,
            "active": bool(form.active.data)}


@bp.route("/staff/<int:staff_id>", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
def edit_staff(staff_id):
    member = _staff_member(staff_id)
    school = member.school
    form = StaffForm(prefix=f"staff-{member.id}")
    form.set_accounts(register.school_accounts(school.id))
    if not form.validate_on_submit():
        return _school_page(school, 422, {f"staff-{member.id}": form})
    register.save_staff(school, member, _staff_data(form))
    flash(_("Saved."))
    return redirect(url_for("programme.school", school_id=school.id) + "#staff")


@bp.route("/staff/<int:staff_id>/training", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
def add_training(staff_id):
    member = _staff_member(staff_id)
    form = TrainingForm(prefix=f"training-{member.id}")
    if not form.validate_on_submit():
        return _school_page(member.school, 422, {f"training-{member.id}": form})
    register.add_training(member, {"title": form.title.data.strip(), "day": form.day.data,
                                   "hours": form.hours.data, "level": form.level.data})
    flash(_("Saved."))
    return redirect(url_for("programme.school", school_id=member.school_id) + "#staff")


@bp.route("/school/<int:school_id>/room", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
def save_room(school_id):
    school = _editable_school(school_id)
    form = RoomForm(prefix="room")
    if not form.validate_on_submit():
        return _school_page(school, 422, {"room": form})
    register.save_room(school, {"built": bool(form.built.data), "built_year": form.built_year.data,
                                "standard": bool(form.standard.data), "standard_year": form.standard_year.data,
                                "equipment": ",".join(form.equipment.data or [])})
    flash(_("Saved."))
    return redirect(url_for("programme.school", school_id=school.id) + "#room")


@bp.route("/school/<int:school_id>/plan", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
def save_plan(school_id):
    school = _editable_school(school_id)
    form = PlanForm(prefix="plan")
    if not form.validate_on_submit():
        return _school_page(school, 422, {"plan": form})
    register.save_plan(school, {"approved_on": form.approved_on.data, "last_drill_on": form.last_drill_on.data},
                       form.step_list())
    flash(_("Saved."))
    return redirect(url_for("programme.school", school_id=school.id) + "#plan")


@bp.route("/school/<int:school_id>/requirement/<key>")
@allow(*PROGRAMME_READERS)
def requirement(school_id, key):
    """The records behind one cell of the matrix."""
    school = _school(school_id)
    day = today()
    found = compliance.evaluate([school.id], day)
    wanted = [r for r in found.requirements if r.key == key]
    if not wanted:
        abort(404)
    req = wanted[0]
    context = {"school": school, "req": req, "cell": found.cells[school.id][key], "day": day}
    if req.check == "activity":
        first, last = rules.period_bounds(req.period, day)
        context.update(first=first, last=last, records=register.activities(school.id, first, last, kinds=[req.kind]))
        if req.per == "class":
            context["classes"] = [(c, found.per_class.get((c.id, key))) for c in SchoolClass.select().where(
                SchoolClass.id.in_(found.classes.get(school.id, []))).order_by(SchoolClass.grade, SchoolClass.number)]
    elif req.check in ("full_time", "part_time_trained"):
        context["staff"], context["trainings"] = register.staff_of(school.id)
    elif req.check == "room":
        context["room"] = register.room_of(school.id)
    elif req.check == "plan":
        context.update(plan=register.plan_of(school.id), steps=register.plan_steps(school.id))
    return render("programme/requirement.html", **context)


# --- activities ----------------------------------------------------------------------------------

def _kinds_for(user):
    return list(CLASS_KINDS) if user.role == "head_teacher" else list(ACTIVITY_KINDS)


def _classes_for(user):
    return list(programme_classes(user).where(SchoolClass.school_year == school_year_of(today()))
                .order_by(SchoolClass.grade, SchoolClass.number))


@bp.route("/activities/new", methods=["GET", "POST"])
@allow(*ACTIVITY_LOGGERS)
@offline_page
def new_activity():
    """One form for every kind: what, (the class), the date, the topic. A head teacher's class
    and today come filled in, so a lesson is the topic and one tap."""
    user = current_user._get_current_object()
    classes = _classes_for(user)
    form = ActivityForm()
    if request.method == "GET" and request.args.get("kind") in ACTIVITY_KINDS:
        form.kind.data = request.args["kind"]
    form.set_scope(_kinds_for(user), classes)
    if form.validate_on_submit():
        chosen = form.chosen_class()
        school_id = chosen.school_id if chosen else user.school_id
        if school_id is None:
            abort(404)
        activity, _created = register.record_activity(
            user, school_id, chosen, {"kind": form.kind.data, "day": form.day.data, "topic": form.topic.data.strip()},
            form.device_time(), form.client_uuid.data)
        flash(_("Saved."))
        return redirect(url_for("programme.activities"))
    status = 422 if form.is_submitted() else 200
    return render("programme/activity_new.html", form=form, classes=classes, class_kinds=CLASS_KINDS), status


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@allow(*ACTIVITY_LOGGERS)
def delete_activity(activity_id):
    """A wrongly logged activity (the list asks to confirm first, in a fold)."""
    activity = ProgrammeActivity.get_or_none(ProgrammeActivity.id == activity_id)
    if activity is None:
        refuse("ProgrammeActivity", activity_id)
    require(current_user, "delete_programme_activity", activity)
    register.delete_activity(activity, current_user._get_current_object())
    flash(_("Activity deleted."))
    if current_user.role in PROGRAMME_EDITORS and request.form.get("back") == "register":
        return redirect(url_for("programme.school", school_id=activity.school_id) + "#activities")
    return redirect(url_for("programme.activities"))


@bp.route("/activities")
@allow(*ACTIVITY_LOGGERS)
def activities():
    """This term's activities: a head teacher's classes' lessons with each class's count against
    the requirement; the school's for its psychology teacher and principal."""
    user = current_user
    day = today()
    first, last = rules.term_bounds(day)
    classes = _classes_for(user)
    class_ids = [c.id for c in classes]
    if user.role == "head_teacher":
        school_id = classes[0].school_id if classes else None
        records = register.activities(school_id, first, last, class_ids=class_ids, limit=100) if school_id else []
    else:
        records = register.activities(user.school_id, first, last, limit=100)
    lesson = next((r for r in all_requirements() if r.key == "lesson" and r.active), None)
    counts = register.lessons_per_class(class_ids, first, last)
    # A class behind 四、9's pace says so to its head teacher, not only to the county.
    due = rules.pace_due(first, day, lesson.pace_days, lesson.count) if lesson else 0
    return render("programme/activities.html", records=records, classes=classes, counts=counts, lesson=lesson,
                  due=due, first=first, last=last)


# --- the county's numbers --------------------------------------------------------------------------

def _bare_section(text):
    """The section as stored ("四、9"): the pages put 《实施方案》 before it themselves, and an English
    reader's example shows it cited, so a typed citation is not doubled."""
    return text.strip().removeprefix("《实施方案》").strip()


def _requirements_page(status=200, failed=None, failed_name=None):
    forms = []
    for req in all_requirements():
        name = f"q-{req.key}"
        form = failed if failed_name == name else RequirementForm(formdata=None, obj=req, prefix=name)
        forms.append((req, form.prefix_ids(name)))
    new_form = failed if failed_name == "new" else NewRequirementForm(formdata=None, prefix="new")
    return render("programme/requirements.html", forms=forms, new_form=new_form.prefix_ids("new")), status


@bp.route("/requirements", methods=["GET", "POST"])
@allow("county")
def requirements():
    if request.method == "GET":
        return _requirements_page()
    name = request.form.get("form", "")
    if name == "new":
        form = NewRequirementForm(prefix="new")
        if not form.validate_on_submit():
            return _requirements_page(422, form, "new")
        seed()
        key = f"{form.kind.data}_{form.per.data}_{form.period.data}"[:24]
        if Requirement.select().where(Requirement.key == key).exists():
            form.kind.errors = [_("This requirement is already in the list; change that line instead.")]
            return _requirements_page(422, form, "new")
        with db.atomic():
            req = Requirement.create(key=key, check="activity", kind=form.kind.data, per=form.per.data,
                                     period=form.period.data, count=form.count.data, pace_days=form.pace(),
                                     section=_bare_section(form.section.data), position=Requirement.select().count())
            audit.record("save_requirement", req, count=req.count, period=req.period, pace_days=req.pace_days,
                         active=True)
    else:
        key = name[2:] if name.startswith("q-") else ""
        if key not in {r.key for r in all_requirements()}:
            abort(404)
        form = RequirementForm(prefix=name)
        if not form.validate_on_submit():
            return _requirements_page(422, form, name)
        seed()
        req = Requirement.get(Requirement.key == key)
        values = {"count": form.count.data, "active": bool(form.active.data)}
        if req.check == "activity" and form.period.data in rules.PERIODS:
            values["period"] = form.period.data
        if req.check == "activity":  # a pace counts records as the period goes on: activities only
            values["pace_days"] = form.pace()
        with db.atomic():
            Requirement.update(**values).where(Requirement.id == req.id).execute()
            audit.record("save_requirement", req, **values)
    flash(_("Saved."))
    return redirect(url_for("programme.requirements"))


# --- the annual report ----------------------------------------------------------------------------

@bp.route("/report.xlsx")
@allow(*PROGRAMME_READERS)
def annual_report():
    """年度心理健康教育工作台账: one school's (?school=), a zone's (?zone=, the zone's own by default)
    or the county's; one sheet per requirement, for the yearly 考核."""
    user = current_user
    scope, unit = "county", None
    if "school" in request.args or user.role in PROGRAMME_EDITORS:
        school_id = request.args.get("school", type=record_id) if "school" in request.args else user.school_id
        if school_id is None:
            abort(404)
        unit = _school(school_id)
        scope, schools = "school", [unit]
    else:
        zone, query = _matrix_scope()
        if zone is not None:
            scope, unit = "zone", zone
        schools = list(query.order_by(School.name))
    day = today()
    year = request.args.get("year", type=int)
    as_of = day
    if year is not None:  # a past school year, as it ended
        if not 2000 <= year < school_year_of(day):
            abort(404)
        as_of = date(year + 1, 8, 31)
    workbook = report.annual_workbook(schools, day, as_of)
    audit.record("export_programme_report", unit, scope=scope)
    suffix = "county" if unit is None else f"{scope}-{unit.id}"
    return workbook_response(workbook, f"programme-report-{suffix}-{school_year_of(as_of)}.xlsx")
