"""A class's visit register (家访记录表) for the school's paper archive: print view data and XLSX."""
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from peewee import JOIN

from ..labels import FAMILY_SITUATION_LABELS, RECEIVER_LABELS, VISIT_MODE_LABELS
from ..models import Child, ClassTeacher, HomeVisit, User
from ..schoolyear import school_year_label, school_year_of
from ..xlsx import safe_cell
from . import coverage, rules

WIDTHS = (6, 10, 12, 10, 16, 8, 30, 40, 40, 8, 10)
DATE_FORMAT = "yyyy-mm-dd"


def register(school_class, day):
    """Every visit in the school year of `day` to the children now in the class (with those
    made while a child was in another class) or logged for this class (a child since moved
    away), the children not yet visited, and the class's facts."""
    year = school_year_of(day)
    start, end = rules.year_bounds(year)
    author = User.alias()
    visits = list(
        HomeVisit.select(HomeVisit, Child, author)
        .join_from(HomeVisit, Child, on=(HomeVisit.child == Child.id))
        .join_from(HomeVisit, author, JOIN.LEFT_OUTER, on=(HomeVisit.author == author.id), attr="written_by")
        .where(((Child.school_class == school_class.id) | (HomeVisit.school_class == school_class.id))
               & HomeVisit.visited_on.between(start, end))
        .order_by(Child.name_pinyin, Child.id, HomeVisit.visited_on, HomeVisit.id)
    )
    report = coverage.class_report(school_class, day)
    teachers = [name for (name,) in ClassTeacher.select(User.display_name).join(User)
                .where(ClassTeacher.school_class == school_class.id).tuples()]
    return {
        "school_class": school_class,
        "school_name": school_class.school.name,
        "year_label": school_year_label(year),
        "teachers": teachers,
        "coverage": report["coverage"],
        "visits": visits,
        "not_visited": [child for _village, group in report["by_village"] for child in group],
    }


def _labels(codes, table):
    return "、".join(str(table.get(code, code)) for code in codes)


def visit_row(number, visit):
    """One register line as plain values (text not yet made safe)."""
    writer = getattr(visit, "written_by", None)
    return (
        number, visit.child.name, visit.visited_on, str(VISIT_MODE_LABELS.get(visit.mode, visit.mode)),
        _labels(visit.receiver_list, RECEIVER_LABELS), _("Yes") if visit.child_present else _("No"),
        _labels(visit.situation_list, FAMILY_SITUATION_LABELS), visit.findings, visit.guidance,
        _("Yes") if visit.follow_up else _("No"), writer.display_name if writer and writer.id else "",
    )


def headers():
    return (
        _("No."), _("Pupil"), _("Date of the visit"), _("How"), _("Who received the visit"),
        _("Child present"), _("Family situation"), _("What was found"), _("Guidance given"),
        _("Follow-up"), _("Visited by"),
    )


def _header_cells(sheet, titles):
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    return cells


def _cells(sheet, row):
    """Every text through safe_cell: findings and names are typed by users and must stay text."""
    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        if hasattr(value, "isoformat"):
            cell.number_format = DATE_FORMAT
        cells.append(cell)
    return cells


def build_workbook(school_class, day):
    """The register as a write_only workbook (visits; children not yet visited) and its row count."""
    sheet_data = register(school_class, day)
    workbook = Workbook(write_only=True)
    visits = workbook.create_sheet(_("Home visit register"))
    for index, width in enumerate(WIDTHS):
        visits.column_dimensions[chr(ord("A") + index)].width = width
    visits.freeze_panes = "A2"
    visits.append(_header_cells(visits, headers()))
    for number, visit in enumerate(sheet_data["visits"], start=1):
        visits.append(_cells(visits, visit_row(number, visit)))
    waiting = workbook.create_sheet(_("Not yet visited"))
    waiting.append(_header_cells(waiting, (_("Pupil"), _("Village"))))
    for child in sheet_data["not_visited"]:
        waiting.append(_cells(waiting, (child.name, child.village.name if child.village_id else "")))
    return workbook, len(sheet_data["visits"])
