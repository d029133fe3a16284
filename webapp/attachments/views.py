"""`/attachments/`: a file read back through its record's own access rule, and the upload of a
file to each kind of record that takes one (the 整改 evidence comes with the report of the item,
inspections.views)."""
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask import request as flask_request
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..access import INSPECTORS, PROGRAMME_EDITORS, allow, refuse, require
from ..models import Attachment, EmergencyPlan, ProgrammeStaff, Rectification, Training
from . import files, store

bp = Blueprint("attachments", __name__, url_prefix="/attachments")
READERS = ("county", "zone", "counselor", "principal", "head_teacher")


def accepts_upload(view):
    """Mark a route that takes a file: its request may be as large as a file and its form
    (ATTACHMENT_MAX_BYTES + 1 MB); every other request keeps MAX_CONTENT_LENGTH."""
    view.accepts_upload = True
    return view


def raise_upload_limit(app):
    def limit():
        view = app.view_functions.get(flask_request.endpoint) if flask_request.endpoint else None
        if getattr(view, "accepts_upload", False):
            flask_request.max_content_length = app.config["ATTACHMENT_MAX_BYTES"] + 1024 * 1024
    return limit


def refused_page(message, status=422):
    return render_template("errors/message.html", message=message), status


@bp.route("/<int:attachment_id>")
@allow(*READERS)
def download(attachment_id):
    attachment = Attachment.get_or_none(Attachment.id == attachment_id)
    if attachment is None:
        refuse("Attachment", attachment_id)
    require(current_user, "read_attachment", attachment)
    data = store.content(attachment)
    audit.record("read_attachment", attachment, owner_kind=attachment.owner_kind, owner_id=attachment.owner_id)
    response = Response(data, mimetype=attachment.mime)
    # Saved, never shown inline nor guessed at; never kept by a cache (the service worker keeps
    # only pages marked X-Offline-Page, which this is not).
    response.headers["Content-Disposition"] = f'attachment; filename="{store.download_name(attachment)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, private"
    return response


def owner_page(attachment):
    """Where the file is listed: its record's page, at the files."""
    kind, owner_id = attachment.owner_kind, attachment.owner_id
    if kind == "visit":
        return url_for("visits.show", visit_id=owner_id) + "#attachments"
    if kind == "inspection":
        return url_for("inspections.show", inspection_id=owner_id) + "#attachments"
    if kind == "rectification":
        item = Rectification.get_by_id(owner_id)
        return url_for("inspections.show", inspection_id=item.inspection_id) + f"#item-{owner_id}"
    if kind == "emergency_plan":
        return url_for("programme.school", school_id=EmergencyPlan.get_by_id(owner_id).school_id) + "#plan"
    school_id = (Training.select(ProgrammeStaff.school).join(ProgrammeStaff).where(Training.id == owner_id)
                 .scalar())
    return url_for("programme.school", school_id=school_id) + "#staff"


@bp.route("/<int:attachment_id>/delete", methods=["GET", "POST"])
@allow(*READERS)
def delete(attachment_id):
    """Asked first (a page that says which file and of what), then deleted on the POST."""
    attachment = Attachment.get_or_none(Attachment.id == attachment_id)
    if attachment is None:
        refuse("Attachment", attachment_id)
    require(current_user, "delete_attachment", attachment)
    back = owner_page(attachment)
    if flask_request.method == "POST":
        store.remove(attachment, current_user._get_current_object())
        flash(_("File deleted."))
        return redirect(back)
    return render_template("attachments/delete.html", attachment=attachment, back=back)


def upload_to(owner_kind, owner_id, back):
    """Attach the posted file to the record, or say why not (422, in words)."""
    require(current_user, "attach_to", (owner_kind, owner_id))
    try:
        store.attach(owner_kind, owner_id, flask_request.files.get("file"), current_user._get_current_object())
    except files.Refused as refusal:
        return refused_page(str(refusal))
    flash(_("File attached."))
    return redirect(back)


@bp.route("/visit/<int:visit_id>", methods=["POST"])
@allow("head_teacher")
@accepts_upload
def visit_photo(visit_id):
    """The photo of the signed paper 家访记录表, by the visit's author."""
    return upload_to("visit", visit_id, url_for("visits.show", visit_id=visit_id) + "#attachments")


@bp.route("/inspection/<int:inspection_id>", methods=["POST"])
@allow(*INSPECTORS)
@accepts_upload
def inspection_photo(inspection_id):
    return upload_to("inspection", inspection_id,
                     url_for("inspections.show", inspection_id=inspection_id) + "#attachments")


@bp.route("/plan/<int:school_id>", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
@accepts_upload
def plan_document(school_id):
    """The school's emergency plan, signed (the plan must be filed first)."""
    plan = EmergencyPlan.get_or_none(EmergencyPlan.school == school_id)
    if plan is None:
        refuse("EmergencyPlan")
    return upload_to("emergency_plan", plan.id, url_for("programme.school", school_id=school_id) + "#plan")


@bp.route("/training/<int:training_id>", methods=["POST"])
@allow(*PROGRAMME_EDITORS)
@accepts_upload
def certificate(training_id):
    row = (Training.select(ProgrammeStaff.school).join(ProgrammeStaff).where(Training.id == training_id)
           .tuples().first())
    if row is None:
        refuse("Training", training_id)
    return upload_to("training", training_id, url_for("programme.school", school_id=row[0]) + "#staff")
