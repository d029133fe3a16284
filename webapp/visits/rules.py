"""Rules of home visits (家访) as plain functions of plain values, tested without HTTP.

《实施方案》四、15: every child of a class is visited at least once per school year; national
guidance adds at least one visit per term for children in a key group: the plan's 三类人群
(《实施方案》四、11: mental-health problem, i.e. on an open case; problem family; left-behind),
its 有精神病史学生, and single-parent or in-difficulty children (children.groups). A visit counts
for the school year and term of the day it took place, and for the child, whichever class she is
in now.
"""
from datetime import date, timedelta
from typing import NamedTuple

from ..schoolyear import SPRING_STARTS, YEAR_STARTS, school_year_of, term_of

# Codes of the checklist that are also flags on the child (Child.left_behind, .single_parent,
# .problem_family): a visit is where the head teacher sees them and sets them.
FLAG_SITUATIONS = ("left_behind", "single_parent", "problem_family")


def year_bounds(school_year):
    """First and last day of a school year (1 Sep – 31 Aug)."""
    start = date(school_year, *YEAR_STARTS)
    return start, date(school_year + 1, *YEAR_STARTS) - timedelta(days=1)


def term_bounds(term):
    """First and last day of a term: autumn runs to the day before spring starts."""
    spring = date(term.school_year + 1, *SPRING_STARTS)
    if term.season == "autumn":
        return term.starts, spring - timedelta(days=1)
    return spring, year_bounds(term.school_year)[1]


def counts_for_year(visited_on, school_year):
    return school_year_of(visited_on) == school_year


def counts_for_term(visited_on, term):
    return term_of(visited_on) == term


def in_key_group(left_behind, single_parent, in_difficulty, on_case, problem_family=False,
                 psychiatric_history=False):
    """The same rule as children.groups.in_any_key_group, which asks it in SQL."""
    return bool(left_behind or single_parent or in_difficulty or on_case or problem_family or psychiatric_history)


class Coverage(NamedTuple):
    visited: int
    total: int

    @property
    def percent(self):
        return round(100 * self.visited / self.total) if self.total else 0

    @property
    def complete(self):
        return self.visited >= self.total


def visited_children(visits, school_year):
    """Ids of children with a visit in `school_year`; `visits` are (child id, date) pairs."""
    return {child_id for child_id, day in visits if counts_for_year(day, school_year)}


def visited_in_term(visits, term):
    return {child_id for child_id, day in visits if counts_for_term(day, term)}


def coverage(child_ids, visits, school_year):
    """How many of a class's children (`child_ids`) have been visited in the school year."""
    children = set(child_ids)
    return Coverage(len(children & visited_children(visits, school_year)), len(children))


def due_this_year(child_ids, visits, school_year):
    """The children not yet visited this school year, in the order given."""
    done = visited_children(visits, school_year)
    return [child_id for child_id in child_ids if child_id not in done]


def due_this_term(key_child_ids, visits, day):
    """Key-group children with no visit yet in the term of `day`, in the order given."""
    done = visited_in_term(visits, term_of(day))
    return [child_id for child_id in key_child_ids if child_id not in done]


class Visited(NamedTuple):
    """Who of a list of children was visited this school year and this term (`visited_on`)."""

    year: set
    term: set


def visited_on(visits, day):
    return Visited(visited_children(visits, school_year_of(day)), visited_in_term(visits, term_of(day)))


def visit_state(child_id, is_key, visited):
    """"due_year" (never visited this school year), "due_term" (in a key group and not visited
    this term) or "done"; `visited` from `visited_on`, worked out once for a whole list."""
    if child_id not in visited.year:
        return "due_year"
    if is_key and child_id not in visited.term:
        return "due_term"
    return "done"


def still_due(child_id, is_key, visits, day):
    """Is a child due a visit on `day`: never visited this school year, or in a key group and
    not visited this term."""
    return visit_state(child_id, is_key, visited_on(visits, day)) != "done"


def date_problem(visited_on, day):
    """Why a visit date cannot be taken on `day`: "future", "before_year" (before the current
    school year began), or None when it is fine."""
    if visited_on > day:
        return "future"
    if visited_on < year_bounds(school_year_of(day))[0]:
        return "before_year"
    return None


def correctable(author_id, user_id, received_on, day):
    """Only the author corrects a visit, and only on the day the server received it; after
    that a later visit adds to the record instead."""
    return author_id is not None and author_id == user_id and received_on == day


def starting_situation(stored_codes, left_behind, single_parent, problem_family=False):
    """The checklist a visitor starts from: the situation as of the last visit, with the
    child's current left-behind, single-parent and problem-family flags (others may have changed
    them since: the register, the school, a psychology teacher)."""
    codes = [code for code in stored_codes if code not in FLAG_SITUATIONS]
    for code, flag in (("left_behind", left_behind), ("single_parent", single_parent),
                       ("problem_family", problem_family)):
        if flag:
            codes.append(code)
    return codes


def situation_update(codes, visited_on, recorded_on):
    """The fields a visit writes onto the child, or None when the child's record already holds
    a later visit's situation (an older visit replayed from the outbox must not overwrite it)."""
    if recorded_on is not None and visited_on < recorded_on:
        return None
    return {
        "family_situation": ",".join(codes),
        "family_situation_on": visited_on,
        "left_behind": "left_behind" in codes,
        "single_parent": "single_parent" in codes,
        "problem_family": "problem_family" in codes,
    }

