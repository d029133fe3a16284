"""Every dashboard figure, defined once: grouped counts over a scope, each in a fixed number of queries.

A metric takes the units it counts for (school or class ids, and the Child field that groups by
them) and returns {unit id: {name: int | list}}. Figures add up, so a zone's are the sum of its
schools' (see `roll_up`). The rules that decide (covered, missing, overdue) are the capabilities'
own functions; this module only feeds them.
"""
from collections import Counter
from datetime import timedelta

from flask import current_app
from peewee import OP, SQL, Expression, fn
from peewee import Case as SqlCase

from ..children import groups
from ..db import IN_LIST_LIMIT
from ..models import (
    Case,
    Child,
    Concern,
    ProgrammeStaff,
    Referral,
    School,
    SchoolClass,
    Village,
    WeeklyReport,
)
from ..peer import rules as peer_rules
from ..peer.overview import local_midnight_utc
from ..roster import committee_gaps, committee_required, committee_sexes_by_class
from ..safeguarding.rules import OPEN_STATUSES, referral_overdue, review_overdue
from ..schoolyear import school_year_of
from ..village.duties import plan_for
from ..visits.coverage import class_rows, school_rows

REPORT_WEEKS = 4
# Age of an open concern since it arrived: under a day, under a week, older.
AGE_BUCKETS = (("age_day", timedelta(days=1)), ("age_week", timedelta(days=7)), ("age_older", None))


def current_classes(school_ids, day):
    """This school year's classes of the given schools, as (id, school id, grade, number) rows."""
    return list(
        SchoolClass.select(SchoolClass.id, SchoolClass.school, SchoolClass.grade, SchoolClass.number)
        .where(SchoolClass.school.in_(list(school_ids)) & (SchoolClass.school_year == school_year_of(day)))
        .order_by(SchoolClass.grade, SchoolClass.number).tuples()
    )


def visits_by_school(schools, day):
    """Per school: pupils of this year's classes (`pupils`), how many of them had a home visit this
    school year (`visited`), and key-group pupils not yet visited this term (`key_due`)."""
    return {
        row["school"].id: {"visited": row["coverage"].visited, "pupils": row["coverage"].total,
                           "key_due": row["key_due"]}
        for row in school_rows(schools, day)
    }


def visits_by_class(classes, day):
    """Per class: the same three figures as `visits_by_school`, from the class's children."""
    return {
        row["school_class"].id: {"visited": row["coverage"].visited, "pupils": row["coverage"].total,
                                 "key_due": row["key_due"]}
        for row in class_rows(classes, day)
    }


def committee_by_class(classes):
    """Per class from grade 4 (`classes` as from `current_classes`): `required` = 1, and
    `complete` = 1 when it has an active boy and girl committee member (roster.committee_gaps)."""
    sexes = committee_sexes_by_class([c[0] for c in classes])
    return {
        class_id: {"required": 1, "complete": int(not committee_gaps(grade, sexes.get(class_id, set())))}
        for class_id, _school, grade, _number in classes if committee_required(grade)
    }


def reports_by_class(classes, day, weeks=REPORT_WEEKS):
    """Per class from grade 4: of the last `weeks` finished weeks, how many reports were `due`
    and how many were `sent` (part 0 received), whether last week's is `missing_last`
    (peer.rules.report_missing) and whether this week's is `pending` (not in yet)."""
    this_week = peer_rules.week_start(day)
    mondays = [this_week - timedelta(weeks=n) for n in range(1, weeks + 1)]
    required = [c for c in classes if committee_required(c[2])]
    found = set(
        WeeklyReport.select(WeeklyReport.school_class, WeeklyReport.week_start)
        .where(WeeklyReport.school_class.in_([c[0] for c in required]) & (WeeklyReport.part == 0)
               & WeeklyReport.week_start.in_([this_week, *mondays])).tuples()
    )
    result = {}
    for class_id, _school, grade, _number in required:
        missing = [peer_rules.report_missing(grade, m, (class_id, m) in found, day) for m in mondays]
        result[class_id] = {
            "due": weeks, "sent": weeks - sum(missing), "missing_last": int(missing[0]),
            "pending": int((class_id, this_week) not in found),
        }
    return result


def _unit_of(group, child):
    """The unit (`group`: Child.school or Child.school_class) of a record's child (`child`: the
    record's foreign key), looked up by key for each record. The records counted this way (open
    concerns, cases) are few and the children many; a join lets a planner scan every child."""
    return Child.select(group).where(Child.id == child)


def _concern_unit(group):
    """A concern's unit: its own copy of its child's school (migration 0009), or its child's class."""
    return Concern.school_id if group is Child.school else _unit_of(group, Concern.child)


def _concerns_of_units(group, unit_ids):
    """A concern's unit (to group by) and the filter to the units asked for: by its own school,
    or as a concern about a child of the classes asked for."""
    unit = _concern_unit(group)
    if group is Child.school:
        return unit, _of_units(unit, unit_ids)
    return unit, _of_units(unit, unit_ids, Concern.child, group)


EVERY_ROW = SQL("1 = 1")


def _of_units(unit, unit_ids, child=None, group=None):
    """Records of the units asked for. A long IN list costs more to build and to plan than the
    rows it removes (and a filter on the unit can lead a planner to walk that column's index),
    so past IN_LIST_LIMIT units the query takes every row and `_wanted` keeps the units asked for.
    A record whose unit is its child's (`child`: its foreign key; `group`: Child.school or
    Child.school_class) is found as one of those units' children: testing the unit instead
    looked up the child of every open record in the county, one subquery a row."""
    unit_ids = list(unit_ids)
    if len(unit_ids) > IN_LIST_LIMIT:
        return EVERY_ROW
    if child is not None:
        return child.in_(Child.select(Child.id).where(Expression(group, OP.IN, unit_ids)))
    return Expression(unit, OP.IN, unit_ids)


def _wanted(rows, unit_ids):
    wanted = set(unit_ids)
    return [row for row in rows if row[0] in wanted]


def concerns_by_unit(group, unit_ids, now, day):
    """Per unit (`group` is Child.school or Child.school_class): open concerns (status new,
    acknowledged or monitoring) by urgency (`normal`, `soon`, `urgent`) and by age since they
    arrived (`age_day` < 1 day, `age_week` < 7 days, `age_older`), `open` in all; and
    `urgent_late`: urgent concerns that arrived this calendar month and were not acknowledged
    within ESCALATE_AFTER (acknowledged later, or still not acknowledged after it)."""
    unit_ids = list(unit_ids)
    after = current_app.config["ESCALATE_AFTER"]
    since = local_midnight_utc(day.replace(day=1))
    unit, of_units = _concerns_of_units(group, unit_ids)
    # The age bucket is worked out by the database: no timestamps to read back per concern.
    ages = [(Concern.received_at > now - limit, name) for name, limit in AGE_BUCKETS if limit is not None]
    age = SqlCase(None, ages, AGE_BUCKETS[-1][0])
    open_rows = (Concern.select(unit, Concern.urgency, age, fn.COUNT(Concern.id))
                 .where(of_units & Concern.status.in_(OPEN_STATUSES))
                 # By position, not by expression: psycopg 3 binds the age bucket's values
                 # as server-side parameters, and PostgreSQL does not know the CASE in GROUP BY
                 # ($5..$9) for the one in the select list ($1..$5).
                 .group_by(SQL("1"), SQL("2"), SQL("3")).tuples())
    result = {}
    for found, urgency, bucket, count in _wanted(open_rows, unit_ids):
        figures = result.setdefault(found, {})
        for name in (urgency, bucket, "open"):
            figures[name] = figures.get(name, 0) + count
    urgent = (
        Concern.select(unit, Concern.received_at, Concern.acknowledged_at)
        .where(of_units & (Concern.urgency == "urgent") & (Concern.received_at >= since))
        .tuples()
    )
    for found, received, acknowledged in _wanted(urgent, unit_ids):
        if (acknowledged or now) - received >= after:
            figures = result.setdefault(found, {})
            figures["urgent_late"] = figures.get("urgent_late", 0) + 1
    return result


def acknowledge_minutes(group, unit_ids, day):
    """Per unit: `ack_minutes`, the minutes from arrival to acknowledgement of each concern that
    arrived this calendar month (county time) and has been acknowledged. Its median is shown."""
    since = local_midnight_utc(day.replace(day=1))
    unit, of_units = _concerns_of_units(group, unit_ids)
    rows = (
        Concern.select(unit, Concern.received_at, Concern.acknowledged_at)
        .where(of_units & (Concern.received_at >= since) & Concern.acknowledged_at.is_null(False))
        .tuples()
    )
    result = {}
    for found, received, acknowledged in _wanted(rows, unit_ids):
        minutes = max(int((acknowledged - received).total_seconds() // 60), 0)
        result.setdefault(found, {"ack_minutes": []})["ack_minutes"].append(minutes)
    return result


def cases_by_unit(group, unit_ids, day):
    """Per unit: open cases by level (`general`, `attention`, `key`, `high`), `cases` in all,
    `review_overdue` (safeguarding.rules.review_overdue) and `referrals_waiting`: referrals of
    open cases with no outcome and no news for REFERRAL_FEEDBACK_DAYS (rules.referral_overdue)."""
    result = {}
    unit = _unit_of(group, Case.child)
    cases = (Case.select(unit, Case.level, Case.next_review_on)
             .where(_of_units(unit, unit_ids, Case.child, group) & (Case.status == "open")).tuples())
    for found, level, next_review in _wanted(cases, unit_ids):
        figures = result.setdefault(found, {})
        figures[level] = figures.get(level, 0) + 1
        figures["cases"] = figures.get("cases", 0) + 1
        figures["review_overdue"] = figures.get("review_overdue", 0) + int(review_overdue(next_review, day))
    days = current_app.config.get("REFERRAL_FEEDBACK_DAYS", 14)
    referrals = (
        Referral.select(unit, Referral.referred_on, Referral.last_feedback_on, Referral.outcome_on)
        .join(Case, on=(Referral.case == Case.id))
        .where(_of_units(unit, unit_ids, Case.child, group) & (Case.status == "open")
               & Referral.outcome_on.is_null()).tuples()
    )
    for found, referred, feedback, outcome in _wanted(referrals, unit_ids):
        if referral_overdue(referred, feedback, outcome, day, days):
            figures = result.setdefault(found, {})
            figures["referrals_waiting"] = figures.get("referrals_waiting", 0) + 1
    return result


def full_time_by_school(school_ids):
    """Per school: `full_time`, its active 专职 psychology teachers on the programme register; a
    school without one lacks what 《实施方案》四、5 asks for (`without_full_time` = 1). Staff
    records, not accounts: a 兼职 teacher's counsellor account does not close the gap."""
    found = Counter(school for (school,) in ProgrammeStaff.select(ProgrammeStaff.school).where(
        (ProgrammeStaff.post == "full_time") & ProgrammeStaff.active
        & _of_units(ProgrammeStaff.school, school_ids)).tuples())
    return {s: {"full_time": found.get(s, 0), "without_full_time": int(not found.get(s))} for s in school_ids}


def duties_by_village(village_ids, day):
    """Per village (童伴之家): of the duties its child workers owe this period under the county's
    rules (village.duties.plan_for), how many are `duties_done` out of `duties`, and `overdue`."""
    plan = plan_for(Village.select().where(Village.id.in_(list(village_ids))).order_by(Village.name), day)
    return village_duty_figures(plan)


def village_duty_figures(plan):
    """duties_by_village's figures, from a plan already worked out (village.duties.plan_for)."""
    result = {v: {"duties": 0, "duties_done": 0, "overdue": 0} for v in plan.villages}
    for duty in plan.duties:
        village = plan.children[duty.target].village_id if duty.rule.per == "child" else duty.target
        figures = result[village]
        figures["duties"] += 1
        figures["duties_done"] += duty.state == "done"
        figures["overdue"] += duty.state == "overdue"
    return result


def _count_if(condition):
    return fn.SUM(SqlCase(None, [(condition, 1)], 0))


# The key groups counted per unit (children.groups), as figures "kg_<group>". Every dashboard
# role sees the counts it may (access.key_groups_seen decides the columns shown and exported).
COUNTED_GROUPS = ("mental_health", "problem_family", "left_behind", "psychiatric_history")


def _group_counts(unit):
    return [unit, *(_count_if(groups.condition(group)) for group in COUNTED_GROUPS)]


def _group_figures(rows):
    return {found: {f"kg_{group}": int(count or 0) for group, count in zip(COUNTED_GROUPS, counts, strict=True)}
            for found, *counts in rows}


def key_groups_by_class(class_ids):
    """Per class: its pupils in each key group of COUNTED_GROUPS (`kg_<group>`), one grouped query."""
    return _group_figures(Child.select(*_group_counts(Child.school_class))
                          .where(Child.school_class.in_(list(class_ids))).group_by(Child.school_class).tuples())


def key_groups_by_school(school_ids, day):
    """Per school: the pupils of this year's classes in each key group (as `key_groups_by_class`)."""
    return _group_figures(
        Child.select(*_group_counts(SchoolClass.school))
        .join(SchoolClass, on=(Child.school_class == SchoolClass.id))
        .where((SchoolClass.school_year == school_year_of(day)) & SchoolClass.school.in_(list(school_ids)))
        .group_by(SchoolClass.school).tuples())


def school_day_figures(school_ids, day):
    """Per school, the figures that change only with its records or the day, not the hour (the
    ones kept as tallies): `visits_by_school`, `committee_by_class` and `reports_by_class`
    summed over this year's classes, and `key_groups_by_school`. (Migration 0007's triggers, and
    0021's for psychiatric histories, forget a school's tally when a record these count changes.)"""
    school_ids = list(school_ids)
    classes = current_classes(school_ids, day)
    by_class = merge(committee_by_class(classes), reports_by_class(classes, day))
    schools = School.select(School.id).where(School.id.in_(school_ids))
    return merge(visits_by_school(schools, day), roll_up(by_class, {c[0]: c[1] for c in classes}),
                 key_groups_by_school(school_ids, day))


def roll_up(by_unit, parent_of):
    """Figures of units summed into their parents ({child unit: parent}); lists are joined.
    Units with no parent (e.g. children not at school) go under None."""
    result = {}
    for unit, figures in by_unit.items():
        target = result.setdefault(parent_of.get(unit), {})
        for name, value in figures.items():
            target[name] = target.get(name, [] if isinstance(value, list) else 0) + value
    return result


def merge(*dicts):
    """One {unit: figures} from several metrics' results."""
    result = {}
    for by_unit in dicts:
        for unit, figures in by_unit.items():
            result.setdefault(unit, {}).update(figures)
    return result


def median(values):
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percent(part, whole):
    return round(100 * part / whole) if whole else None

