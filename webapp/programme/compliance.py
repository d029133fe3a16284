"""Compliance of schools with the county's requirements, computed from the records.

A fixed number of grouped queries, whatever the number of schools (the county's matrix is one
call): activities per school and kind, per class and kind, the classes of the year, the staff
with their latest training, the rooms with the schools' opening hours, the plans.
"""
from collections import defaultdict
from typing import NamedTuple

from peewee import JOIN, fn
from peewee import Case as SqlCase

from ..db import IN_LIST_LIMIT
from ..models import (
    CounsellingRoom,
    EmergencyPlan,
    ProgrammeActivity,
    ProgrammeStaff,
    School,
    SchoolClass,
    Training,
    User,
)
from ..schoolyear import school_year_of
from . import rules
from .requirements import active_requirements


class Cell(NamedTuple):
    """One school × requirement: its state, what was found against what is required, and a code
    that says why (shown as text beside the colour)."""

    state: str
    found: int
    required: int
    why: str = ""  # room: none / not_standard / no_hours; plan: none / old
    due: int = 0  # behind its pace: the records the pace asks for by now (0: not behind)
    least: int = 0  # behind its pace: the records there are (a school's: its class with fewest)


def _of_schools(field, school_ids):
    """A filter on a list of schools; past IN_LIST_LIMIT none (the caller keeps what it wants)."""
    return field.in_(school_ids) if len(school_ids) <= IN_LIST_LIMIT else True


def _sum_if(condition):
    return fn.SUM(SqlCase(None, [(condition, 1)], 0))


def _windows(day):
    return {period: rules.period_bounds(period, day) for period in rules.PERIODS}


def activity_counts(school_ids, day, target="school", kinds=None):
    """{(school or class id, kind): {period: count}} over this term, year and May: one query
    (`kinds`: only these kinds)."""
    windows = _windows(day)
    unit = ProgrammeActivity.school if target == "school" else ProgrammeActivity.school_class
    first, last = windows["year"]
    query = (ProgrammeActivity.select(unit, ProgrammeActivity.kind,
                                      *(_sum_if(ProgrammeActivity.day.between(*windows[p])) for p in rules.PERIODS),
                                      ProgrammeActivity.school)
             .where(_of_schools(ProgrammeActivity.school, school_ids) & ProgrammeActivity.day.between(first, last))
             .group_by(unit, ProgrammeActivity.kind, ProgrammeActivity.school))
    if target == "class":
        query = query.where(ProgrammeActivity.school_class.is_null(False))
    if kinds is not None:
        query = query.where(ProgrammeActivity.kind.in_(sorted(kinds)))
    wanted = set(school_ids)
    result = {}
    for unit_id, kind, *counts, school_id in query.tuples():
        if school_id in wanted:
            result[(unit_id, kind)] = {p: int(c or 0) for p, c in zip(rules.PERIODS, counts, strict=True)}
    return result


def class_summary(school_ids, day, requirement):
    """{school id: (classes, classes reaching the count, fewest found in a class)} of the school
    year `day` falls in, for one per-class requirement: one query, a row per school. What the
    county's matrix needs, without fetching every class (8,000 rows in a county)."""
    first, last = rules.period_bounds(requirement.period, day)
    done = (ProgrammeActivity.select(ProgrammeActivity.school_class.alias("class_id"),
                                     fn.COUNT(ProgrammeActivity.id).alias("n"))
            .where((ProgrammeActivity.kind == requirement.kind) & ProgrammeActivity.day.between(first, last)
                   & ProgrammeActivity.school_class.is_null(False) & _of_schools(ProgrammeActivity.school, school_ids))
            .group_by(ProgrammeActivity.school_class)).alias("done")
    found = fn.COALESCE(done.c.n, 0)
    rows = (SchoolClass.select(SchoolClass.school, fn.COUNT(SchoolClass.id), _sum_if(found >= requirement.count),
                               fn.MIN(found))
            .join(done, JOIN.LEFT_OUTER, on=(done.c.class_id == SchoolClass.id))
            .where((SchoolClass.school_year == school_year_of(day)) & _of_schools(SchoolClass.school, school_ids))
            .group_by(SchoolClass.school).tuples())
    wanted = set(school_ids)
    return {s: (int(n), int(met or 0), int(fewest or 0)) for s, n, met, fewest in rows if s in wanted}


def classes_of(school_ids, day):
    """{school id: [class ids]} of the school year `day` falls in."""
    result = defaultdict(list)
    wanted = set(school_ids)
    for class_id, school_id in (SchoolClass.select(SchoolClass.id, SchoolClass.school)
                                .where((SchoolClass.school_year == school_year_of(day))
                                       & _of_schools(SchoolClass.school, school_ids))
                                .order_by(SchoolClass.grade, SchoolClass.number).tuples()):
        if school_id in wanted:
            result[school_id].append(class_id)
    return result


def staff_of(school_ids):
    """{school id: {"full_time": n, "part_time": [latest training day or None]}}: one query."""
    result = {s: {"full_time": 0, "part_time": []} for s in school_ids}
    rows = (ProgrammeStaff.select(ProgrammeStaff.school, ProgrammeStaff.post, fn.MAX(Training.day))
            .join(Training, JOIN.LEFT_OUTER, on=(Training.staff == ProgrammeStaff.id))
            .where(ProgrammeStaff.active & _of_schools(ProgrammeStaff.school, school_ids))
            .group_by(ProgrammeStaff.id, ProgrammeStaff.school, ProgrammeStaff.post).tuples())
    for school_id, post, last in rows:
        if school_id not in result:
            continue
        if post == "full_time":
            result[school_id]["full_time"] += 1
        else:
            result[school_id]["part_time"].append(last)
    return result


def rooms_of(school_ids):
    """{school id: (built, standard, has opening hours)}: one query."""
    rows = (School.select(School.id, School.counselling_hours, CounsellingRoom.built, CounsellingRoom.standard)
            .join(CounsellingRoom, JOIN.LEFT_OUTER, on=(CounsellingRoom.school == School.id))
            .where(_of_schools(School.id, school_ids)).tuples())
    wanted = set(school_ids)
    return {s: (bool(built), bool(standard), bool((hours or "").strip()))
            for s, hours, built, standard in rows if s in wanted}


def plans_of(school_ids):
    wanted = set(school_ids)
    return {s: approved for s, approved in EmergencyPlan.select(EmergencyPlan.school, EmergencyPlan.approved_on)
            .where(_of_schools(EmergencyPlan.school, school_ids)).tuples() if s in wanted}


class Compliance(NamedTuple):
    requirements: list
    cells: dict  # {school id: {requirement key: Cell}}
    classes: dict  # {school id: [class ids]}
    per_class: dict  # {(class id, requirement key): Cell}


def _room_cell(room):
    built, standard, has_hours = room
    why = "" if built and standard and has_hours else "none" if not built else \
        "not_standard" if not standard else "no_hours"
    return Cell(rules.room_state(built, standard, has_hours), int(built and standard), 1, why)


def _plan_cell(approved_on, day):
    state = rules.plan_state(approved_on, day)
    why = "none" if approved_on is None else "" if state == "met" else "old"
    return Cell(state, int(state == "met"), 1, why)


def _count_cell(found, requirement, bounds, day):
    """A counted requirement's cell for one class or school: its state with the pace, and when
    behind, what the pace asks for against what there is."""
    state, due = rules.paced_state(found, requirement.count, *bounds, day, requirement.pace_days)
    return Cell(state, found, requirement.count, "", due, found if due else 0)


def _summary_cell(summary, requirement, bounds, day):
    """A school's cell of a per-class requirement from class_summary: its worst class's state is
    the state of the class with fewest (paced_state only gets better with more found)."""
    classes, met, fewest = summary or (0, 0, 0)
    if not classes:
        return Cell("met", 0, 0, "classes")
    worst = _count_cell(fewest, requirement, bounds, day)
    return Cell(worst.state, met, classes, "classes", worst.due, worst.least)


def evaluate(school_ids, day, requirements=None, as_of=None, class_detail=True):
    """Every school × active requirement on `day`. Activities are counted in the periods `as_of`
    falls in (by default `day`'s; a day of last term checks last term, which is then over: what
    it lacked is missed). Staff, room and plan are checked as they stand on `day`.

    class_detail=False (the county's matrix): the per-class requirements' cells come from one
    summary row per school; `classes` and `per_class` of the result stay empty."""
    school_ids = list(school_ids)
    as_of = as_of or day
    requirements = active_requirements() if requirements is None else requirements
    checks = {r.check for r in requirements}
    class_reqs = [r for r in requirements if r.check == "activity" and r.per == "class"]
    class_kinds = {r.kind for r in class_reqs} if class_detail else set()
    school_kinds = {r.kind for r in requirements if r.check == "activity" and r.per != "class"}
    by_school = activity_counts(school_ids, as_of, kinds=school_kinds) if school_kinds else {}
    by_class = activity_counts(school_ids, as_of, "class", kinds=class_kinds) if class_kinds else {}
    classes = classes_of(school_ids, as_of) if class_kinds else {}
    summaries = {} if class_detail else {r.key: class_summary(school_ids, as_of, r) for r in class_reqs}
    staff = staff_of(school_ids) if checks & {"full_time", "part_time_trained"} else {}
    rooms = rooms_of(school_ids) if "room" in checks else {}
    plans = plans_of(school_ids) if "plan" in checks else {}
    cells, per_class = {}, {}
    # Each activity requirement's period, once (not per school: 400 × 13 cells in a county).
    bounds = {r.key: rules.period_bounds(r.period, as_of) for r in requirements if r.check == "activity"}
    for school_id in school_ids:
        row = cells[school_id] = {}
        for r in requirements:
            if r.check == "activity" and r.per == "class" and not class_detail:
                row[r.key] = _summary_cell(summaries[r.key].get(school_id), r, bounds[r.key], day)
            elif r.check == "activity" and r.per == "class":
                found_in = [by_class.get((class_id, r.kind), {}).get(r.period, 0)
                            for class_id in classes.get(school_id, [])]
                for class_id, found in zip(classes.get(school_id, []), found_in, strict=True):
                    per_class[(class_id, r.key)] = _count_cell(found, r, bounds[r.key], day)
                # The school's cell is its class with fewest, as the matrix's summary has it.
                summary = (len(found_in), sum(n >= r.count for n in found_in), min(found_in, default=0))
                row[r.key] = _summary_cell(summary, r, bounds[r.key], day)
            elif r.check == "activity":
                found = by_school.get((school_id, r.kind), {}).get(r.period, 0)
                row[r.key] = _count_cell(found, r, bounds[r.key], day)
            elif r.check == "full_time":
                found = staff[school_id]["full_time"]
                row[r.key] = Cell(rules.full_time_state(found, r.count), found, r.count)
            elif r.check == "part_time_trained":
                state, covered, total = rules.training_state(staff[school_id]["part_time"], day, r.count)
                row[r.key] = Cell(state, covered, total)
            elif r.check == "room":
                row[r.key] = _room_cell(rooms.get(school_id, (False, False, False)))
            elif r.check == "plan":
                row[r.key] = _plan_cell(plans.get(school_id), day)
    return Compliance(requirements, cells, classes, per_class)


def zone_posts(zone_ids):
    """四、2 (县管片用): {zone id: Cell} of each zone's counselling posts, counted as the zone's
    active zone accounts (each post is a person who signs in for the zone): met with 2–3. One
    query."""
    zone_ids = list(zone_ids)
    counts = dict(User.select(User.zone, fn.COUNT(User.id))
                  .where((User.role == "zone") & User.active & User.zone.in_(zone_ids))
                  .group_by(User.zone).tuples()) if zone_ids else {}
    result = {}
    for zone_id in zone_ids:
        posts = counts.get(zone_id, 0)
        state, why = rules.zone_posts_state(posts)
        result[zone_id] = Cell(state, posts, rules.ZONE_POSTS[0], why)
    return result


class ZoneRow(NamedTuple):
    """A zone's line of the county's matrix: its schools' states per requirement."""

    id: int
    name: str
    schools: int
    counts: dict  # {requirement key: {state: schools}}


def by_zone(rows, cells):
    """The schools' cells counted per zone, [ZoneRow] by zone name: `rows` have id, zone_id and
    zone_name; `cells` is {school id: {requirement key: Cell}}."""
    names, schools, counts = {}, defaultdict(int), {}
    for school in rows:
        names[school.zone_id] = school.zone_name
        schools[school.zone_id] += 1
        zone = counts.setdefault(school.zone_id, defaultdict(lambda: dict.fromkeys(rules.STATES, 0)))
        for key, cell in cells[school.id].items():
            zone[key][cell.state] += 1
    return sorted((ZoneRow(z, names[z], schools[z], dict(counts[z])) for z in names), key=lambda z: z.name)


def summary(cells):
    """{state: n} over one school's cells."""
    counts = dict.fromkeys(rules.STATES, 0)
    for cell in cells.values():
        counts[cell.state] += 1
    return counts
