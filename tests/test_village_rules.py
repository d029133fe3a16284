"""The child worker's rules as plain functions: duties due or overdue, attendances, ID cards, the same child."""
from datetime import date

import pytest

from webapp.village import idcard, rules
from webapp.village.matching import same_child
from webapp.village.rules import DEFAULT_RULES, Rule, Target

WEDNESDAY = date(2026, 11, 18)
VISIT = Rule("home_visit", "child", "month")
ACTIVITY = Rule("activity", "village", "week")


def valid_id(region="511725", born="20180307", serial="002"):
    first17 = region + born + serial
    return first17 + idcard.check_digit(first17)


@pytest.mark.parametrize("frequency,start,end", [
    ("week", date(2026, 11, 16), date(2026, 11, 22)),  # weeks start on Monday
    ("month", date(2026, 11, 1), date(2026, 11, 30)),
    ("term", date(2026, 9, 1), date(2027, 1, 31)),  # autumn term
])
def test_periods_of_a_wednesday_in_november(frequency, start, end):
    assert rules.period_of(frequency, WEDNESDAY) == (start, end)


def test_the_spring_term_runs_from_february_to_august_and_follows_the_autumn_term():
    assert rules.period_of("term", date(2027, 3, 1)) == (date(2027, 2, 1), date(2027, 8, 31))
    assert rules.previous_period("term", date(2027, 3, 1)) == (date(2026, 9, 1), date(2027, 1, 31))
    assert rules.previous_period("month", date(2026, 1, 10)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_a_visit_this_month_is_done():
    assert rules.duty_state(VISIT, 1, 0, date(2026, 1, 1), WEDNESDAY).state == "done"


def test_no_visit_yet_this_month_is_due_by_the_end_of_the_month():
    duty = rules.duty_state(VISIT, 0, 1, date(2026, 1, 1), WEDNESDAY)
    assert (duty.state, duty.due_by) == ("due", date(2026, 11, 30))
    assert not rules.due_this_week(duty, WEDNESDAY)
    assert rules.due_this_week(duty, date(2026, 11, 28))  # a Saturday: the month ends on Monday
    assert rules.due_this_week(duty, date(2026, 11, 30))


def test_missing_last_month_and_nothing_since_is_overdue():
    assert rules.duty_state(VISIT, 0, 0, date(2026, 9, 20), WEDNESDAY).state == "overdue"


def test_a_child_registered_during_last_month_is_not_overdue_for_it():
    assert rules.duty_state(VISIT, 0, 0, date(2026, 10, 12), WEDNESDAY).state == "due"


def test_two_visits_a_month_need_two():
    twice = VISIT._replace(count=2)
    assert rules.duty_state(twice, 1, 2, date(2026, 1, 1), WEDNESDAY).state == "due"
    assert rules.duty_state(twice, 2, 0, date(2026, 1, 1), WEDNESDAY).state == "done"


def test_the_file_is_due_for_two_weeks_then_overdue_until_complete():
    file_rule = DEFAULT_RULES[0]
    assert rules.duty_state(file_rule, 0, 0, date(2026, 11, 10), WEDNESDAY).state == "due"
    assert rules.duty_state(file_rule, 0, 0, date(2026, 10, 20), WEDNESDAY).state == "overdue"
    assert rules.duty_state(file_rule, 1, 0, date(2026, 10, 20), WEDNESDAY).state == "done"


def test_the_weekly_activity_is_due_this_week():
    duty = rules.duty_state(ACTIVITY, 0, 1, None, WEDNESDAY)
    assert duty.state == "due" and rules.due_this_week(duty, WEDNESDAY)


@pytest.mark.parametrize("kind,parents,counts", [
    ("home_visit", False, {"home_visit"}),
    ("home_visit", True, {"home_visit", "parent_contact"}),  # she video-called them from the home
    ("parent_video", False, {"parent_contact"}),
    ("phone", False, set()),
    ("phone", True, {"parent_contact"}),
    ("school", False, {"school_contact"}),
])
def test_what_a_check_in_counts_for(kind, parents, counts):
    assert rules.counted_kinds(kind, parents) == counts


def test_an_activity_counts_once_for_each_child_who_came():
    counts = rules.attendances([[1, 2, 3, 4, 5], [2, 2, 6]])
    assert counts == {1: 1, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1}
    assert sum(rules.attendances([[1, 2, 3, 4, 5]]).values()) == 5


def test_which_duties_are_due_or_overdue_for_a_worker_on_a_day():
    children = [Target(1, date(2026, 9, 1), at_school=True), Target(2, date(2026, 9, 1), at_school=False)]
    villages = [Target(10)]
    counts = {
        ("file", "child", "once", 1): (1, 0), ("file", "child", "once", 2): (0, 0),
        ("home_visit", "child", "month", 1): (1, 0),
        ("parent_contact", "child", "month", 2): (0, 1),
        ("activity", "village", "week", 10): (0, 1),
    }
    found = rules.duties(DEFAULT_RULES, children, villages, counts, WEDNESDAY)
    state = {(d.rule.kind, d.target): d.state for d in found}
    assert state == {
        ("file", 1): "done", ("file", 2): "overdue",
        ("home_visit", 1): "done", ("home_visit", 2): "overdue",
        ("parent_contact", 1): "overdue", ("parent_contact", 2): "due",
        ("activity", 10): "due",
        ("school_contact", 1): "due",  # a pre-schooler (child 2) has no school to contact
    }
    assert rules.completion(found)[("home_visit", "child", "month")] == (1, 2)


def test_a_correct_id_number_passes_and_is_masked():
    number = valid_id()
    assert idcard.problem(number, date(2018, 3, 7)) is None
    assert idcard.problem(number.lower(), None) is None  # a lower-case x is accepted
    assert idcard.masked("51172520180307123X") == "5117**********123X"


@pytest.mark.parametrize("number,problem", [
    ("5117252018030700", "length"),
    ("51172520180307002A", "length"),
    (valid_id()[:17] + ("0" if valid_id()[17] != "0" else "1"), "check_digit"),
    (valid_id(born="20180308"), "birth_date"),  # not the birth date given
    (valid_id(born="20180230"), "birth_date"),  # no such day
])
def test_a_wrong_id_number_says_what_is_wrong(number, problem):
    assert idcard.problem(number, date(2018, 3, 7)) == problem


def test_the_same_child_is_the_same_name_sex_and_birth_date():
    born = date(2016, 5, 1)
    assert same_child("李四", "f", born, "李 四", "f", born)
    assert not same_child("李四", "m", born, "李四", "f", born)
    assert not same_child("李四", "f", born, "李四", "f", date(2016, 5, 2))
    assert not same_child("李四", "f", None, "李四", "f", None)


@pytest.mark.parametrize("born,problem", [
    (date(2018, 3, 7), None), (date(2027, 1, 1), "future"), (date(2008, 11, 18), "adult"),
    (date(2008, 11, 19), None),  # 18 tomorrow
])
def test_birth_dates_of_the_register(born, problem):
    assert rules.birth_date_problem(born, WEDNESDAY) == problem


def test_an_entrusted_guardian_is_at_least_16():
    assert rules.guardian_too_young(15) and not rules.guardian_too_young(16)
    assert not rules.guardian_too_young(None)
