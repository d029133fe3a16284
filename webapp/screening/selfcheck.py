"""`/self-check/`: a teacher's voluntary, confidential self-check (PHQ-9, GAD-7), 《实施方案》四、8
("师生"). She alone sees her result, with advice and the hotlines; a critical answer first shows
"talk to someone now". Nothing is stored with her name: only one more in the count of her
school, month, instrument and level; her name only if she asks to be contacted. The school and
the county see counts per level, and only for groups of 5 or more."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import fn

from .. import audit
from ..access import STAFF, allow, visible_schools
from ..clock import local_now
from ..db import db
from ..forms import AppForm
from ..models import School, SelfCheckContact, SelfCheckCount
from ..pages import county_aid
from ..web import render
from . import instruments
from .views_individual import answers_from

bp = Blueprint("self_check", __name__, url_prefix="/self-check")
TEACHERS = STAFF
SMALLEST_GROUP = 5  # fewer than this and a count could point at a person
COUNT_READERS = ("county", "zone", "counselor", "principal")
ADVICE = {
    "general": "advice_general", "attention": "advice_attention", "key": "advice_key", "high": "advice_high",
}


def _teacher_instruments():
    return [i for i in instruments.all_instruments() if "teacher" in i.audiences and i.administered]


@bp.route("/")
@allow(*TEACHERS)
def index():
    return render("screening/self_check.html", choices=_teacher_instruments(),
                  contact=SelfCheckContact.select().where((SelfCheckContact.user == current_user.id)
                                                          & SelfCheckContact.handled_at.is_null()).exists())


def count_one(school_id, month, instrument_code, level):
    """One more in the anonymous count (no person anywhere). One INSERT … ON CONFLICT DO UPDATE,
    so two teachers saving the month's first result at once both count. Staff of no school (zone,
    county) share one row per month, instrument and level: NULLs never conflict, so theirs is
    found by IS NULL."""
    if school_id is None:
        with db.atomic():
            updated = (SelfCheckCount.update(count=SelfCheckCount.count + 1)
                       .where(SelfCheckCount.school.is_null() & (SelfCheckCount.month == month)
                              & (SelfCheckCount.instrument == instrument_code) & (SelfCheckCount.level == level))
                       .execute())
            if not updated:
                SelfCheckCount.create(school=None, month=month, instrument=instrument_code, level=level, count=1)
        return
    (SelfCheckCount.insert(school=school_id, month=month, instrument=instrument_code, level=level, count=1)
     .on_conflict(conflict_target=[SelfCheckCount.school, SelfCheckCount.month, SelfCheckCount.instrument,
                                   SelfCheckCount.level],
                  update={SelfCheckCount.count: SelfCheckCount.count + 1})
     .execute())


@bp.route("/<code>", methods=["GET", "POST"])
@allow(*TEACHERS)
def take(code):
    instrument = instruments.get(code)
    if instrument is None or instrument not in _teacher_instruments():
        return render("errors/404.html"), 404
    form = AppForm()
    missing = False
    if form.validate_on_submit():
        answers = answers_from(request.form, instrument)
        if answers is not None:
            total, critical = instruments.score_answers(instrument, answers)
            level = instruments.level_for(instrument, total)
            count_one(current_user.school_id, local_now().strftime("%Y-%m"), instrument.code, level)
            # Shown now, kept nowhere: a reload or the back button shows an empty questionnaire.
            return render("screening/self_check_result.html", instrument=instrument, total=total, level=level,
                          critical=critical, band=instrument.band(total), aid=county_aid(),
                          advice=ADVICE[level])
        missing = True
    return render("screening/self_check_take.html", instrument=instrument, form=form, missing=missing,
                  posted=request.form), 422 if form.is_submitted() else 200


@bp.route("/contact", methods=["POST"])
@allow(*TEACHERS)
def contact():
    """She asks to be contacted: her name and the level she chose to pass on, no answers."""
    form = AppForm()
    level = request.form.get("level", "general")
    if form.validate_on_submit() and level in instruments.LEVELS:
        asked = SelfCheckContact.create(user=current_user.id, level=level,
                                        critical=request.form.get("critical") == "1")
        audit.record("self_check_contact", asked)
        flash(_("Thank you. The county's psychological centre will contact you soon, in confidence."))
    return redirect(url_for("self_check.index"))


def group_counts(user):
    """Per school in scope (and in all): counts per level over the school year, None where the
    group is smaller than SMALLEST_GROUP."""
    school_ids = [s for (s,) in visible_schools(user).select(School.id).tuples()]
    rows = (SelfCheckCount.select(SelfCheckCount.school, SelfCheckCount.level, fn.SUM(SelfCheckCount.count))
            .where(SelfCheckCount.school.in_(school_ids))
            .group_by(SelfCheckCount.school, SelfCheckCount.level).tuples())
    by_school = {}
    for school_id, level, count in rows:
        by_school.setdefault(school_id, dict.fromkeys(instruments.LEVELS, 0))[level] += int(count)
    names = dict(School.select(School.id, School.name).where(School.id.in_(list(by_school))).tuples())
    groups = []
    for school_id, levels in sorted(by_school.items(), key=lambda item: names.get(item[0], "")):
        shown = levels if sum(levels.values()) >= SMALLEST_GROUP else None
        groups.append((names.get(school_id, ""), shown))
    # The total takes the hidden schools only when they are 5 or more together: otherwise the
    # total less the shown schools would be the hidden teachers' levels.
    hidden = [levels for levels in by_school.values() if sum(levels.values()) < SMALLEST_GROUP]
    counted = [levels for levels in by_school.values() if sum(levels.values()) >= SMALLEST_GROUP]
    if sum(sum(levels.values()) for levels in hidden) >= SMALLEST_GROUP:
        counted += hidden
    total = dict.fromkeys(instruments.LEVELS, 0)
    for levels in counted:
        for level, count in levels.items():
            total[level] += count
    return groups, (total if sum(total.values()) >= SMALLEST_GROUP else None)


@bp.route("/counts")
@allow(*COUNT_READERS)
def counts():
    groups, total = group_counts(current_user)
    contacts = []
    if current_user.role == "county":
        contacts = list(SelfCheckContact.select().where(SelfCheckContact.handled_at.is_null())
                        .order_by(SelfCheckContact.asked_at))
    return render("screening/self_check_counts.html", groups=groups, total=total, contacts=contacts,
                  smallest=SMALLEST_GROUP)
