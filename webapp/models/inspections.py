"""Inspections (督导, 《实施方案》五(三) 督查督办) and the 整改 items they leave at a school.

A county or zone user inspects a school: the day, a checklist whose lines start from the
computed compliance (programme.compliance) and which she confirms or corrects, and findings.
Each finding is a 整改 item with an owner at the school and a deadline; the school reports it
done, the inspector accepts it or sends it back. An item is overdue while not accepted after its
deadline (a report waiting for acceptance is not overdue: the school did its part in time or not,
and `reported_at` says which).
"""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, SmallIntegerField, TextField

from ..clock import utcnow
from .county import BaseModel, School, User

CHECK_VERDICTS = ("met", "not_met", "not_checked")
RECTIFICATION_STATUSES = ("open", "reported", "accepted")  # sent back: open again, returned_count + 1


class Inspection(BaseModel):
    school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
    inspector = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    day = DateField()
    summary = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("school", "day"), False),)


class InspectionCheck(BaseModel):
    """One line of the checklist: a requirement, what the records said on the day (computed) and
    what the inspector found (verdict), with a note."""

    inspection = ForeignKeyField(Inspection, backref="checks", on_delete="CASCADE")
    requirement = CharField(max_length=24)  # Requirement.key
    computed = CharField(max_length=10, default="")  # met / open / due_soon / missed, as computed that day
    verdict = CharField(max_length=12, default="not_checked")
    note = CharField(max_length=200, default="")
    position = SmallIntegerField(default=0)


class Rectification(BaseModel):
    """整改: one finding of an inspection, owned by a principal or counsellor of the school."""

    inspection = ForeignKeyField(Inspection, backref="rectifications", on_delete="CASCADE")
    school = ForeignKeyField(School, backref="+", on_delete="CASCADE")  # the inspection's, for scopes
    finding = TextField()
    owner = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    due_on = DateField()
    status = CharField(max_length=10, default="open")
    report_note = TextField(default="")
    reported_at = DateTimeField(null=True)
    reported_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)  # accepted, or last sent back
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    return_note = TextField(default="")
    returned_count = SmallIntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("school", "status", "due_on"), False), (("owner", "status"), False))


MODELS = [Inspection, InspectionCheck, Rectification]

__all__ = [model.__name__ for model in MODELS] + ["CHECK_VERDICTS", "RECTIFICATION_STATUSES"]
