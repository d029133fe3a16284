"""`/children/<id>/export.xlsx` and `/children/<id>/erase`: a county user acts on a verified
request about one child."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from openpyxl import Workbook
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from .. import audit
from ..access import allow, child_or_404
from ..clock import today
from ..concerns.forms import choices
from ..forms import AppForm
from ..models import User
from ..web import render
from ..xlsx import safe_cell, workbook_response
from .rights import authored_by, erase, records_about, row_values

bp = Blueprint("rights", __name__, url_prefix="/children")

ERASURE_REASONS = {
    "guardian_request": _l("Written request of the guardian"),
    "own_request": _l("Request of the child (14 or older)"),
    "entered_by_mistake": _l("Registered by mistake"),
    "left_county": _l("Left the county; no further need"),
}
VERIFIED_HOW = {
    "in_person_id": _l("In person, identity document checked"),
    "signed_letter": _l("Signed letter with a copy of the household register"),
    "school_confirmed": _l("Confirmed by the school"),
}


class ErasureForm(AppForm):
    reason = SelectField(_l("Reason"), choices=choices(ERASURE_REASONS), validators=[DataRequired()])
    verified_how = SelectField(_l("How the request was verified"), choices=choices(VERIFIED_HOW),
                               validators=[DataRequired()])
    confirm_name = StringField(_l("Type the child's name to confirm"))


@bp.route("/<int:child_id>/export.xlsx")
@allow("county")
def export(child_id):
    child = child_or_404(current_user, child_id)
    workbook = Workbook(write_only=True)
    total = 0
    for model, rows in records_about(child):
        sheet = workbook.create_sheet(model._meta.table_name[:31])
        columns = list(row_values(model, rows[0]))
        sheet.append(columns)
        for row in rows:
            values = row_values(model, row)
            sheet.append([safe_cell(values[column]) for column in columns])
            total += 1
    audit.record("export_child", child, rows=total)
    return workbook_response(workbook, f"child-{child.id}-{today().isoformat()}.xlsx")


@bp.route("/<int:child_id>/erase", methods=["GET", "POST"])
@allow("county")
def erase_child(child_id):
    """Two steps: choose reason and verification, then type her name to confirm."""
    child = child_or_404(current_user, child_id)
    form = ErasureForm()
    confirming = request.method == "POST" and form.validate_on_submit()
    if confirming and form.confirm_name.data:
        if form.confirm_name.data.strip() != child.name:
            form.confirm_name.errors.append(_("The name does not match. Nothing was erased."))
        else:
            # The event names who was erased by ids only, and is written in the same transaction.
            erase(child, record=lambda removed, accounts: audit.record(
                "erase_child", child_id=child_id, reason=form.reason.data, verified_how=form.verified_how.data,
                rows=sum(removed.values()), accounts=accounts))
            flash(_("The child's records were erased. The audit log keeps that it happened."))
            return redirect(url_for("children.index"))
    # Walked only for the page: a confirmed erasure walks her records itself, once.
    found = records_about(child)
    counts = [(model._meta.table_name, len(rows)) for model, rows in found]
    # What her committee account wrote about classmates stays, under a deleted member's name.
    kept = sorted(authored_by(dict(found).get(User, [])).items())
    status = 422 if form.confirm_name.errors else 200
    return render("children/erase.html", child=child, form=form, counts=counts, kept=kept,
                  step=2 if confirming else 1), status
