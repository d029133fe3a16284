"""Rules of the class psychology committee as plain functions of plain values (tested without HTTP)."""
from datetime import timedelta

from ..roster import committee_required
from ..schoolyear import monday_of

# A named classmate at these urgencies becomes a concern at once (常规 stays in the report).
CONCERN_URGENCIES = ("soon", "urgent")
# A pupil may still send last week's report (e.g. on Monday morning), never an older one.
LATE_WEEKS = 1
# What a pupil sees of what she sent: 已收到 / 老师已查看 / 已处理.
RECEIVED, SEEN, HANDLED = "received", "seen", "handled"
HANDLED_CONCERN_STATUSES = ("monitoring", "closed", "case")


def week_start(day):
    """The Monday of the week `day` is in (weeks run Monday–Sunday)."""
    return monday_of(day)


def week_end(monday):
    return monday + timedelta(days=6)


def week_problem(monday, today):
    """Why a report for the week starting `monday` cannot be sent today, or None.

    "future": the week has not started; "too_old": older than last week.
    """
    this_week = week_start(today)
    if monday > this_week:
        return "future"
    if monday < this_week - timedelta(weeks=LATE_WEEKS):
        return "too_old"
    return None


def previous_week(monday):
    return monday - timedelta(weeks=1)


def report_missing(grade, monday, has_report, today):
    """A class that needs a committee (grade 4 up) and sent nothing by Sunday night."""
    return committee_required(grade) and not has_report and today > week_end(monday)


def raises_concern(urgency):
    return urgency in CONCERN_URGENCIES


def repeated(previous_week_child_ids, this_week_child_ids):
    """Classmates named in two consecutive weekly reports: a concern even when each mention was mild."""
    return set(previous_week_child_ids) & set(this_week_child_ids)


def next_part(existing_parts):
    """Part 0 is the week's report; anything sent after it is a supplement (1, 2, …)."""
    return max(existing_parts) + 1 if existing_parts else 0


def report_status(seen_at, confirmed_at):
    """A weekly report (or supplement): confirmed by the head teacher → 已处理; opened by a
    teacher → 老师已查看; otherwise 已收到."""
    if confirmed_at is not None:
        return HANDLED
    return SEEN if seen_at is not None else RECEIVED


def concern_status(status, acknowledged, seen_by_someone):
    """A concern about a classmate: triaged (monitoring, closed or a case) → 已处理;
    acknowledged by a counsellor or opened by anyone who was told → 老师已查看; else 已收到."""
    if status in HANDLED_CONCERN_STATUSES:
        return HANDLED
    return SEEN if acknowledged or seen_by_someone else RECEIVED


def support_status(seen_at):
    """A peer-support entry: opened by a teacher → 老师已查看; else 已收到 (there is nothing to handle)."""
    return SEEN if seen_at is not None else RECEIVED
