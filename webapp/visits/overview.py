"""`/visits/`: coverage for the head teacher's class, per class for a school, per school for zone
and county; `/visits/class/<id>` drills into one class; its register prints and exports."""
from flask import request

from .. import audit
from ..access import allow, get_in_scope, require, visible_classes, visible_schools, visible_visits
from ..bounds import record_id
from ..clock import today
from ..dashboard import tallied
from ..models import Child, HomeVisit, School, SchoolClass, Zone
from ..roster import current_classes
from ..schoolyear import school_year_of
from ..web import render
from ..xlsx import workbook_response
from . import coverage, exports, rules
from .blueprint import READERS, bp, me


def _school_rows(schools, day):
    """Coverage per school as coverage.school_rows counts it, read from the day's tallies."""
    schools = list(schools)
    figures = tallied.school_figures([s.id for s in schools], day)
    rows = []
    for school in schools:
        found = figures.get(school.id, {})
        rows.append({"school": school, "coverage": rules.Coverage(found.get("visited", 0), found.get("pupils", 0)),
                     "key_due": found.get("key_due", 0)})
    return rows


def _class_page(school_class, day, own):
    """One class: the head teacher sees her own recent visits, others the class's."""
    report = coverage.class_report(school_class, day)
    if own:
        recent = visible_visits(me()).where(HomeVisit.author == me().id)
    else:
        recent = visible_visits(me()).where(HomeVisit.child.in_(
            Child.select(Child.id).where(Child.school_class == school_class.id)))
    return render("visits/class.html", report=report, recent=coverage.recent_visits(recent), own=own,
                  school_year=school_year_of(day))


@bp.route("/")
@allow(*READERS)
def index():
    user, day = me(), today()
    if user.role == "head_teacher":
        classes = list(current_classes(visible_classes(user), school_year_of(day)))
        if len(classes) == 1:
            return _class_page(classes[0], day, own=True)
        school = None
    elif user.role in ("zone", "county"):
        school_id = request.args.get("school", type=record_id)
        if school_id is None:
            schools = visible_schools(user).select(School, Zone).join(Zone).order_by(Zone.name, School.name)
            return render("visits/schools.html", rows=_school_rows(schools, day),
                          school_year=school_year_of(day))
        school = get_in_scope(visible_schools(user), school_id)
        classes = current_classes(visible_classes(user).where(SchoolClass.school == school.id),
                                  school_year_of(day))
    else:  # principal, counsellor: the classes of her school
        classes, school = current_classes(visible_classes(user), school_year_of(day)), None
    return render("visits/classes.html", rows=coverage.class_rows(classes, day), school=school,
                  school_year=school_year_of(day))


def _class_or_404(class_id):
    school_class = get_in_scope(visible_classes(me()), class_id)
    return require(me(), "read_class_visits", school_class)


def _day_for(school_class):
    """Today for a class of this school year; for an earlier year's class (its register is
    printed for the archive after the year ends) the last day of that year."""
    day = today()
    if school_class.school_year < school_year_of(day):
        return rules.year_bounds(school_class.school_year)[1]
    return day


@bp.route("/class/<int:class_id>")
@allow(*READERS)
def school_class(class_id):
    found = _class_or_404(class_id)
    return _class_page(found, _day_for(found), own=False)


@bp.route("/class/<int:class_id>/register")
@allow(*READERS)
def register(class_id):
    found = _class_or_404(class_id)
    sheet = exports.register(found, _day_for(found))
    audit.record("print_visit_register", found, rows=len(sheet["visits"]))
    return render("visits/register.html", sheet=sheet)


@bp.route("/class/<int:class_id>/register.xlsx")
@allow(*READERS)
def register_xlsx(class_id):
    found = _class_or_404(class_id)
    workbook, count = exports.build_workbook(found, _day_for(found))
    audit.record("export_visit_register", found, rows=count)
    # Ids and the school year only in the file name: no names of schools or children.
    return workbook_response(workbook, f"home-visits-{found.id}-{found.school_year}.xlsx")
