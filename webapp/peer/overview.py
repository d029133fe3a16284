"""What the committee's records add up to: the week's state of a class, missing reports, a
pupil's own submissions with their status. Each in a fixed number of queries."""
from datetime import UTC, datetime, time
from functools import lru_cache

from babel.dates import format_skeleton
from flask_babel import get_locale
from peewee import JOIN, fn

from ..access import ScopeUser, classmates, peer_class_ids, scope_values, visible_peer_support, visible_weekly_reports
from ..clock import LOCAL_TZ, today
from ..models import Child, Concern, Notification, PeerSupport, SchoolClass, User, WeeklyReport
from ..prepared import prepared
from ..roster import COMMITTEE_FROM_GRADE
from ..schoolyear import school_year_of, term_of
from . import rules


def local_midnight_utc(day):
    """The start of a county day as stored (naive UTC)."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


@prepared
def _reporting_classes(slots):
    return (
        # Of a report, what the lists show (and its author's name only).
        SchoolClass.select(SchoolClass, WeeklyReport.id, WeeklyReport.school_class, WeeklyReport.week_start,
                           WeeklyReport.author, WeeklyReport.nil, WeeklyReport.received_at,
                           WeeklyReport.confirmed_at, User.id, User.display_name)
        .join(WeeklyReport, JOIN.LEFT_OUTER, on=(
            (WeeklyReport.school_class == SchoolClass.id) & WeeklyReport.week_start.in_(slots.mondays)
            & (WeeklyReport.part == 0)))
        .join(User, JOIN.LEFT_OUTER, on=(WeeklyReport.author == User.id))
        .where(
            SchoolClass.id.in_(peer_class_ids(ScopeUser(slots))) & (SchoolClass.school_year == slots.year)
            & (SchoolClass.grade >= COMMITTEE_FROM_GRADE)
        ).order_by(SchoolClass.grade, SchoolClass.number)
    )


def reporting_classes(user, mondays):
    """This school year's classes from grade 4 whose reports `user` reads, by grade and number,
    with their reports (part 0) of the weeks starting on `mondays` as reports_by_class has them:
    (classes, {(class id, monday): report}), in one query."""
    fixed, values = scope_values(user)
    rows = _reporting_classes.rows(fixed, mondays=list(mondays), year=school_year_of(today()), **values)
    classes, found = {}, {}
    for row in rows:  # a class comes once per report found, or once alone
        classes.setdefault(row.id, row)
        if row.weeklyreport is not None:
            found[(row.id, row.weeklyreport.week_start)] = row.weeklyreport
    return list(classes.values()), found


def reports_by_class(class_ids, mondays):
    """{(class id, monday): the week's report (part 0) with its author}, in one query."""
    rows = (
        WeeklyReport.select(WeeklyReport, User.id, User.display_name)  # the author's name, not her account
        .join(User, JOIN.LEFT_OUTER, on=(WeeklyReport.author == User.id))
        .where(WeeklyReport.school_class.in_(list(class_ids)) & WeeklyReport.week_start.in_(list(mondays))
               & (WeeklyReport.part == 0))
    )
    return {(row.school_class_id, row.week_start): row for row in rows}


def week_rows(classes, monday, day, found):
    """Per class: its report for the week starting `monday`, and whether it counts as missing.
    `found`: the reports read with the classes (reporting_classes, this week among them)."""
    return [
        {"school_class": c, "report": found.get((c.id, monday)),
         "missing": rules.report_missing(c.grade, monday, (c.id, monday) in found, day)}
        for c in classes
    ]


def missing_classes(classes, monday, day, found):
    """Classes with no report for the week by Sunday night (for home pages and dashboards)."""
    return [row["school_class"] for row in week_rows(classes, monday, day, found) if row["missing"]]


@prepared
def _unconfirmed_parts(slots):
    return (
        visible_weekly_reports(ScopeUser(slots))
        .select(WeeklyReport.id, WeeklyReport.school_class, WeeklyReport.week_start, WeeklyReport.part,
                WeeklyReport.nil, SchoolClass.id, SchoolClass.grade, SchoolClass.number)  # what the list shows
        .join(SchoolClass, on=(WeeklyReport.school_class == SchoolClass.id))
        .where(WeeklyReport.confirmed_at.is_null())
        .order_by(WeeklyReport.week_start.desc(), SchoolClass.grade, SchoolClass.number, WeeklyReport.part)
        .limit(slots.limit)
    )


def unconfirmed_weeks(user, limit=20):
    """Weeks of the head teacher's classes with parts still waiting for her 确认: one row per
    class and week (its first waiting part, and how many wait), since 确认 covers the week."""
    fixed, values = scope_values(user)
    weeks = {}
    for part in _unconfirmed_parts.rows(fixed, limit=limit, **values):
        row = weeks.setdefault((part.school_class_id, part.week_start), {"part": part, "waiting": 0})
        row["waiting"] += 1
    return list(weeks.values())


@prepared
def _support_unseen(slots):
    return (visible_peer_support(ScopeUser(slots)).select(fn.COUNT(PeerSupport.id))
            .where(PeerSupport.tell_teacher & PeerSupport.seen_at.is_null()).tuples())


def support_waiting(user):
    """Peer-support entries a teacher should know about that no teacher has opened yet."""
    fixed, values = scope_values(user)
    return _support_unseen.scalar(fixed, **values)


def committee_home(user):
    """The pupil's home: is this week's report in (and who sent it), is last week's missing?"""
    class_id = user.child.school_class_id if user.child_id else None
    if class_id is None:
        return {"school_class": None}
    this_week = rules.week_start(today())
    last_week = rules.previous_week(this_week)
    found = reports_by_class([class_id], [this_week, last_week])
    return {
        "school_class": user.child.school_class,
        "this_week": found.get((class_id, this_week)),
        "last_week_missing": (class_id, last_week) not in found,
    }


def teacher_home(user):
    """Head teachers: each class's week and what waits for 确认; counsellors and principals:
    the classes whose report for last week never came."""
    day = today()
    this_week = rules.week_start(day)
    last_week = rules.previous_week(this_week)
    weeks = [last_week, this_week] if user.role == "head_teacher" else [last_week]
    classes, found = reporting_classes(user, weeks)  # the classes and both weeks in one query
    context = {"peer_last_missing": missing_classes(classes, last_week, day, found), "peer_classes": len(classes)}
    if user.role == "head_teacher":
        # The home page shows the committee's card only for classes that report (grade 4 up):
        # without one, what waits for 确认 or for a teacher is not read for it.
        context.update(
            peer_week=week_rows(classes, this_week, day, found),
            peer_unconfirmed=unconfirmed_weeks(user) if classes else [],
            peer_support_waiting=support_waiting(user) if classes else 0,
        )
    return context


def term_start_utc(day):
    return local_midnight_utc(term_of(day).starts)


def pupil_submissions(user):
    """Everything the pupil sent this term, newest first, as (kind, when, status) — never what
    teachers wrote, never anybody else's entries."""
    since = term_start_utc(today())
    items = []
    for report in WeeklyReport.select().where((WeeklyReport.author == user.id) & (WeeklyReport.received_at >= since)):
        kind = "supplement" if report.part else "weekly"
        items.append({"kind": kind, "when": report.received_at, "week": report.week_start, "nil": report.nil,
                      "status": rules.report_status(report.seen_at, report.confirmed_at)})
    for entry in PeerSupport.select().where((PeerSupport.author == user.id) & (PeerSupport.received_at >= since)):
        items.append({"kind": "support", "when": entry.received_at, "status": rules.support_status(entry.seen_at)})
    concerns = list(Concern.select(Concern.id, Concern.status, Concern.acknowledged_at, Concern.received_at).where(
        (Concern.reporter == user.id) & (Concern.source == "peer_concern") & (Concern.received_at >= since)))
    seen = {
        row.concern_id for row in Notification.select(Notification.concern).where(
            Notification.concern.in_([c.id for c in concerns]) & Notification.seen_at.is_null(False)
        )
    } if concerns else set()
    for concern in concerns:
        status = rules.concern_status(concern.status, concern.acknowledged_at is not None, concern.id in seen)
        items.append({"kind": "concern", "when": concern.received_at, "status": status})
    items.sort(key=lambda item: item["when"], reverse=True)
    return items


def classmate_list(user):
    return list(classmates(user).order_by(Child.name_pinyin, Child.id))


def week_label(monday):
    """"11月16日–11月22日": a week as the county writes it (template global)."""
    return _week_label(monday, str(get_locale()))


@lru_cache(maxsize=1024)
def _week_label(monday, locale):
    # Babel matches the skeleton to a pattern on every call (≈0.1 ms); a list of weeks repeats
    # the same few, so each week is written once per language.
    first, last = (format_skeleton("MMMd", day, locale=locale) for day in (monday, rules.week_end(monday)))
    return f"{first}–{last}"
