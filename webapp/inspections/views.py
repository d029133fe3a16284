"""`/inspections/`: the inspections a user reads, recording one (county, zone in her zone), an
inspection's page with its checklist, photos and 整改 items, and each item's steps: reported
done by the school (with evidence), accepted or sent back by the inspector side."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..access import (
    INSPECTION_READERS,
    INSPECTORS,
    allow,
    can,
    get_in_scope,
    refuse,
    require,
    visible_inspections,
    visible_rectifications,
    visible_schools,
)
from ..attachments import files
from ..attachments.store import attachments_of
from ..attachments.views import accepts_upload
from ..bounds import record_id
from ..clock import today
from ..models import CHECK_VERDICTS, Inspection, InspectionCheck, Rectification, School, User
from ..programme.requirements import all_requirements
from ..web import render
from . import service
from .forms import DecisionForm, FindingForm, InspectionForm, ReportForm

bp = Blueprint("inspections", __name__, url_prefix="/inspections")


def me():
    return current_user._get_current_object()


@bp.route("/")
@allow(*INSPECTION_READERS)
def index():
    inspections = list(visible_inspections(me()).select(Inspection, School.id, School.name)
                       .join(School, on=(Inspection.school == School.id)).switch(Inspection)
                       .order_by(Inspection.day.desc(), Inspection.id.desc()).limit(50))
    schools = list(visible_schools(me()).order_by(School.name)) if me().role in INSPECTORS else []
    return render("inspections/index.html", inspections=inspections, schools=schools)


def _school_to_inspect():
    school_id = request.args.get("school", type=record_id)
    if school_id is None:
        abort(404)
    school = get_in_scope(visible_schools(me()), school_id)
    return require(me(), "inspect_school", school)


def _verdicts(lines):
    """{key: (computed state, verdict, note)} from the posted checklist; unknown values read as
    not checked."""
    result = {}
    for req, cell, prefill in lines:
        verdict = request.form.get(f"check-{req.key}", prefill)
        note = (request.form.get(f"note-{req.key}") or "").strip()[:200]
        result[req.key] = (cell.state, verdict if verdict in CHECK_VERDICTS else "not_checked", note)
    return result


@bp.route("/new", methods=["GET", "POST"])
@allow(*INSPECTORS)
def new():
    """The checklist comes filled in from the school's computed compliance; the inspector
    confirms or corrects each line and may record a first finding as a 整改 item."""
    school = _school_to_inspect()
    day = today()
    lines = service.checklist(school.id, day)
    owners = service.school_owners(school.id)
    form = InspectionForm(data={"day": day} if request.method == "GET" else None)
    form.set_owners(owners)
    if form.validate_on_submit():
        finding = (form.finding.data or "").strip()
        inspection = service.record_inspection(
            me(), school, form.day.data, (form.summary.data or "").strip(), _verdicts(lines),
            (finding, form.owner.data, form.due_on.data) if finding else None)
        flash(_("Inspection recorded."))
        return redirect(url_for("inspections.show", inspection_id=inspection.id))
    posted = _verdicts(lines) if form.is_submitted() else {}
    status = 422 if form.is_submitted() else 200
    return render("inspections/new.html", school=school, form=form, lines=lines, posted=posted,
                  verdicts=CHECK_VERDICTS, has_owners=bool(owners)), status


def _inspection(inspection_id):
    return get_in_scope(visible_inspections(me()), inspection_id)


def _show(inspection, status=200, finding_form=None, failed_item=None, failed_form=None):
    checks = list(InspectionCheck.select().where(InspectionCheck.inspection == inspection.id)
                  .order_by(InspectionCheck.position))
    requirements = {r.key: r for r in all_requirements()}
    items = list(Rectification.select().where(Rectification.inspection == inspection.id).order_by(Rectification.id))
    ids = ({i.owner_id for i in items} | {inspection.inspector_id}) - {None} or {0}
    people = {u.id: u for u in User.select(User.id, User.display_name, User.role).where(User.id.in_(ids))}
    evidence = attachments_of("rectification", [i.id for i in items])
    inspecting = can(me(), "inspect_school", inspection.school)
    if inspecting and finding_form is None:
        finding_form = FindingForm(formdata=None)
        finding_form.set_owners(service.school_owners(inspection.school_id))
    audit.record("read_inspection", inspection)
    return render("inspections/show.html", inspection=inspection, checks=checks, requirements=requirements,
                  items=items, people=people, evidence=evidence, inspecting=inspecting, finding_form=finding_form,
                  failed_item=failed_item, failed_form=failed_form, day=today(),
                  may_report={i.id: can(me(), "report_rectification", i) for i in items},
                  may_decide={i.id: can(me(), "decide_rectification", i) for i in items}), status


@bp.route("/<int:inspection_id>")
@allow(*INSPECTION_READERS)
def show(inspection_id):
    return _show(_inspection(inspection_id))


@bp.route("/<int:inspection_id>/findings", methods=["POST"])
@allow(*INSPECTORS)
def add_finding(inspection_id):
    inspection = _inspection(inspection_id)
    require(me(), "inspect_school", inspection.school)
    form = FindingForm()
    form.set_owners(service.school_owners(inspection.school_id))
    if not form.validate_on_submit():
        return _show(inspection, 422, finding_form=form)
    service.add_finding(inspection, form.finding.data.strip(), form.owner.data, form.due_on.data, me())
    flash(_("Rectification item added; its owner has been told."))
    return redirect(url_for("inspections.show", inspection_id=inspection.id) + "#items")


def _item(rectification_id):
    item = visible_rectifications(me()).where(Rectification.id == rectification_id).get_or_none()
    if item is None:
        refuse("Rectification", rectification_id)
    return item


@bp.route("/items/<int:rectification_id>")
@allow(*INSPECTION_READERS)
def item(rectification_id):
    """Where the owner's message leads: the item on its inspection's page."""
    found = _item(rectification_id)
    return redirect(url_for("inspections.show", inspection_id=found.inspection_id) + f"#item-{found.id}")


def _wrong_step(message):
    return render_template("errors/message.html", message=message), 409


@bp.route("/items/<int:rectification_id>/report", methods=["POST"])
@allow("counselor", "principal")
@accepts_upload
def report(rectification_id):
    """The school says the item is done: what was done, and evidence if at hand (a photo, a PDF)."""
    item = _item(rectification_id)
    if not can(me(), "report_rectification", item):
        return _wrong_step(_("This item is not waiting for the school's report."))
    form = ReportForm()
    upload = request.files.get("file")
    if not form.validate_on_submit():
        return _show(item.inspection, 422, failed_item=item.id, failed_form=form)
    evidence = None
    if upload is not None and upload.filename:
        try:
            evidence = files.prepare(upload)
        except files.Refused as refusal:
            form.note.errors = [str(refusal)]
            return _show(item.inspection, 422, failed_item=item.id, failed_form=form)
    # Kept with the report, in its transaction: a report that lost a race keeps no file either.
    if not service.report_done(item, me(), form.note.data.strip(), evidence):
        return _wrong_step(_("This item is not waiting for the school's report."))
    flash(_("Reported as done; the inspector will check it."))
    return redirect(url_for("inspections.show", inspection_id=item.inspection_id) + f"#item-{item.id}")


def _decision(rectification_id):
    item = _item(rectification_id)  # in her scope; the route is the inspector side's
    if not can(me(), "decide_rectification", item):
        return item, _wrong_step(_("This item is not waiting for acceptance."))
    return item, None


@bp.route("/items/<int:rectification_id>/accept", methods=["POST"])
@allow(*INSPECTORS)
def accept(rectification_id):
    item, refused = _decision(rectification_id)
    if refused:
        return refused
    DecisionForm()  # the CSRF check is the app's; nothing else to read
    service.accept(item, me())
    flash(_("Rectification accepted."))
    return redirect(url_for("inspections.show", inspection_id=item.inspection_id) + f"#item-{item.id}")


@bp.route("/items/<int:rectification_id>/return", methods=["POST"])
@allow(*INSPECTORS)
def send_back(rectification_id):
    item, refused = _decision(rectification_id)
    if refused:
        return refused
    form = DecisionForm()
    if not form.validate_on_submit():
        return _show(item.inspection, 422)
    service.send_back(item, me(), (form.note.data or "").strip())
    flash(_("Sent back to the school."))
    return redirect(url_for("inspections.show", inspection_id=item.inspection_id) + f"#item-{item.id}")
