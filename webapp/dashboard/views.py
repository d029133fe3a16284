"""`/dashboard/`: the county → zone → school → class drill-down, and each table as XLSX."""
from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook

from .. import audit
from ..access import (
    DASHBOARD_ROLES,
    allow,
    get_in_scope,
    key_groups_seen,
    visible_classes,
    visible_schools,
    visible_zones,
)
from ..bounds import record_id
from ..clock import today
from ..web import render
from ..xlsx import safe_cell, workbook_response
from . import board
from .charts import bar_chart

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _own_level(user):
    """Where `/dashboard/` starts: the county, the zone's own zone, the principal's school."""
    if user.role == "county":
        return "county", None
    if user.role == "zone":
        return "zone", get_in_scope(visible_zones(user), user.zone_id)
    return "school", get_in_scope(visible_schools(user), user.school_id)


def _level_from_args(user):
    """The level named by ?zone= / ?school= / ?class= (the export's scope), else the user's own."""
    for name, level, query in (("class", "class", visible_classes), ("school", "school", visible_schools),
                               ("zone", "zone", visible_zones)):
        if name in request.args:
            unit_id = request.args.get(name, type=record_id)
            if unit_id is None:
                abort(404)
            return level, get_in_scope(query(user), unit_id)
    return _own_level(user)


def _breadcrumbs(level, unit):
    """The way back up, as far as the viewer's scope reaches (links she may open)."""
    crumbs = []
    school = unit.school if level == "class" else unit if level == "school" else None
    zone = school.zone if school is not None else unit if level == "zone" else None
    if current_user.role == "county":
        crumbs.append(("county", None))
    if zone is not None and current_user.role in ("county", "zone"):
        crumbs.append(("zone", zone))
    if school is not None:
        crumbs.append(("school", school))
    return crumbs


def _place(level, unit):
    if unit is None:
        return _("The county")
    if level == "class":
        return f"{unit.school.name} {unit.label}"
    return unit.name


def _page(level, unit):
    built = board.build(level, unit)  # counts only, no child's data: not an audited read (exports are)
    scope = {"zone": "zone", "school": "school", "class": "class"}.get(level)
    if level == "villages" and unit is not None:
        scope = "zone"
    export_args = {scope: unit.id} if scope else {}
    return render(
        "dashboard/index.html", level=level, unit=unit,
        tables=board.tables(level, built, key_groups_seen(current_user)),
        crumbs=_breadcrumbs("zone" if level == "villages" else level, unit) if unit is not None else [],
        export_args=export_args, villages_args={"zone": unit.id} if level == "zone" else {},
        bar_chart=bar_chart, day=today(), place=_place(level, unit),
    )


@bp.route("/")
@allow(*DASHBOARD_ROLES)
def index():
    return _page(*_own_level(current_user))


@bp.route("/zone/<int:zone_id>")
@allow("county", "zone")
def zone(zone_id):
    return _page("zone", get_in_scope(visible_zones(current_user), zone_id))


@bp.route("/school/<int:school_id>")
@allow(*DASHBOARD_ROLES)
def school(school_id):
    return _page("school", get_in_scope(visible_schools(current_user), school_id))


@bp.route("/class/<int:class_id>")
@allow(*DASHBOARD_ROLES)
def school_class(class_id):
    return _page("class", get_in_scope(visible_classes(current_user), class_id))


@bp.route("/villages")
@allow("county", "zone")
def villages():
    """Child-worker duty completion per village: the county's, or a zone's (?zone=)."""
    level, unit = _level_from_args(current_user)
    if level == "county":
        return _page("villages", None)
    if level != "zone":
        abort(404)
    return _page("villages", unit)


@bp.route("/<name>.xlsx")
@allow(*DASHBOARD_ROLES)
def export(name):
    """One table of a level as a spreadsheet; the same scope as the page (?zone=/?school=/?class=)."""
    level, unit = _level_from_args(current_user)
    if name == "villages" and level in ("county", "zone"):
        level = "villages"
    if name not in board.LEVEL_TABLES[level]:
        abort(404)
    found = [t for t in board.tables(level, board.build(level, unit), key_groups_seen(current_user))
             if t["key"] == name]
    if not found:
        abort(404)
    data = found[0]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name)
    first = _("Village") if name == "villages" else _("Unit")
    sheet.append([safe_cell(str(h)) for h in [first, *data["headers"]]])
    for unit_row, values in data["rows"]:
        sheet.append([safe_cell(unit_row.name), *(safe_cell(v) for v in values)])
    if data["totals"] is not None:
        sheet.append([safe_cell(str(board.TOTAL_LABEL)), *(safe_cell(v) for v in data["totals"])])
    audit.record("export_dashboard", unit, level=level, table=name)
    suffix = f"-{type(unit).__name__.lower()}-{unit.id}" if unit is not None else "-county"
    return workbook_response(workbook, f"dashboard-{name}{suffix}-{today().isoformat()}.xlsx")
