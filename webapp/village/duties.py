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
from ..models import Activity, Attendance, CheckIn, Child, DutyRule, LeftBehindFile, Village
from . import rules


def active_rules():
    """The county's rules; the defaults until the county first edits them (one query)."""
    rows = list(DutyRule.select().order_by(DutyRule.id))
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


def register(village_ids):
    """The left-behind children of the villages, with their file's status (one query)."""
    rows = (
        Child.select(Child.id, Child.name, Child.village, Child.school, Child.created_at,
                     LeftBehindFile.id, LeftBehindFile.confirmed_on, LeftBehindFile.school_text,
                     LeftBehindFile.received_at)
        .join(LeftBehindFile, JOIN.LEFT_OUTER, on=(LeftBehindFile.child == Child.id))
        .where(Child.left_behind & Child.village.in_(village_ids))
        .order_by(Child.village, Child.name_pinyin, Child.id)
        .tuples()
    )
    return list(map(Registered._make, rows))


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


def _event_counts(group, village_ids, child_ids, day):
    """{(rule, target id): (events now, events before)} for rules counting the same source, in
    one grouped query: a conditional count per rule and period."""
    rule = group[0]
    events, target, day_field = _source("activity" if rule.kind == "activity" else "check_in", rule.per,
                                        village_ids, child_ids)
    windows = [(rule, rules.period_of(rule.frequency, day), rules.previous_period(rule.frequency, day))
               for rule in group]
    columns = []
    for rule, now, before in windows:
        counted = _counted(rule)
        for start, end in (now, before):
            within = day_field.between(start, end)
            columns.append(_count_if(within if counted is None else within & counted))
    first = min(before[0] for _rule, _now, before in windows)
    last = max(now[1] for _rule, now, _before in windows)
    rows = events.select(target, *columns).where(day_field.between(first, last)).group_by(target).tuples()
    counts = {}
    for target_id, *found in rows:
        for n, (rule, _now, _before) in enumerate(windows):
            counts[(rule, target_id)] = (found[2 * n], found[2 * n + 1])
    return counts


def counts_for(active, village_ids, child_ids, children, day):
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
        for (rule, target), found in _event_counts(group, village_ids, child_ids, day).items():
            counts[(rule.kind, rule.per, rule.frequency, target)] = found
    return counts


def plan_for(village_query, day):
    """The duties of the villages selected by `village_query` on `day`."""
    villages = {v.id: v for v in village_query.order_by(Village.name)}
    village_ids = list(villages)
    children = register(village_ids)
    child_ids = Child.select(Child.id).where(Child.left_behind & Child.village.in_(village_ids))
    active = active_rules()
    counts = counts_for(active, village_ids, child_ids, children, day)
    found = rules.duties(active, _targets(children), [rules.Target(v) for v in village_ids], counts, day)
    return Plan(active, {c.id: c for c in children}, villages, found)


def by_target(plan):
    """{("child"|"village", id): [duties]} for the lists of the duty page."""
    grouped = defaultdict(list)
    for duty in plan.duties:
        grouped[(duty.rule.per, duty.target)].append(duty)
    return grouped
