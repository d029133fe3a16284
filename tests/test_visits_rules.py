"""The rules of home visits, as plain functions: coverage, who is due, which period a visit counts for."""
from datetime import date

import pytest

from webapp.schoolyear import Term
from webapp.visits import rules

AUTUMN_2026 = Term(2026, "autumn")
SPRING_2027 = Term(2026, "spring")


def test_a_school_year_runs_from_september_to_august_and_its_terms_split_at_february():
    assert rules.year_bounds(2026) == (date(2026, 9, 1), date(2027, 8, 31))
    assert rules.term_bounds(AUTUMN_2026) == (date(2026, 9, 1), date(2027, 1, 31))
    assert rules.term_bounds(SPRING_2027) == (date(2027, 2, 1), date(2027, 8, 31))


@pytest.mark.parametrize("day,year,term", [
    (date(2026, 9, 1), 2026, AUTUMN_2026),
    (date(2027, 1, 31), 2026, AUTUMN_2026),
    (date(2027, 2, 1), 2026, SPRING_2027),
    (date(2027, 8, 31), 2026, SPRING_2027),
    (date(2026, 8, 31), 2025, Term(2025, "spring")),
])
def test_a_visit_counts_for_the_school_year_and_term_of_its_date(day, year, term):
    assert rules.counts_for_year(day, year)
    assert not rules.counts_for_year(day, year + 1)
    assert rules.counts_for_term(day, term)


def test_coverage_counts_each_child_of_the_class_once_and_only_this_years_visits():
    visits = [(1, date(2026, 9, 10)), (1, date(2026, 10, 1)), (2, date(2026, 6, 1)), (9, date(2026, 10, 2))]
    cover = rules.coverage([1, 2, 3], visits, 2026)
    assert cover == rules.Coverage(1, 3)  # child 2's visit was last year; child 9 is not in the class
    assert cover.percent == 33 and not cover.complete
    assert rules.Coverage(0, 0).percent == 0 and rules.Coverage(0, 0).complete


def test_a_child_who_changes_class_keeps_her_visits():
    # Visits belong to the child: the new class counts her as visited.
    visits = [(7, date(2026, 9, 20))]
    assert rules.coverage([5, 7], visits, 2026) == rules.Coverage(1, 2)
    assert rules.due_this_year([5, 7], visits, 2026) == [5]


def test_key_group_children_are_due_each_term_others_once_a_year():
    visits = [(1, date(2026, 10, 1)), (2, date(2026, 10, 1))]
    assert rules.due_this_term([1, 3], visits, date(2026, 12, 1)) == [3]
    assert rules.due_this_term([1, 3], visits, date(2027, 3, 1)) == [1, 3]  # spring: again
    assert not rules.still_due(2, False, visits, date(2027, 3, 1))  # not key: the year counts
    assert rules.still_due(1, True, visits, date(2027, 3, 1))
    assert rules.still_due(4, False, visits, date(2026, 12, 1))  # never visited


@pytest.mark.parametrize("flags,expected", [
    ((True, False, False, False), True), ((False, True, False, False), True),
    ((False, False, True, False), True), ((False, False, False, True), True),
    ((False, False, False, False), False),
])
def test_key_groups_are_left_behind_single_parent_in_difficulty_or_on_a_case(flags, expected):
    assert rules.in_key_group(*flags) is expected


@pytest.mark.parametrize("visited_on,problem", [
    (date(2026, 11, 18), None), (date(2026, 9, 1), None),
    (date(2026, 11, 19), "future"), (date(2026, 8, 31), "before_year"),
])
def test_a_visit_date_lies_between_the_start_of_the_school_year_and_today(visited_on, problem):
    assert rules.date_problem(visited_on, date(2026, 11, 18)) == problem


def test_only_the_author_corrects_and_only_on_the_day_it_arrived():
    day = date(2026, 11, 18)
    assert rules.correctable(5, 5, day, day)
    assert not rules.correctable(5, 6, day, day)
    assert not rules.correctable(5, 5, day, date(2026, 11, 19))
    assert not rules.correctable(None, None, day, day)  # the author's account is gone


def test_the_checklist_starts_from_the_last_visit_with_the_childs_current_flags():
    assert rules.starting_situation(["hardship"], True, False) == ["hardship", "left_behind"]
    # The left-behind flag was cleared since the last visit: the flag wins.
    assert rules.starting_situation(["left_behind", "early_trauma"], False, True) == ["early_trauma", "single_parent"]


def test_a_visit_records_the_situation_unless_a_later_one_already_did():
    update = rules.situation_update(["single_parent", "hardship"], date(2026, 11, 18), date(2026, 10, 1))
    assert update == {"family_situation": "single_parent,hardship", "family_situation_on": date(2026, 11, 18),
                      "left_behind": False, "single_parent": True, "problem_family": False}
    assert rules.situation_update(["hardship"], date(2026, 9, 1), date(2026, 10, 1)) is None
    assert rules.situation_update([], date(2026, 9, 1), None)["family_situation"] == ""
