"""个别测评 in the counselling room (the counsellor's own device, one pupil), and the coverage
export. The answers go on the pupil's record, read only by the psychology teachers."""
from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook

from .. import audit
from ..access import COUNSELLING, allow, child_or_404, get_in_scope, visible_screening_results
from ..bounds import record_id
from ..clock import today
from ..forms import CreateForm
from ..models import ScreeningRound
from ..web import render
from ..xlsx import safe_cell, workbook_response
from . import instruments, overview, service
from .blueprint import bp


def answers_from(form_data, instrument):
    """The option score of each item as posted (item-0 … item-N), or None when one is missing."""
    allowed = {str(o["score"]): o["score"] for o in instrument.options}
    answers = [allowed.get(form_data.get(f"item-{i}", "")) for i in range(len(instrument.items))]
    return None if None in answers else answers


@bp.route("/administer", methods=["GET", "POST"])
@allow(*COUNSELLING)
def administer():
    user = current_user._get_current_object()
    child = child_or_404(user, request.args.get("child", type=record_id))
    instrument = instruments.get(request.args.get("instrument", "phq9"))
    if instrument is None or not instrument.administered:
        instrument = instruments.get("phq9")
    form = CreateForm()
    missing = False
    if form.validate_on_submit():
        answers = answers_from(request.form, instrument)
        if answers is not None:
            result, _created = service.record_result(
                child, instrument, answers=answers, source="individual", taken_on=today(), user=user,
                client_uuid=form.client_uuid.data, screening_round=overview.current_round())
            return redirect(url_for("screening.result", result_id=result.id))
        missing = True
    return render("screening/administer.html", child=child, instrument=instrument, form=form, missing=missing,
                  choices=[i for i in instruments.all_instruments() if i.administered],
                  posted=request.form), 422 if form.is_submitted() else 200


@bp.route("/results/<int:result_id>")
@allow(*COUNSELLING)
def result(result_id):
    found = get_in_scope(visible_screening_results(current_user), result_id)
    instrument = instruments.get(found.instrument)
    audit.record("read_screening_result", found, child_id=found.child_id)
    return render("screening/result.html", result=found, instrument=instrument,
                  subscales=overview.subscales_of(found, instrument), warning=found.warnings.first())


@bp.route("/<int:round_id>/coverage.xlsx")
@allow("county", "zone", "counselor", "principal")
def coverage_xlsx(round_id):
    screening_round = get_in_scope(ScreeningRound.select(), round_id)
    rows, _totals = overview.coverage(screening_round, current_user)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Coverage"))
    sheet.append([_("School"), _("Class"), _("Enrolled"), _("Screened"), _("Open warnings"), _("Overdue"),
                  _("Done in time"), _("Late")])
    for school in rows:
        w = school["warnings"]
        sheet.append([safe_cell(school["name"]), "", school["enrolled"], school["screened"], w["open"], w["overdue"],
                      w["on_time"], w["late"]])
        for c in school["classes"]:
            sheet.append([safe_cell(school["name"]), f"{c['grade']}-{c['number']}", c["enrolled"], c["screened"]])
    audit.record("export_screening_coverage", screening_round)
    return workbook_response(workbook, "screening-coverage.xlsx")


