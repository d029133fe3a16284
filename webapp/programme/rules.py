"""The plan's numbers and how a school's records meet them: pure functions, no database.

Each requirement is checked for the period it names: a term, the school year, or the May
publicity month of the school year (四、17). A cell is
- met: the records reach the number;
- open: not yet, and the period's end is more than DUE_SOON_DAYS away;
- due_soon: not yet, and the period ends within DUE_SOON_DAYS, or it is behind its pace (fewer
  records than one per pace_days elapsed: 四、9's "at least one lesson every two weeks");
- missed: the period is over without it, or the requirement has no period and is not met
  (no 专职 teacher, no standard room, no plan on file, a 兼职 untrained for 36 months).
"""
from datetime import date, timedelta
from typing import NamedTuple

from ..schoolyear import SPRING_STARTS, YEAR_STARTS, school_year_of, term_of

DUE_SOON_DAYS = 30
TRAINING_MONTHS = 36  # 四、6: 兼职 teachers trained at least once every three years
TRAINING_DUE_SOON_DAYS = 60
LESSON_PACE_DAYS = 14  # 四、9: at least one 心理健康课 every two weeks
PACE_DAYS = (7, 60)  # the paces the county may set: from weekly to every two months
STATES = ("met", "open", "due_soon", "missed")
PERIODS = ("term", "year", "may")  # models.PERIODS
# How bad a state is, for sorting the county's matrix (worst first).
SEVERITY = {"missed": 3, "due_soon": 2, "open": 1, "met": 0}


class Default(NamedTuple):
    key: str
    check: str
    kind: str
    per: str
    period: str
    count: int
    section: str
    pace_days: int | None = None  # at least one record every pace_days days (None: no pace)


# 《实施方案》's own numbers (issue 19's table), until the county edits them.
DEFAULTS = (
    Default("room", "room", "", "school", "", 1, "四、3"),
    Default("full_time", "full_time", "", "school", "", 1, "四、5"),
    Default("part_time_trained", "part_time_trained", "", "school", "", TRAINING_MONTHS, "四、6"),
    Default("school_training", "activity", "school_training", "school", "term", 1, "四、6"),
    Default("open_lesson", "activity", "open_lesson", "school", "term", 1, "四、7"),
    Default("contest_lesson", "activity", "contest_lesson", "school", "year", 1, "四、7"),
    Default("expert_lecture", "activity", "expert_lecture", "school", "year", 1, "四、4"),
    Default("lesson", "activity", "lesson", "class", "term", 9, "四、9", LESSON_PACE_DAYS),
    Default("team_lesson", "activity", "team_lesson", "school", "term", 1, "四、9"),
    Default("law", "activity", "law", "school", "term", 1, "四、10"),
    Default("plan", "plan", "", "school", "year", 1, "四、12"),
    Default("parent_school", "activity", "parent_school", "school", "term", 1, "四、15"),
    Default("may_month", "activity", "may_month", "school", "may", 1, "四、17"),
)


def term_bounds(day):
    """(first, last) day of the term `day` falls in."""
    term = term_of(day)
    if term.season == "autumn":
        return term.starts, date(term.school_year + 1, *SPRING_STARTS) - timedelta(days=1)
    return term.starts, date(term.school_year + 1, *YEAR_STARTS) - timedelta(days=1)


def year_bounds(day):
    year = school_year_of(day)
    return date(year, *YEAR_STARTS), date(year + 1, *YEAR_STARTS) - timedelta(days=1)


def may_bounds(day):
    """The May of the school year `day` falls in (the publicity month, 四、17)."""
    year = school_year_of(day) + 1
    return date(year, 5, 1), date(year, 5, 31)


BOUNDS = {"term": term_bounds, "year": year_bounds, "may": may_bounds}


def period_bounds(period, day):
    return BOUNDS[period](day)


def previous_period_day(period, day):
    """A day of the period before the one `day` falls in."""
    first, _last = (term_bounds if period == "term" else year_bounds)(day)
    return first - timedelta(days=1)


def count_state(found, required, last_day, day):
    """The state of a counted requirement (activities in a period) on `day`."""
    if found >= required:
        return "met"
    if day > last_day:
        return "missed"
    if (last_day - day).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "open"


def pace_due(first_day, day, pace_days, required):
    """How many records a pace asks for by `day`: one per whole pace_days elapsed since the
    period's first day, never more than the period's count (0 without a pace)."""
    if not pace_days:
        return 0
    elapsed = (day - first_day).days
    return max(0, min(required, elapsed // pace_days))


def paced_state(found, required, first_day, last_day, day, pace_days):
    """count_state with the pace: (state, due). A unit with fewer records than the pace asks for
    by `day` is behind, due soon however far the period's end (met and missed stay what they
    are); `due` is what the pace asked for when behind, else 0."""
    state = count_state(found, required, last_day, day)
    if state in ("met", "missed"):
        return state, 0
    due = pace_due(first_day, day, pace_days, required)
    if found < due:
        return "due_soon", due
    return state, 0


def months_before(day, months):
    """The same day `months` earlier (the last day of the month when it has no such day)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def training_state(last_trainings, day, months=TRAINING_MONTHS):
    """Every 兼职 teacher trained within `months`: `last_trainings` holds each one's latest
    training day (None: never). Returns (state, covered, total)."""
    since = months_before(day, months)
    covered = [last for last in last_trainings if last is not None and last > since]
    total = len(last_trainings)
    if len(covered) < total:
        return "missed", len(covered), total
    soon = since + timedelta(days=TRAINING_DUE_SOON_DAYS)
    if any(last <= soon for last in covered):
        return "due_soon", len(covered), total
    return "met", len(covered), total


def full_time_state(full_time, required=1):
    """四、5: at least one 专职 teacher, counted from staff records (never from accounts)."""
    return "met" if full_time >= required else "missed"


ZONE_POSTS = (2, 3)  # 四、2: 2–3 counselling posts per zone, 县管片用


def zone_posts_state(posts, bounds=ZONE_POSTS):
    """四、2, checked by the county per zone: (state, why) for a zone's number of posts."""
    low, high = bounds
    if posts < low:
        return "missed", "too_few"
    if posts > high:
        return "missed", "too_many"
    return "met", ""


def room_state(built, standard, has_hours):
    """四、3: a standard room (every school by the end of 2024, long past) open at set hours."""
    return "met" if built and standard and has_hours else "missed"


def plan_state(approved_on, day):
    """四、12: the plan on file and approved or reviewed this school year."""
    if approved_on is None:
        return "missed"
    first, last = year_bounds(day)
    if approved_on >= first:
        return "met"
    return count_state(0, 1, last, day)
