"""The county's and zones' screening coverage, kept per school and round in the day's tallies
(webapp/tallies.py, kind "scr<round id>"): counting 248,000 pupils and their results on every
page is too slow for the county's pages and home.

Migration 0034's triggers delete a school's screening tallies on any write to what they count
(results, warnings, pupils, classes, the round), so the kept figures are the live count. What
moves with the clock, a warning going overdue, is not kept: each school keeps the deadlines of
its open warnings and the reader counts those past now. Unit 0 holds the warnings of no school.
"""
from datetime import datetime

from .. import tallies
from ..clock import utcnow
from ..db import IN_LIST_LIMIT
from ..models import School, ScreeningWarning
from . import overview

NO_SCHOOL = 0


def kind_of(screening_round):
    return f"scr{screening_round.id}"


def _open_deadlines(screening_round, school_ids):
    query = (ScreeningWarning.select(ScreeningWarning.school, ScreeningWarning.due_at)
             .where((ScreeningWarning.round_id == screening_round.id) & ScreeningWarning.closed_at.is_null()))
    if school_ids is not None:
        query = query.where(ScreeningWarning.school.in_(school_ids))
    found = {}
    for school_id, due_at in query.tuples():
        found.setdefault(school_id, []).append(due_at.isoformat())
    return found


def compute(screening_round, unit_ids):
    """{school id: figures} as overview's live count gives them, for the units asked for."""
    wanted = set(unit_ids)
    # The whole county in one query each rather than a long IN list (or a NULL school).
    school_ids = None if len(wanted) > IN_LIST_LIMIT or NO_SCHOOL in wanted else sorted(wanted)
    enrolled = dict(overview._enrolled(screening_round, school_ids, False))
    screened = overview._screened(screening_round, school_ids, False)
    warnings = overview._warnings(screening_round, school_ids)
    deadlines = _open_deadlines(screening_round, school_ids)
    figures = {}
    for unit in wanted:
        school_id = None if unit == NO_SCHOOL else unit
        counted = dict(warnings.get(school_id, overview.EMPTY))
        del counted["overdue"]  # moves with the clock: counted on reading from the deadlines
        figures[unit] = {"enrolled": enrolled.get(school_id, 0), "screened": screened.get(school_id, 0),
                         "warnings": counted, "open_due": sorted(deadlines.get(school_id, []))}
    return figures


def school_figures(screening_round, unit_ids, day, now=None):
    """{unit: {"enrolled", "screened", "warnings": overview.EMPTY's keys}} from the tallies."""
    now = now or utcnow()
    kept = tallies.read(kind_of(screening_round), unit_ids, day,
                        lambda missing, _day: compute(screening_round, missing))
    figures = {}
    for unit, found in kept.items():
        warnings = dict(overview.EMPTY)
        warnings.update(found.get("warnings", {}))
        warnings["overdue"] = sum(1 for due in found.get("open_due", []) if datetime.fromisoformat(due) < now)
        figures[unit] = {"enrolled": found.get("enrolled", 0), "screened": found.get("screened", 0),
                         "warnings": warnings}
    return figures


def fill_day(day):
    """Compute every school's screening tally of the current round for `day` (the tick runs this
    with the dashboards', so the county's first reader does not count the county). Returns how many."""
    screening_round = overview.current_round(day)
    if screening_round is None:
        return 0
    kind = kind_of(screening_round)
    before = tallies.count(kind, day)
    units = [s for (s,) in School.select(School.id).tuples()] + [NO_SCHOOL]
    tallies.read(kind, units, day, lambda missing, _day: compute(screening_round, missing))
    return tallies.count(kind, day) - before
