"""`/screening/`: rounds and coverage, the county's numbers, a school's import with its review
step, the 测评预警 queue and each warning's follow-up (《实施方案》四、8)."""
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..access import (
    COUNSELLING,
    allow,
    can,
    get_in_scope,
    require,
    visible_screening_warnings,
)
from ..admin.templates_xlsx import COMMON_NOTES, SHEET_TITLE, template_workbook
from ..bounds import record_id
from ..clock import today
from ..models import Child, ScreeningImport, ScreeningResult, ScreeningRound, ScreeningSettingChange, ScreeningWarning
from ..safeguarding import cases
from ..schoolyear import school_year_of
from ..web import render
from ..xlsx import XLSX_MIMETYPE
from . import import_results, instruments, overview, service, settings
from .blueprint import bp
from .forms import CloseForm, ImportForm, InterviewForm, RoundForm

ROUND_READERS = ("county", "zone", "counselor", "principal")


def _user():
    return current_user._get_current_object()


def _round_or_404(round_id):
    return get_in_scope(ScreeningRound.select(), round_id)


# --- rounds and coverage ---------------------------------------------------------------------

@bp.route("/")
@allow(*ROUND_READERS)
def index():
    rounds = list(ScreeningRound.select().order_by(ScreeningRound.opens_on.desc()).limit(20))
    current = overview.current_round()
    rows, totals = overview.coverage(current, _user()) if current else ([], {})
    return render("screening/index.html", rounds=rounds, current=current, rows=rows, totals=totals)


@bp.route("/rounds/new", methods=["GET", "POST"])
@allow("county")
def new_round():
    form = RoundForm.build()
    if not form.validate_on_submit():
        return render("screening/round_new.html", form=form), 422 if form.is_submitted() else 200
    screening_round = ScreeningRound.create(
        school_year=school_year_of(form.opens_on.data), name=form.name.data.strip(), opens_on=form.opens_on.data,
        closes_on=form.closes_on.data, grades=",".join(str(g) for g in sorted(form.grades.data)),
        instruments=",".join(form.instruments.data), opened_by=_user())
    audit.record("screening_open_round", screening_round)
    flash(_("The round is open."))
    return redirect(url_for("screening.show_round", round_id=screening_round.id))


@bp.route("/<int:round_id>")
@allow(*ROUND_READERS)
def show_round(round_id):
    screening_round = _round_or_404(round_id)
    school_id = request.args.get("school", type=record_id)
    rows, totals = overview.coverage(screening_round, _user(), school_id)
    if school_id is not None and not rows:
        abort(404)  # a school out of her scope (or without pupils in the round's grades)
    values = settings.current()
    used = [instruments.get(code) for code in screening_round.instrument_list]
    changes = list(ScreeningSettingChange.select().order_by(ScreeningSettingChange.changed_at.desc()).limit(30))
    return render("screening/round.html", screening_round=screening_round, rows=rows, totals=totals,
                  instruments=[(i, *instruments.thresholds_of(i, values)) for i in used if i], changes=changes,
                  values=values, may_import=_user().role == "counselor")


@bp.route("/settings", methods=["GET", "POST"])
@allow("county")
def settings_page():
    """Thresholds and deadlines: each number its own field; a change is audited and listed."""
    values = settings.current()
    errors = {}
    if request.method == "POST":
        changed = 0
        for name in values:
            text = request.form.get(name, "").strip()
            low, high = settings.limits_of(name)
            if not text.isdigit() or not low <= int(text) <= high:
                errors[name] = _("A whole number from %(low)s to %(high)s.", low=low, high=high)
        if not errors:
            user = _user()
            changed = sum(settings.change(name, int(request.form[name]), user) for name in values)
            flash(_("Saved: %(count)s changed.", count=changed))
            return redirect(url_for("screening.settings_page"))
        values = {**values, **{k: request.form.get(k, "") for k in values}}
    return render("screening/settings.html", values=values, errors=errors, instruments=instruments.all_instruments(),
                  deadlines=settings.DEADLINE_DEFAULTS), 422 if errors else 200


# --- import: upload, review, confirm --------------------------------------------------------

@bp.route("/<int:round_id>/import", methods=["GET", "POST"])
@allow("counselor")
def import_results_page(round_id):
    screening_round = _round_or_404(round_id)
    user = _user()
    form = ImportForm()
    if not form.validate_on_submit():
        return render("screening/import.html", screening_round=screening_round, form=form,
                      review=None), 422 if form.is_submitted() else 200
    upload = form.file.data
    data = upload.read()
    review = import_results.review(user.school, screening_round, upload.filename, data)
    pending = None
    if review.ok:
        # Nothing is written before she confirms; the file waits here (emptied once confirmed).
        ScreeningImport.delete().where((ScreeningImport.uploaded_by == user.id)
                                       & ScreeningImport.confirmed_at.is_null()).execute()
        pending = ScreeningImport.create(round=screening_round, school=user.school_id, uploaded_by=user,
                                         filename=(upload.filename or "")[-120:], data=data)
    return render("screening/import.html", screening_round=screening_round, form=ImportForm(formdata=None),
                  review=review, pending=pending), 200 if review.ok else 422


@bp.route("/<int:round_id>/import/<int:import_id>/confirm", methods=["POST"])
@allow("counselor")
def confirm_import(round_id, import_id):
    screening_round = _round_or_404(round_id)
    user = _user()
    pending = get_in_scope(ScreeningImport.select().where(
        (ScreeningImport.uploaded_by == user.id) & (ScreeningImport.round == screening_round.id)
        & ScreeningImport.confirmed_at.is_null()), import_id)
    review = import_results.confirm(user.school, screening_round, pending.filename, bytes(pending.data), user)
    if not review.ok:
        return render("screening/import.html", screening_round=screening_round, form=ImportForm(formdata=None),
                      review=review, pending=None), 422
    counts = {"created": len(review.of("new")), "unchanged": len(review.of("unchanged"))}
    counts["skipped"] = len(review.rows) - counts["created"] - counts["unchanged"]
    ScreeningImport.update(data=None, confirmed_at=today(), **counts).where(ScreeningImport.id == pending.id).execute()
    flash(_("Imported: %(created)s new results, %(unchanged)s already there, %(skipped)s rows left out.", **counts))
    return redirect(url_for("screening.warnings"))


@bp.route("/import/template.xlsx")
@allow("counselor", "county", "zone")
def import_template():
    data = template_workbook(import_results.COLUMNS, SHEET_TITLE, COMMON_NOTES + import_results.NOTES)
    return Response(data, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": 'attachment; filename="screening-template.xlsx"', "Cache-Control": "no-store"})


# --- warnings and their follow-up -------------------------------------------------------------

@bp.route("/warnings/")
@allow(*COUNSELLING)
def warnings():
    user = _user()
    waiting = overview.queue(user)
    done = list(visible_screening_warnings(user).where(ScreeningWarning.closed_at.is_null(False))
                .order_by(ScreeningWarning.closed_at.desc()).limit(20))
    overview.with_children(done)
    rescreen = overview.rescreen_due(user)
    return render("screening/warnings.html", waiting=waiting, done=done, rescreen=rescreen)


def _warning_or_404(warning_id):
    return get_in_scope(visible_screening_warnings(_user()), warning_id)


def _warning_page(warning, status=200, **forms):
    result = ScreeningResult.get_by_id(warning.result_id)
    instrument = instruments.get(result.instrument)
    forms.setdefault("interview_form", InterviewForm(formdata=None, interviewed_on=warning.interviewed_on or today(),
                                                     note=warning.interview_note))
    forms.setdefault("close_form", CloseForm(formdata=None, rescreen_weeks=settings.current()["rescreen.weeks"]))
    forms["close_form"].prefix_ids("close")
    audit.record("read_screening_warning", warning, child_id=warning.child_id)
    return render("screening/warning.html", warning=warning, result=result, instrument=instrument,
                  child=Child.get_by_id(warning.child_id), subscales=overview.subscales_of(result, instrument),
                  open_case=cases.open_case_of(warning.child_id), **forms), status


@bp.route("/warnings/<int:warning_id>")
@allow(*COUNSELLING)
def warning(warning_id):
    return _warning_page(_warning_or_404(warning_id))


@bp.route("/warnings/<int:warning_id>/interview", methods=["POST"])
@allow(*COUNSELLING)
def interview(warning_id):
    found = require(_user(), "follow_up_screening", _warning_or_404(warning_id))
    form = InterviewForm()
    if found.closed_at or not form.validate_on_submit():
        return _warning_page(found, 422, interview_form=form)
    service.record_interview(found, _user(), form.interviewed_on.data, (form.note.data or "").strip())
    flash(_("Saved."))
    return redirect(url_for("screening.warning", warning_id=found.id))


@bp.route("/warnings/<int:warning_id>/close", methods=["POST"])
@allow(*COUNSELLING)
def close(warning_id):
    found = require(_user(), "follow_up_screening", _warning_or_404(warning_id))
    form = CloseForm()
    if found.closed_at:
        abort(409)
    if not form.validate_on_submit():
        return _warning_page(found, 422, close_form=form)
    if found.interviewed_on is None:
        form.outcome.errors.append(_("Record the follow-up interview first."))
        return _warning_page(found, 422, close_form=form)
    try:
        service.close_warning(found, _user(), form.outcome.data, form.reason.data or "", form.rescreen_weeks.data)
    except service.NoOpenCase:
        form.outcome.errors.append(_("She has no open 一生一策 case yet: open it first, then come back."))
        return _warning_page(found, 422, close_form=form)
    flash(_("The warning is closed."))
    return redirect(url_for("screening.warnings"))


@bp.route("/class")
@allow("head_teacher")
def class_warnings():
    """A head teacher's pupils who wait for a screening follow-up, and whose it is: no score."""
    return render("screening/class.html", pupils=overview.class_pupils(_user()))


def may_read_result(user, result):
    return can(user, "read_screening_result", result)
