"""What a child worker sees first: her duties by urgency; and what she did this month."""
from typing import NamedTuple

from peewee import JOIN, fn

from ..access import ScopeUser, duty_villages, scope_values
from ..models import Activity, Attendance, CheckIn, Village
from ..prepared import prepared
from . import rules
from .kept_plan import plan_of

BUCKETS = ("overdue", "this_week", "later", "done")


class Row(NamedTuple):
    """A child (or a village's 童伴之家) with her duties in one bucket."""

    per: str  # "child" or "village"
    target: object  # duties.Registered or Village
    duties: list
    only_file: bool  # nothing to do but the file: the row leads to the file, not to a check-in


def month_bounds(day):
    return rules.period_of("month", day)


def bucket_of(duty, day, until=None):
    if duty.state != "due":
        return duty.state
    return "this_week" if rules.due_this_week(duty, day, until) else "later"


def rows_by_bucket(plan, day, shown=BUCKETS):
    """({bucket: [Row]} of the `shown` buckets: children by name, then villages;
    {bucket: how many rows} of every bucket)."""
    until = rules.this_week_until(day)
    grouped = {bucket: {} for bucket in BUCKETS}
    for duty in plan.duties:
        grouped[bucket_of(duty, day, until)].setdefault((duty.rule.per, duty.target), []).append(duty)
    result = {}
    for bucket in shown:
        targets, rows = grouped[bucket], []
        for (per, target_id), found in targets.items():
            target = plan.children.get(target_id) if per == "child" else plan.villages.get(target_id)
            rows.append(Row(per, target, found, all(duty.rule.kind == "file" for duty in found)))
        rows.sort(key=lambda row: (row.per != "child", getattr(row.target, "name", "")))
        result[bucket] = rows
    return result, {bucket: len(targets) for bucket, targets in grouped.items()}


def month_work(worker, day):
    """Her own work in the month of `day`: check-ins by kind, activities, attendances, concerns
    (two grouped queries)."""
    start, end = month_bounds(day)
    mine = (CheckIn.worker == worker.id) & CheckIn.day.between(start, end)
    # COUNT of a column skips its NULLs: the check-ins that raised a concern.
    rows = CheckIn.select(CheckIn.kind, fn.COUNT(CheckIn.id), fn.COUNT(CheckIn.concern)).where(mine)
    kinds, concerns = {}, 0
    for kind, checkins, with_concern in rows.group_by(CheckIn.kind).tuples():
        kinds[kind] = checkins
        concerns += with_concern
    activity_rows = (
        Activity.select(Activity.id, fn.COUNT(Attendance.id))
        .join(Attendance, on=(Attendance.activity == Activity.id), join_type=JOIN.LEFT_OUTER)
        .where((Activity.worker == worker.id) & Activity.day.between(start, end))
        .group_by(Activity.id)
        .tuples()
    )
    return rules.work_totals(kinds, [count for _id, count in activity_rows], concerns)


@prepared
def _villages_of(slots):
    return duty_villages(ScopeUser(slots)).order_by(Village.name)


def worker_home(user, day, shown=BUCKETS):
    """The duty plan of her villages, the rows of the `shown` buckets, with the counts for the
    home card. (Her month's work is on her duty page: see month_work.)"""
    fixed, values = scope_values(user)
    plan = plan_of(_villages_of.rows(fixed, **values), day)  # kept with the villages' tallies
    # What she acts on is a child (or the village's 童伴之家): the counts are of those.
    rows, summary = rows_by_bucket(plan, day, shown)
    return {
        "plan": plan,
        "rows": rows,
        "summary": summary,
        "today": day,
    }
