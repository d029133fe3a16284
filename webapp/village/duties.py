"""The duty plan of a set of villages on a day, from the database in a fixed number of queries.

Counting is done by the database (grouped counts per child or village and period); the rules
module decides what is due. Each source of events (check-ins or activities, per child or per
village) costs one grouped query, whatever the number of rules or children.
"""
from collections import defaultdict
from datetime import date, datetime
from typing import NamedTuple

from peewee import JOIN, fn
from peewee import Case as SqlCase

from ..clock import to_local
from ..models import Activity, Attendance, CheckIn, Child, DutyRule, LeftBehindFile
from ..prepared import prepared
from . import rules


@prepared
def _rules(slots):
    return DutyRule.select().order_by(DutyRule.id)


def active_rules():
    """The county's rules; the defaults until the county first edits them (one query)."""
    rows = _rules.rows()
    if not rows:
        return list(rules.DEFAULT_RULES)
    return [rules.Rule(r.kind, r.per, r.frequency, r.count, r.id) for r in rows if r.active]


class Plan(NamedTuple):
    rules: list
    children: dict  # id -> Registered
    villages: dict  # id -> Village
    duties: list


class Registered(NamedTuple):
    """A left-behind child on a register, with what the plan needs of her file."""

    id: int
    name: str
    village_id: int
    school_id: int | None
    created_at: datetime | None
    file_id: int | None
    confirmed_on: date | None
    school_text: str | None
    filed_at: datetime | None


@prepared
def _register(slots):
    return (
        Child.select(Child.id, Child.name, Child.village, Child.school, Child.created_at,
                     LeftBehindFile.id, LeftBehindFile.confirmed_on, LeftBehindFile.school_text,
                     LeftBehindFile.received_at)
        .join(LeftBehindFile, JOIN.LEFT_OUTER, on=(LeftBehindFile.child == Child.id))
        .where(Child.left_behind & Child.village.in_(slots.village_ids))
        .order_by(Child.village, Child.name_pinyin, Child.id)
        .tuples()
    )


def register(village_ids):
    """The left-behind children of the villages, with their file's status (one query)."""
    return list(map(Registered._make, _register.rows(village_ids=list(village_ids))))


def _since(child):
    when = child.filed_at or child.created_at
    return to_local(when).date() if when else None


def _targets(children):
    return [rules.Target(c.id, _since(c), bool(c.school_id or c.school_text)) for c in children]


def _source(kind, per, village_ids, child_ids):
    """(events, target, day field): what a rule of `kind` counts, per child or per village."""
    if kind == "activity":
        if per == "child":
            events = (Attendance.select().join(Activity)
                      .where(Attendance.child.in_(child_ids) & Activity.village.in_(village_ids)))
            return events, Attendance.child, Activity.day
        return Activity.select().where(Activity.village.in_(village_ids)), Activity.village, Activity.day
    if per == "child":
        return CheckIn.select().where(CheckIn.child.in_(child_ids)), CheckIn.child, CheckIn.day
    return CheckIn.select().where(CheckIn.village.in_(village_ids)), CheckIn.village, CheckIn.day


# duty kind -> the check-in kind that counts for it; a check-in that reached the parents also
# counts as the parent contact (rules.counted_kinds says the same of one check-in).
CHECKIN_KIND_FOR = {"home_visit": "home_visit", "parent_contact": "parent_video", "school_contact": "school"}


def _counted(rule):
    """Which of its source's events count for `rule` (None: all of them)."""
    if rule.kind == "activity":
        return None
    condition = CheckIn.kind == CHECKIN_KIND_FOR[rule.kind]
    if rule.kind == "parent_contact":
        condition |= CheckIn.parents_contacted
    return condition


def _count_if(condition):
    return fn.COUNT(SqlCase(None, [(condition, 1)]))  # COUNT skips the NULL of the others


@prepared
def _grouped_events(slots):
    """Per target, two counts per rule of `slots.group` (now, before), from `slots.bounds`: each
    rule's four period ends in turn, then the first and last day of them all."""
    rule = slots.group[0]
    child_ids = Child.select(Child.id).where(Child.left_behind & Child.village.in_(slots.village_ids))
    events, target, day_field = _source("activity" if rule.kind == "activity" else "check_in", rule.per,
                                        slots.village_ids, child_ids)
    columns = []
    for n, rule in enumerate(slots.group):
        counted = _counted(rule)
        for start, end in ((slots.bounds[4 * n], slots.bounds[4 * n + 1]),
                           (slots.bounds[4 * n + 2], slots.bounds[4 * n + 3])):
            within = day_field.between(start, end)
            columns.append(_count_if(within if counted is None else within & counted))
    first, last = slots.bounds[4 * len(slots.group)], slots.bounds[4 * len(slots.group) + 1]
    return events.select(target, *columns).where(day_field.between(first, last)).group_by(target).tuples()


def _event_counts(group, village_ids, day):
    """{(rule, target id): (events now, events before)} for rules counting the same source, in
    one grouped query: a conditional count per rule and period."""
    windows = [(rules.period_of(rule.frequency, day), rules.previous_period(rule.frequency, day)) for rule in group]
    bounds = [end for now, before in windows for end in (*now, *before)]
    bounds += [min(before[0] for _now, before in windows), max(now[1] for now, _before in windows)]
    counts = {}
    for target_id, *found in _grouped_events.rows({"group": tuple(group)}, village_ids=village_ids, bounds=bounds):
        for n, rule in enumerate(group):
            counts[(rule, target_id)] = (found[2 * n], found[2 * n + 1])
    return counts


def counts_for(active, village_ids, children, day):
    """What rules.duties needs: {(kind, per, frequency, target): (now, before)}. One query per
    source of events (check-ins or activities, per child or per village), whatever the rules."""
    counts = {}
    groups = defaultdict(list)
    for rule in active:
        if rule.kind == "file":
            for child in children:
                counts[(rule.kind, rule.per, rule.frequency, child.id)] = (1 if child.confirmed_on else 0, 0)
            continue
        groups[(rule.kind == "activity", rule.per)].append(rule)
    for group in groups.values():
        for (rule, target), found in _event_counts(group, village_ids, day).items():
            counts[(rule.kind, rule.per, rule.frequency, target)] = found
    return counts


def plan_for(villages, day):
    """The duties of `villages` (a query or a list, in the order to show) on `day`."""
    villages = {v.id: v for v in villages}
    village_ids = list(villages)
    children = register(village_ids)
    active = active_rules()
    counts = counts_for(active, village_ids, children, day)
    found = rules.duties(active, _targets(children), [rules.Target(v) for v in village_ids], counts, day)
    return Plan(active, {c.id: c for c in children}, villages, found)


def by_target(plan):
    """{("child"|"village", id): [duties]} for the lists of the duty page."""
    grouped = defaultdict(list)
    for duty in plan.duties:
        grouped[(duty.rule.per, duty.target)].append(duty)
    return grouped
