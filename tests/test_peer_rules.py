"""The committee's rules as plain functions: weeks, what becomes a concern, what a pupil sees."""
from datetime import date

import pytest

from webapp.peer import rules

WEDNESDAY = date(2026, 11, 18)
MONDAY = date(2026, 11, 16)


def test_weeks_run_monday_to_sunday():
    assert rules.week_start(WEDNESDAY) == MONDAY
    assert rules.week_start(date(2026, 11, 22)) == MONDAY  # Sunday still belongs to it
    assert rules.week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert rules.week_end(MONDAY) == date(2026, 11, 22)
    assert rules.previous_week(MONDAY) == date(2026, 11, 9)


@pytest.mark.parametrize("monday,problem", [
    (MONDAY, None), (date(2026, 11, 9), None), (date(2026, 11, 23), "future"), (date(2026, 11, 2), "too_old"),
])
def test_a_pupil_reports_on_this_week_or_last_week(monday, problem):
    assert rules.week_problem(monday, WEDNESDAY) == problem


@pytest.mark.parametrize("grade,has_report,today,missing", [
    (4, False, date(2026, 11, 22), False),  # Sunday: still time
    (4, False, date(2026, 11, 23), True),  # Monday: Sunday night has passed
    (4, True, date(2026, 11, 23), False),
    (3, False, date(2026, 11, 23), False),  # below grade 4: no committee, nothing missing
])
def test_a_report_is_missing_after_sunday_night(grade, has_report, today, missing):
    assert rules.report_missing(grade, MONDAY, has_report, today) is missing


def test_soon_and_urgent_mentions_become_concerns_at_once():
    assert [u for u in ("normal", "soon", "urgent") if rules.raises_concern(u)] == ["soon", "urgent"]


def test_a_classmate_named_in_two_consecutive_weeks_is_repeated():
    assert rules.repeated({1, 2, 3}, [3, 4]) == {3}
    assert rules.repeated(set(), [3]) == set()


def test_the_first_part_is_the_report_and_later_ones_are_supplements():
    assert rules.next_part([]) == 0
    assert rules.next_part([0]) == 1
    assert rules.next_part([0, 1, 2]) == 3


def test_what_the_pupil_sees_of_a_report():
    assert rules.report_status(None, None) == "received"
    assert rules.report_status(WEDNESDAY, None) == "seen"
    assert rules.report_status(WEDNESDAY, WEDNESDAY) == "handled"
    assert rules.report_status(None, WEDNESDAY) == "handled"


@pytest.mark.parametrize("status,acknowledged,seen,shown", [
    ("new", False, False, "received"), ("new", False, True, "seen"), ("acknowledged", True, False, "seen"),
    ("monitoring", True, True, "handled"), ("closed", True, False, "handled"), ("case", True, False, "handled"),
])
def test_what_the_pupil_sees_of_a_concern(status, acknowledged, seen, shown):
    assert rules.concern_status(status, acknowledged, seen) == shown


def test_what_the_pupil_sees_of_a_support_entry():
    assert rules.support_status(None) == "received" and rules.support_status(WEDNESDAY) == "seen"
