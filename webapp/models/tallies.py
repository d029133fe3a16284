"""Precomputed dashboard figures, kept true on write (see webapp/tallies.py and migration 0007)."""
from peewee import CharField, DateField, IntegerField, TextField

from .county import BaseModel

TALLY_KINDS = ("school", "village")


class Tally(BaseModel):
    """The slow figures of one school or village as they stand on one day, as JSON.

    Never stale: database triggers (migration 0007) delete a unit's rows in the same transaction
    as any write to a record those figures count, and the next read (or the tick) computes them
    again. Figures that move with the clock within a day (the age of a concern) are not kept here.
    """

    kind = CharField(max_length=10)  # TALLY_KINDS
    unit = IntegerField()  # the school's or the village's id
    day = DateField()
    figures = TextField()

    class Meta:
        indexes = ((("kind", "day", "unit"), True), (("kind", "unit"), False))


MODELS = [Tally]
__all__ = ["Tally", "TALLY_KINDS"]
