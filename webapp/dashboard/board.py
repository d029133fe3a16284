"""A dashboard level (county, zone, school, class): its rows and the tables shown and exported."""
from typing import NamedTuple

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..access import villages_of_zone
from ..clock import today, utcnow
from ..models import Child, School, SchoolClass, Village, Zone
from . import metrics as m
from . import tallied


class Unit(NamedTuple):
    id: object
    name: str
    url: str


def _pct(part, whole):
    value = m.percent(part, whole)
    return "" if value is None else f"{value}%"


def _median(values):
    found = m.median(values or [])
    return "" if found is None else round(found)


TOTAL_LABEL = _l("Total")
# Each table: key, title, columns as (label, value of the figures), and the chart's bar (value, maximum).
TABLES = {
    "visits": (_l("Home visits this school year"), [
        (_l("Pupils"), lambda f: f.get("pupils", 0)),
        (_l("Visited"), lambda f: f.get("visited", 0)),
        (_l("Coverage"), lambda f: _pct(f.get("visited", 0), f.get("pupils", 0))),
        (_l("Key group not visited this term"), lambda f: f.get("key_due", 0)),
    ], lambda f: (f.get("visited", 0), f.get("pupils", 0))),
    "committee": (_l("Committee rosters (a boy and a girl per class from grade 4)"), [
        (_l("Classes from grade 4"), lambda f: f.get("required", 0)),
        (_l("Complete"), lambda f: f.get("complete", 0)),
        (_l("Share complete"), lambda f: _pct(f.get("complete", 0), f.get("required", 0))),
    ], lambda f: (f.get("complete", 0), f.get("required", 0))),
    "reports": (_l("Weekly class reports, last 4 weeks"), [
        (_l("Due"), lambda f: f.get("due", 0)),
        (_l("Sent"), lambda f: f.get("sent", 0)),
        (_l("Submission rate"), lambda f: _pct(f.get("sent", 0), f.get("due", 0))),
        (_l("Missing last week"), lambda f: f.get("missing_last", 0)),
        (_l("Not yet in this week"), lambda f: f.get("pending", 0)),
    ], lambda f: (f.get("sent", 0), f.get("due", 0))),
    "concerns": (_l("Open concerns"), [
        (_l("Open"), lambda f: f.get("open", 0)),
        (_l("Urgent"), lambda f: f.get("urgent", 0)),
        (_l("Soon"), lambda f: f.get("soon", 0)),
        (_l("Routine"), lambda f: f.get("normal", 0)),
        (_l("Under a day"), lambda f: f.get("age_day", 0)),
        (_l("1–7 days"), lambda f: f.get("age_week", 0)),
        (_l("Over 7 days"), lambda f: f.get("age_older", 0)),
        (_l("Median minutes to acknowledge (this month)"), lambda f: _median(f.get("ack_minutes"))),
        (_l("Urgent, not acknowledged in time (this month)"), lambda f: f.get("urgent_late", 0)),
    ], None),
    "cases": (_l("Open cases"), [
        (_l("Open"), lambda f: f.get("cases", 0)),
        (_l("High risk"), lambda f: f.get("high", 0)),
        (_l("Key"), lambda f: f.get("key", 0)),
        (_l("Attention"), lambda f: f.get("attention", 0)),
        (_l("General"), lambda f: f.get("general", 0)),
        (_l("Reviews overdue"), lambda f: f.get("review_overdue", 0)),
        (_l("Referrals awaiting feedback"), lambda f: f.get("referrals_waiting", 0)),
    ], None),
    "staffing": (_l("Full-time psychology teachers (《实施方案》四、5)"), [
        (_l("Schools"), lambda f: f.get("schools", 0)),
        (_l("Without a full-time psychology teacher"), lambda f: f.get("without_full_time", 0)),
        (_l("Full-time psychology teachers"), lambda f: f.get("full_time", 0)),
    ], None),
    "key_groups": (_l("Key groups of pupils (《实施方案》四、11)"), [
        (_l("Mental-health problem"), lambda f: f.get("kg_mental_health", 0)),
        (_l("Family problem"), lambda f: f.get("kg_problem_family", 0)),
        (_l("Left-behind"), lambda f: f.get("kg_left_behind", 0)),
        (_l("Psychiatric history"), lambda f: f.get("kg_psychiatric_history", 0)),
    ], None),
    "villages": (_l("Child-worker duties this period, per village"), [
        (_l("Duties"), lambda f: f.get("duties", 0)),
        (_l("Done"), lambda f: f.get("duties_done", 0)),
        (_l("Completion"), lambda f: _pct(f.get("duties_done", 0), f.get("duties", 0))),
        (_l("Overdue"), lambda f: f.get("overdue", 0)),
    ], lambda f: (f.get("duties_done", 0), f.get("duties", 0))),
}
# The key group each column of a table counts, where a viewer may not see every group
# (access.key_groups_seen): a column of a group she may not see is neither shown nor exported.
COLUMN_GROUPS = {"key_groups": ("mental_health", "problem_family", "left_behind", "psychiatric_history")}
# The bar of tables without a share: the count of their first column, against the largest row.
COUNT_BARS = {"concerns": "open", "cases": "cases", "staffing": "without_full_time",
              "key_groups": "kg_mental_health"}
LEVEL_TABLES = {
    "county": ("visits", "key_groups", "committee", "reports", "concerns", "cases", "staffing"),
    "zone": ("visits", "key_groups", "committee", "reports", "concerns", "cases", "staffing"),
    # Per-village duties: a page of its own, a long list at county scale.
    "villages": ("villages",),
    "school": ("visits", "key_groups", "committee", "reports", "concerns", "cases"),
    "class": ("visits", "key_groups", "committee", "reports", "concerns", "cases"),
}


def _school_figures(school_ids, day, now):
    """Per school: the day's tallied figures, and those that move with the hour (open concerns
    by age, acknowledgement times), cases and staffing counted now from their small tables."""
    staffing = m.full_time_by_school(school_ids)
    for figures in staffing.values():
        figures["schools"] = 1
    return m.merge(
        tallied.school_figures(school_ids, day),
        m.concerns_by_unit(Child.school, school_ids, now, day), m.acknowledge_minutes(Child.school, school_ids, day),
        m.cases_by_unit(Child.school, school_ids, day), staffing,
    )


def _class_figures(classes, day, now):
    ids = [c.id for c in classes]
    plain = [(c.id, c.school_id, c.grade, c.number) for c in classes]
    return m.merge(
        m.visits_by_class(classes, day), m.committee_by_class(plain), m.reports_by_class(plain, day),
        m.concerns_by_unit(Child.school_class, ids, now, day), m.acknowledge_minutes(Child.school_class, ids, day),
        m.cases_by_unit(Child.school_class, ids, day), m.key_groups_by_class(ids),
    )


def _villages(query, day):
    units = [Unit(v.id, v.name, "") for v in query.select(Village.id, Village.name).order_by(Village.name, Village.id)]
    return units, tallied.village_figures([u.id for u in units], day)


def build(level, unit=None):
    """Everything a level shows: {"units": [Unit], "figures": {unit id: {...}}, "total": {...},
    "villages": ([Unit], figures) or None}. A fixed number of queries, whatever the scope's size.
    Level "villages" is the duty page of the county (unit None) or of a zone."""
    day, now = today(), utcnow()
    villages = None
    if level == "villages":
        query = Village.select() if unit is None else villages_of_zone(unit.id)
        return {"units": [], "figures": {}, "total": {}, "villages": _villages(query, day)}
    if level == "county":
        schools = list(School.select(School.id, School.name, School.zone))
        by_school = _school_figures([s.id for s in schools], day, now)
        figures = m.roll_up(by_school, {s.id: s.zone_id for s in schools})
        units = [Unit(z.id, z.name, url_for("dashboard.zone", zone_id=z.id)) for z in Zone.select().order_by(Zone.name)]
    elif level == "zone":
        schools = list(School.select(School.id, School.name).where(School.zone == unit.id).order_by(School.name))
        figures = _school_figures([s.id for s in schools], day, now)
        units = [Unit(s.id, s.name, url_for("dashboard.school", school_id=s.id)) for s in schools]
    elif level == "school":
        classes = list(SchoolClass.select().where(
            (SchoolClass.school == unit.id) & (SchoolClass.school_year == m.school_year_of(day))
        ).order_by(SchoolClass.grade, SchoolClass.number))
        figures = _class_figures(classes, day, now)
        units = [Unit(c.id, c.label, url_for("dashboard.school_class", class_id=c.id)) for c in classes]
    else:
        figures = _class_figures([unit], day, now)
        units = [Unit(unit.id, unit.label, "")]
    total = m.roll_up({u.id: figures.get(u.id, {}) for u in units}, {}).get(None, {})
    return {"units": units, "figures": figures, "total": total, "villages": villages}


def table(key, units, figures, total=None, seen=()):
    """A table ready to show or export: title, headers, rows of (unit, values) and chart bars.
    `seen`: the key groups the viewer may see; columns of other groups are left out."""
    title, columns, share = TABLES[key]
    if key in COLUMN_GROUPS:
        columns = [column for column, group in zip(columns, COLUMN_GROUPS[key], strict=True) if group in seen]
    rows = [(u, [value(figures.get(u.id, {})) for _label, value in columns]) for u in units]
    if share:
        bars = [(u.name, *share(figures.get(u.id, {})), _pct(*share(figures.get(u.id, {})))) for u in units]
    else:
        name = COUNT_BARS[key]
        largest = max([figures.get(u.id, {}).get(name, 0) for u in units] + [1])
        bars = [(u.name, figures.get(u.id, {}).get(name, 0), largest, str(figures.get(u.id, {}).get(name, 0)))
                for u in units]
    totals = [value(total) for _label, value in columns] if total is not None else None
    return {"key": key, "title": title, "headers": [label for label, _value in columns], "rows": rows,
            "bars": bars, "totals": totals}


def tables(level, built, seen=()):
    """The level's tables in display order; `seen` as for `table`."""
    result = []
    for key in LEVEL_TABLES[level]:
        if key == "villages":
            if built["villages"] is not None:
                units, figures = built["villages"]
                result.append(table(key, units, figures, m.roll_up(figures, {}).get(None, {})))
            continue
        result.append(table(key, built["units"], built["figures"], built["total"], seen))
    return result
