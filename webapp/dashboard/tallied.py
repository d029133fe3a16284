"""The dashboards' slow figures, read from tallies (webapp/tallies.py) and kept for the day."""
from .. import tallies
from ..models import School, Village
from ..screening import tallied as screening_tallied
from ..village.kept_plan import village_day
from . import metrics


def school_figures(school_ids, day):
    """{school id: metrics.school_day_figures} from the schools' tallies."""
    return tallies.read("school", school_ids, day, metrics.school_day_figures)


def village_figures(village_ids, day):
    """{village id: metrics.duties_by_village} from the villages' tallies (each keeps the
    village's plan too, for its child worker: village.kept_plan)."""
    return tallies.read("village", village_ids, day, village_day)


def fill_day(day):
    """Forget earlier days and compute every school's and village's tally for `day`, and the
    schools' screening coverage of the current round (the tick
    runs this, so that the day's first reader does not wait for the whole county).
    Returns (tallies computed, tallies pruned)."""
    pruned = tallies.prune(day)
    computed = 0
    for kind, query, compute in (("school", School.select(School.id), metrics.school_day_figures),
                                 ("village", Village.select(Village.id), village_day)):
        ids = [unit for (unit,) in query.tuples()]
        before = tallies.count(kind, day)
        tallies.read(kind, ids, day, compute)
        computed += tallies.count(kind, day) - before
    computed += screening_tallied.fill_day(day)
    return computed, pruned
