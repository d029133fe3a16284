"""Tallies (models.Tally): slow figures per school or village and day, computed once and kept.

Triggers of migration 0007 delete a unit's tallies whenever a record they count is written, so a
stored tally is always the answer the records give now. A read computes the units that have no
tally for the day (all of them on a new day, only the changed ones otherwise); the tick fills
the day ahead of the first reader and prunes earlier days.
"""
import json
from typing import NamedTuple

from peewee import chunked

from .db import IN_LIST_LIMIT, db, is_sqlite
from .models import Tally

INSERT_CHUNK = 500  # rows per INSERT, well under SQLite's and PostgreSQL's parameter limits


class Kept(NamedTuple):
    """What a compute function returns for a unit whose tally keeps a detail beside its figures."""

    figures: dict
    detail: str  # JSON


def _stored_column(kind, unit_ids, day, column):
    """{unit: `column` as stored} of the units' tallies for `day` that exist."""
    query = Tally.select(Tally.unit, column).where((Tally.kind == kind) & (Tally.day == day))
    if len(unit_ids) <= IN_LIST_LIMIT:
        query = query.where(Tally.unit.in_(unit_ids))
    wanted = set(unit_ids)
    return {unit: value for unit, value in query.tuples() if unit in wanted}


def _stored(kind, unit_ids, day):
    return {unit: json.loads(figures) for unit, figures in _stored_column(kind, unit_ids, day, Tally.figures).items()}


def _lock_out_writers():
    """Keep writes that would delete a tally waiting until the ones computed here are stored.

    Otherwise a write committed between our reads and our insert would leave a tally that no
    longer matches the records. SQLite's BEGIN IMMEDIATE (db.py) already holds the write lock;
    PostgreSQL needs the table lock that conflicts with the triggers' DELETE.
    """
    if not is_sqlite():
        db.execute_sql("LOCK TABLE tally IN SHARE ROW EXCLUSIVE MODE")


def fill(kind, unit_ids, day, compute):
    """Compute and store the units' tallies missing for `day`; returns {unit: figures} of all.

    `compute(unit_ids, day)` returns {unit: figures} or {unit: Kept(figures, detail)} (a unit
    with nothing to count may be left out).
    """
    with db.atomic():
        _lock_out_writers()
        found = _stored(kind, unit_ids, day)  # another worker may have just filled some
        missing = [unit for unit in unit_ids if unit not in found]
        if missing:
            computed = {unit: entry if isinstance(entry, Kept) else Kept(entry, None)
                        for unit, entry in compute(missing, day).items()}
            empty = Kept({}, None)
            rows = [{"kind": kind, "unit": unit, "day": day, "figures": json.dumps(computed.get(unit, empty).figures),
                     "detail": computed.get(unit, empty).detail} for unit in missing]
            for batch in chunked(rows, INSERT_CHUNK):
                Tally.insert_many(batch).execute()
            found.update({unit: computed.get(unit, empty).figures for unit in missing})
    return found


def read(kind, unit_ids, day, compute):
    """{unit: figures} on `day` for the given units: the stored tallies, the missing computed."""
    unit_ids = list(unit_ids)
    found = _stored(kind, unit_ids, day)
    if len(found) < len(set(unit_ids)):
        found = fill(kind, unit_ids, day, compute)
    return found


def details(kind, unit_ids, day, compute):
    """{unit: detail (JSON) or None} on `day` for the given units, the missing computed (as `read`)."""
    unit_ids = list(unit_ids)
    found = _stored_column(kind, unit_ids, day, Tally.detail)
    if len(found) < len(set(unit_ids)):
        fill(kind, unit_ids, day, compute)
        found = _stored_column(kind, unit_ids, day, Tally.detail)
    return found


def prune(day):
    """Forget tallies of days before `day` (nobody reads them again); returns how many."""
    return Tally.delete().where(Tally.day < day).execute()


def count(kind, day):
    return Tally.select().where((Tally.kind == kind) & (Tally.day == day)).count()
