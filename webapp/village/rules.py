"""The child worker's duty plan (童伴妈妈工作要求, set by the county to carry out the duties of
《实施方案》四、13; the plan names "六个一" but does not list them) as plain functions of plain values.

A rule says what must happen how often, per child or per village. For each rule and each child
(or village) on a worker's register, a duty is *done* when the current period holds enough
events, *overdue* when the previous period was missed and nothing has happened since, and
otherwise *due* by the end of the current period.
"""
from collections import Counter
from datetime import date, timedelta
from typing import NamedTuple

from ..schoolyear import monday_of, term_of

# A new child's file should be complete (guardian's confirmation included) within this time.
FILE_GRACE = timedelta(days=14)
STATES = ("overdue", "due", "done")


class Rule(NamedTuple):
    kind: str  # file / home_visit / parent_contact / activity / school_contact
    per: str  # child / village
    frequency: str  # once / week / month / term
    count: int = 1
    id: int | None = None


DEFAULT_RULES = (
    Rule("file", "child", "once"),  # a complete file for every child
    Rule("home_visit", "child", "month"),  # one in-home visit per child per month
    Rule("parent_contact", "child", "month"),  # one call or video with the parents per child per month
    Rule("activity", "village", "week"),  # one 童伴之家 activity per week
    Rule("school_contact", "child", "term"),  # one contact with the child's school per term
)


class Target(NamedTuple):
    """A child or a village a rule applies to; `since` is when it came onto the register."""

    id: int
    since: date | None = None
    at_school: bool = True


class Duty(NamedTuple):
    rule: Rule
    target: int
    state: str
    done: int
    due_by: date | None


def period_of(frequency, day):
    """The (first, last) day of the week (Monday first), month or school term holding `day`."""
    if frequency == "week":
        start = monday_of(day)
        return start, start + timedelta(days=6)
    if frequency == "month":
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    if frequency == "term":
        term = term_of(day)
        if term.season == "autumn":
            return term.starts, term._replace(season="spring").starts - timedelta(days=1)
        return term.starts, date(term.school_year + 1, 8, 31)
    raise ValueError(f"no period for frequency {frequency!r}")


def previous_period(frequency, day):
    start, _end = period_of(frequency, day)
    return period_of(frequency, start - timedelta(days=1))


def counted_kinds(checkin_kind, parents_contacted):
    """The duty kinds one check-in counts for. A call or video with the parents counts as the
    parent contact whatever else the check-in was (a home visit where she video-called them)."""
    kinds = {"home_visit": {"home_visit"}, "parent_video": {"parent_contact"},
             "school": {"school_contact"}}.get(checkin_kind, set())
    if parents_contacted:
        kinds = kinds | {"parent_contact"}
    return frozenset(kinds)


def attendances(activities):
    """An activity counts once for each child who came: {child id: attendances}.
    `activities` is an iterable of the children's ids of each activity."""
    counts = Counter()
    for child_ids in activities:
        counts.update(set(child_ids))
    return counts


def applies(rule, target):
    """Contact with the school only concerns children who go to one."""
    return not (rule.kind == "school_contact" and rule.per == "child" and not target.at_school)


def duty_state(rule, done_now, done_before, since, day):
    """The state of one rule for one child or village on `day`.

    `done_now` and `done_before` count the events of the current and the previous period; for
    the file (frequency "once") `done_now` is 1 when the file is complete. The previous period
    only counts against a child who was on the register when it began.
    """
    return _state(rule, 0, done_now, done_before, since, day, *_periods(rule, day))


def _periods(rule, day):
    """(last day of the current period, first day of the previous one); none for "once"."""
    if rule.frequency == "once":
        return None, None
    return period_of(rule.frequency, day)[1], previous_period(rule.frequency, day)[0]


def _state(rule, target, done_now, done_before, since, day, end, previous_start):
    if rule.frequency == "once":
        if done_now >= rule.count:
            return Duty(rule, target, "done", done_now, None)
        due_by = (since or day) + FILE_GRACE
        return Duty(rule, target, "overdue" if day > due_by else "due", done_now, due_by)
    if done_now >= rule.count:
        return Duty(rule, target, "done", done_now, end)
    missed = (since is None or since <= previous_start) and done_before < rule.count
    return Duty(rule, target, "overdue" if missed else "due", done_now, end)


def duties(rules, children, villages, counts, day):
    """Every duty of a register on `day`.

    `counts` maps (rule kind, per, frequency, target id) to (events now, events before); a
    missing key means none.
    """
    found = []
    for rule in rules:
        targets = children if rule.per == "child" else villages
        periods = _periods(rule, day)  # the same for every target of the rule
        for target in targets:
            if not applies(rule, target):
                continue
            now, before = counts.get((rule.kind, rule.per, rule.frequency, target.id), (0, 0))
            found.append(_state(rule, target.id, now, before, target.since, day, *periods))
    return found


def this_week_until(day):
    """The last deadline that counts as due this week on `day`: Sunday of this week or seven
    days ahead, whichever is later (so that a month ending on a Monday is not hidden behind the
    weekend)."""
    _monday, sunday = period_of("week", day)
    return max(sunday, day + timedelta(days=7))


def due_this_week(duty, day, until=None):
    """Still to do, and its deadline falls by this_week_until(day) (`until`, when the caller has
    it already for a whole register)."""
    until = until or this_week_until(day)
    return duty.state == "due" and duty.due_by is not None and duty.due_by <= until


def completion(found):
    """{(kind, per, frequency): (done, total)} over a register: the supervisor's figures."""
    result = {}
    for duty in found:
        key = (duty.rule.kind, duty.rule.per, duty.rule.frequency)
        done, total = result.get(key, (0, 0))
        result[key] = (done + (duty.state == "done"), total + 1)
    return result


def work_totals(kinds, activity_sizes, concerns):
    """A month's work of one worker: check-ins by kind ({kind: count}), activities and their
    attendances (the number of children at each activity: each child counts once), concerns."""
    return {
        "home_visit": kinds.get("home_visit", 0), "phone": kinds.get("phone", 0),
        "parent_video": kinds.get("parent_video", 0), "school": kinds.get("school", 0),
        "checkins": sum(kinds.values()), "activities": len(activity_sizes),
        "attendances": sum(activity_sizes), "concerns": concerns,
    }


# --- checks of a registration, plain so they are tested without a form ---------------------
ADULT_AGE = 18  # the register holds minors only
MIN_GUARDIAN_AGE = 16  # an entrusted guardian must be able to care (未成年人保护法 art. 22)


def age_on(birth_date, day):
    """Whole years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_problem(birth_date, day):
    """"future", "adult" (18 or older on `day`) or None."""
    if birth_date > day:
        return "future"
    if age_on(birth_date, day) >= ADULT_AGE:
        return "adult"
    return None


def guardian_too_young(age):
    return age is not None and age < MIN_GUARDIAN_AGE
