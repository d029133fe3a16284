"""The school calendar: school years from 1 September, autumn and spring terms, Monday weeks."""
from datetime import date

import pytest

from webapp.schoolyear import monday_of, school_year_of, term_of


@pytest.mark.parametrize("day,year", [
    (date(2026, 9, 1), 2026), (date(2026, 8, 31), 2025), (date(2027, 1, 20), 2026), (date(2027, 6, 1), 2026),
])
def test_a_school_year_runs_from_1_september_to_31_august(day, year):
    assert school_year_of(day) == year


@pytest.mark.parametrize("day,season", [
    (date(2026, 9, 1), "autumn"), (date(2027, 1, 31), "autumn"), (date(2027, 2, 1), "spring"),
    (date(2027, 8, 31), "spring"),
])
def test_terms(day, season):
    term = term_of(day)
    assert term.season == season and term.school_year == school_year_of(day)
    assert term.starts <= day


def test_weeks_start_on_monday():
    assert monday_of(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday
    assert monday_of(date(2026, 11, 16)) == date(2026, 11, 16)
