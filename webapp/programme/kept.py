"""The county's compliance matrix kept per school and day in tallies (webapp/tallies.py).

A school's row of the matrix depends only on its records and the day (and the term chosen), so
it is computed once and kept; triggers of migration 0035 delete a school's row on any write to a
record it reads (activities, staff, trainings, room, plan, classes, opening hours) and every
school's when the county edits a requirement. A read computes only the schools with no row for
the day (all of them on a new day unless the tick has filled it).
"""
from datetime import timedelta

from .. import tallies
from ..models import School
from . import compliance, rules
from .requirements import active_requirements

KINDS = {"this": "mx_term", "last": "mx_last"}  # the matrix's term choice -> tally kind


def as_of(day, term):
    """The day whose periods the matrix counts: `day`'s, or for term "last" the last term's
    (over, so what it lacked shows as missed)."""
    return rules.term_bounds(day)[0] - timedelta(days=1) if term == "last" else day


def _compute(term):
    def compute(school_ids, day):
        found = compliance.evaluate(school_ids, day, as_of=as_of(day, term), class_detail=False)
        return {school_id: {key: list(cell) for key, cell in row.items()} for school_id, row in found.cells.items()}
    return compute


def evaluate(school_ids, day, term="this"):
    """compliance.evaluate(school_ids, day, as_of=as_of(day, term), class_detail=False), its cells
    read from the schools' tallies (the missing computed and kept)."""
    school_ids = list(school_ids)
    requirements = active_requirements()
    stored = tallies.read(KINDS[term], school_ids, day, _compute(term))
    keys = [r.key for r in requirements]  # a model's field reads cost: once, not per school
    made = {}  # one Cell per distinct value: most schools share most cells
    cells = {}
    for school_id in school_ids:
        stored_row = stored[school_id]
        row = cells[school_id] = {}
        for key in keys:
            value = tuple(stored_row[key])
            cell = made.get(value)
            if cell is None:
                cell = made[value] = compliance.Cell(*value)
            row[key] = cell
    return compliance.Compliance(requirements, cells, {}, {})


def fill_day(day):
    """Compute every school's matrix rows for `day`, both terms (the tick runs this, so that the
    day's first reader of the county's matrix does not wait). Returns how many were computed."""
    ids = [school_id for (school_id,) in School.select(School.id).tuples()]
    computed = 0
    for term, kind in KINDS.items():
        before = tallies.count(kind, day)
        tallies.read(kind, ids, day, _compute(term))
        computed += tallies.count(kind, day) - before
    return computed


__all__ = ["KINDS", "as_of", "evaluate", "fill_day"]
