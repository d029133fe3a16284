"""The duty plan of a set of villages on a day, from the database in a fixed number of queries.

Counting is done by the database (grouped counts per child or village and period); the rules
module decides what is due. Each active rule adds at most two grouped queries, whatever the
number of children.
"""
from collections import defaultdict
from typing import NamedTuple

from peewee import JOIN, fn

from ..clock import to_local
from ..models import Activity, Attendance, CheckIn, Child, DutyRule, LeftBehindFile, Village
from . import rules

CHECKIN_KINDS_FOR = {  # duty kind -> the check-in kinds that count for it (see rules.counted_kinds)
    "home_visit": ("home_visit",),
    "parent_contact": ("parent_video",),
    "school_contact": ("school",),
}


def active_rules():
    """The county's rules; the defaults until the county first edits them (one query)."""
    rows = list(DutyRule.select().order_by(DutyRule.id))
    if not rows:
        return list(rules.DEFAULT_RULES)
    return [rules.Rule(r.kind, r.per, r.frequency, r.count, r.id) for r in rows if r.active]


class Plan(NamedTuple):
    rules: list
    children: dict  # id -> Child (with .file_id, .confirmed_on, .school_text from the file)
    villages: dict  # id -> Village
    duties: list


def register(village_ids):
    """The left-behind children of the villages, with their file's status (one query)."""
    return list(
        Child.select(Child.id, Child.name, Child.sex, Child.village, Child.school, Child.created_at,
                     LeftBehindFile.id.alias("file_id"), LeftBehindFile.confirmed_on,
                     LeftBehindFile.school_text, LeftBehindFile.received_at.alias("filed_at"))
        .join(LeftBehindFile, JOIN.LEFT_OUTER, on=(LeftBehindFile.child == Child.id))
        .where(Child.left_behind & Child.village.in_(village_ids))
        .order_by(Child.village, Child.name_pinyin, Child.id)
        .objects()
    )


def _since(child):
    when = child.filed_at or child.created_at
    return to_local(when).date() if when else None


def _targets(children):
    return [rules.Target(c.id, _since(c), bool(c.school_id or c.school_text)) for c in children]


def _grouped(query, key, start, end, day_field):
    return dict(query.select(key, fn.COUNT(key)).where(day_field.between(start, end)).group_by(key).tuples())


def _event_counts(rule, village_ids, child_ids, window):
    """{target id: events} for one rule in one period."""
    start, end = window
    by_child = rule.per == "child"
    if rule.kind == "activity":
        if by_child:
            query = (Attendance.select().join(Activity)
                     .where(Attendance.child.in_(child_ids) & Activity.village.in_(village_ids)))
            return _grouped(query, Attendance.child, start, end, Activity.day)
        return _grouped(Activity.select().where(Activity.village.in_(village_ids)), Activity.village,
                        start, end, Activity.day)
    condition = CheckIn.kind.in_(CHECKIN_KINDS_FOR[rule.kind])
    if rule.kind == "parent_contact":
        condition |= CheckIn.parents_contacted
    if by_child:
        query = CheckIn.select().where(condition & CheckIn.child.in_(child_ids))
        return _grouped(query, CheckIn.child, start, end, CheckIn.day)
    query = CheckIn.select().where(condition & CheckIn.village.in_(village_ids))
    return _grouped(query, CheckIn.village, start, end, CheckIn.day)


def counts_for(active, village_ids, child_ids, children, day):
    """What rules.duties needs: {(kind, per, frequency, target): (now, before)}."""
    counts = {}
    for rule in active:
        key = (rule.kind, rule.per, rule.frequency)
        if rule.kind == "file":
            for child in children:
                counts[(*key, child.id)] = (1 if child.confirmed_on else 0, 0)
            continue
        now = _event_counts(rule, village_ids, child_ids, rules.period_of(rule.frequency, day))
        before = _event_counts(rule, village_ids, child_ids, rules.previous_period(rule.frequency, day))
        for target in set(now) | set(before):
            counts[(*key, target)] = (now.get(target, 0), before.get(target, 0))
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
