"""The workbooks: the compliance matrix, and the annual 年度心理健康教育工作台账 (one school's, a
zone's or the county's) with a summary sheet and one sheet per requirement, from the records."""
from flask_babel import gettext as _
from openpyxl import Workbook
from peewee import JOIN

from ..models import (
    CounsellingRoom,
    EmergencyPlan,
    PlanStep,
    ProgrammeActivity,
    ProgrammeStaff,
    School,
    SchoolClass,
    Training,
)
from ..schoolyear import school_year_label, school_year_of
from ..xlsx import safe_cell
from . import compliance, rules
from .labels import (
    ACTIVITY_KIND_LABELS,
    EQUIPMENT_LABELS,
    PER_LABELS,
    PERIOD_LABELS,
    POST_LABELS,
    TRAINING_LEVEL_LABELS,
    cell_text,
    requirement_label,
)

REPORT_TITLE = "年度心理健康教育工作台账"
BAD_SHEET_CHARACTERS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _row(sheet, values):
    sheet.append([safe_cell(str(v)) if v is not None and not isinstance(v, int | float) else v for v in values])


def matrix_workbook(schools, found):
    """Schools × requirements, each cell its state in words."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Compliance"))
    _row(sheet, [_("School"), _("Zone")] + [f"{r.section} {requirement_label(r)}" for r in found.requirements])
    for school in schools:
        _row(sheet, [school.name, school.zone_name]
             + [cell_text(found.cells[school.id][r.key], r) for r in found.requirements])
    return workbook


def _sheet_name(requirement, used):
    name = f"{requirement.section} {requirement_label(requirement)}".translate(BAD_SHEET_CHARACTERS)[:31]
    n = 2
    while name in used:
        name = f"{name[:28]} {n}"
        n += 1
    used.add(name)
    return name


def annual_workbook(schools, day, as_of=None):
    """The school year of `as_of` (by default `day`'s), as it stands on `day`: the summary, then a
    sheet per active requirement with its records."""
    as_of = as_of or day
    ids = [s.id for s in schools]
    names = {s.id: s.name for s in schools}
    found = compliance.evaluate(ids, day, as_of=as_of)
    first, last = rules.year_bounds(as_of)
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    _row(summary, [REPORT_TITLE, school_year_label(school_year_of(as_of)), _("as of %(day)s", day=day.isoformat())])
    _row(summary, [_("School")] + [f"{r.section} {requirement_label(r)}" for r in found.requirements])
    for school in schools:
        _row(summary, [school.name] + [cell_text(found.cells[school.id][r.key], r) for r in found.requirements])
    used = {summary.title}
    for req in found.requirements:
        sheet = workbook.create_sheet(_sheet_name(req, used))
        _row(sheet, [f"《实施方案》{req.section}", str(requirement_label(req)),
                     f"{req.count} {PER_LABELS.get(req.per, '')} {PERIOD_LABELS.get(req.period, '')}"])
        _row(sheet, [_("School"), _("State")] + _columns(req))
        records = _records(req, ids, first, last)
        for school_id in ids:
            state = cell_text(found.cells[school_id][req.key], req)
            mine = records.get(school_id) or [[]]
            for values in mine:
                _row(sheet, [names[school_id], state] + values)
    return workbook


def _columns(req):
    if req.check == "activity":
        return [_("Date"), _("What"), _("Class"), _("Topic")]
    if req.check in ("full_time", "part_time_trained"):
        return [_("Name"), _("Post"), _("Qualification"), _("Trainings"), _("Latest training")]
    if req.check == "room":
        return [_("Built"), _("Year built"), _("Standard"), _("Year the standard was reached"), _("Opening hours"),
                _("Equipment")]
    return [_("Approved or last reviewed on"), _("Last drill"), _("Steps")]


def _of(field, ids):
    return compliance._of_schools(field, ids)


def _records(req, ids, first, last):
    """{school id: [row values]} of the records behind a requirement, over the school year."""
    wanted, result = set(ids), {}
    yes, no = _("Yes"), _("No")
    if req.check == "activity":
        query = (ProgrammeActivity.select(ProgrammeActivity.school, ProgrammeActivity.day, ProgrammeActivity.kind,
                                          SchoolClass.grade, SchoolClass.number, ProgrammeActivity.topic)
                 .join(SchoolClass, on=(ProgrammeActivity.school_class == SchoolClass.id), join_type=JOIN.LEFT_OUTER)
                 .where(_of(ProgrammeActivity.school, ids) & (ProgrammeActivity.kind == req.kind)
                        & ProgrammeActivity.day.between(first, last))
                 .order_by(ProgrammeActivity.school, ProgrammeActivity.day, ProgrammeActivity.id).tuples())
        for school_id, day, kind, grade, number, topic in query:
            if school_id in wanted:
                label = f"{grade}-{number}" if grade is not None else ""
                result.setdefault(school_id, []).append([day.isoformat(), str(ACTIVITY_KIND_LABELS[kind]), label,
                                                         topic])
    elif req.check in ("full_time", "part_time_trained"):
        post = "full_time" if req.check == "full_time" else "part_time"
        trainings = {}
        for staff_id, day, hours, level, title in (Training.select(Training.staff, Training.day, Training.hours,
                                                                   Training.level, Training.title)
                                                   .join(ProgrammeStaff)
                                                   .where(_of(ProgrammeStaff.school, ids))
                                                   .order_by(Training.day).tuples()):
            trainings.setdefault(staff_id, []).append((day, hours, level, title))
        for member in (ProgrammeStaff.select().where(_of(ProgrammeStaff.school, ids) & ProgrammeStaff.active
                                                     & (ProgrammeStaff.post == post))
                       .order_by(ProgrammeStaff.school, ProgrammeStaff.name)):
            if member.school_id not in wanted:
                continue
            own = trainings.get(member.id, [])
            listed = "; ".join(f"{d.isoformat()} {t} ({TRAINING_LEVEL_LABELS[lv]}, {h}h)" for d, h, lv, t in own)
            result.setdefault(member.school_id, []).append([
                member.name, str(POST_LABELS[member.post]), member.qualification, listed,
                own[-1][0].isoformat() if own else ""])
    elif req.check == "room":
        rows = (School.select(School.id, CounsellingRoom.built, CounsellingRoom.built_year, CounsellingRoom.standard,
                              CounsellingRoom.standard_year, School.counselling_hours, CounsellingRoom.equipment)
                .join(CounsellingRoom, join_type=JOIN.LEFT_OUTER, on=(CounsellingRoom.school == School.id))
                .where(_of(School.id, ids)).tuples())
        for school_id, built, built_year, standard, standard_year, hours, equipment in rows:
            if school_id in wanted:
                kit = "、".join(str(EQUIPMENT_LABELS[c]) for c in (equipment or "").split(",") if c in EQUIPMENT_LABELS)
                result[school_id] = [[yes if built else no, built_year, yes if standard else no, standard_year,
                                      hours or "", kit]]
    elif req.check == "plan":
        steps = {}
        for school_id, in PlanStep.select(PlanStep.school).where(_of(PlanStep.school, ids)).tuples():
            steps[school_id] = steps.get(school_id, 0) + 1
        for plan in EmergencyPlan.select().where(_of(EmergencyPlan.school, ids)):
            if plan.school_id in wanted:
                result[plan.school_id] = [[plan.approved_on.isoformat(),
                                           plan.last_drill_on.isoformat() if plan.last_drill_on else "",
                                           steps.get(plan.school_id, 0) or _("the county's default")]]
    return result
