"""Precomputed figures, kept true on write by database triggers (migrations 0007 and 0008)."""
from peewee import CharField, DateField, ForeignKeyField, IntegerField, TextField

from .county import BaseModel, School

TALLY_KINDS = ("school", "village")


class Tally(BaseModel):
    """The slow figures of one school or village as they stand on one day, as JSON.

    Never stale: database triggers (migration 0007) delete a unit's rows in the same transaction
    as any write to a record those figures count, and the next read (or the tick) computes them
    again. Figures that move with the clock within a day (the age of a concern) are not kept here.
    """

    kind = CharField(max_length=10)  # TALLY_KINDS, or "scr<round id>": a school's screening coverage (0034)
    unit = IntegerField()  # the school's or the village's id
    day = DateField()
    figures = TextField()
    detail = TextField(null=True)  # what a kind keeps beside its figures (a village's duty plan: 0010)

    class Meta:
        indexes = ((("kind", "day", "unit"), True), (("kind", "unit"), False))


class SchoolChildren(BaseModel):
    """How many children a school has (Child.school), moved by one by triggers on every insert,
    delete or change of school (migration 0008). Read-only for the app."""

    school = ForeignKeyField(School, primary_key=True, backref="+", on_delete="CASCADE")
    children = IntegerField(default=0)


MODELS = [Tally, SchoolChildren]
__all__ = ["Tally", "TALLY_KINDS", "SchoolChildren"]
