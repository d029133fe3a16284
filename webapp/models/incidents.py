"""Critical incidents (危机事件) and the care of the other pupils afterwards (postvention).

《实施方案》四、12: each school keeps an emergency plan and, when something happens, acts at once
and looks after the other pupils ("加强对其他学生辅导"). An incident keeps the plan's steps as
they were when it was opened (a later change to the plan does not rewrite what was done).
"""
from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from ..clock import utcnow
from .county import BaseModel, Child, School, User, Village

INCIDENT_KINDS = ("self_harm", "death", "bullying", "violence", "accident", "family_crisis", "disaster", "other")
INCIDENT_STATUSES = ("open", "closed")
# How close an affected pupil was: 密切 (friends, witnesses, desk-mates) or 一般 (the rest of the class).
AFFECTED_LEVELS = ("close", "general")


class Incident(BaseModel):
    """One critical incident, at a school or (for a child worker) in a village."""

    kind = CharField(max_length=16)
    school = ForeignKeyField(School, null=True, backref="incidents", on_delete="RESTRICT")
    village = ForeignKeyField(Village, null=True, backref="incidents", on_delete="RESTRICT")
    happened_at = DateTimeField()
    description = TextField()
    opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    made_at = DateTimeField()  # on the reporter's device
    received_at = DateTimeField(default=utcnow, index=True)
    client_uuid = CharField(max_length=36, unique=True)
    status = CharField(max_length=8, default="open", index=True)
    plan_source = CharField(max_length=8, default="county")  # whose plan the steps came from
    closed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    closed_at = DateTimeField(null=True)
    review_what = TextField(default="")  # the closing review: what happened
    review_learned = TextField(default="")  # and what was learned


class IncidentChild(BaseModel):
    """A child directly involved (the one who was hurt, the one who hurt)."""

    incident = ForeignKeyField(Incident, backref="children", on_delete="CASCADE")
    child = ForeignKeyField(Child, backref="incident_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("incident", "child"), True),)


class IncidentStep(BaseModel):
    """A step of the emergency plan, copied into the incident when it was opened; ticked once."""

    incident = ForeignKeyField(Incident, backref="steps", on_delete="CASCADE")
    position = SmallIntegerField()
    text = CharField(max_length=200)
    done_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    done_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("incident", "position"), True),)


class FollowUp(BaseModel):
    """Postvention: an affected pupil (a classmate, a friend, a witness) and her follow-up task,
    owned by a named adult and due within the county's deadline for her level."""

    incident = ForeignKeyField(Incident, backref="follow_ups", on_delete="CASCADE")
    child = ForeignKeyField(Child, backref="follow_ups", on_delete="CASCADE")
    level = CharField(max_length=8)
    owner = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    added_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    added_at = DateTimeField(default=utcnow)
    due_at = DateTimeField(index=True)
    done_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    done_at = DateTimeField(null=True)
    note = TextField(default="")
    concern_id = IntegerField(null=True)  # the concern her follow-up raised, if any

    class Meta:
        indexes = (
            (("incident", "child"), True),
            (("owner", "done_at"), False),
        )


class PlanStep(BaseModel):
    """A step of an emergency plan: the county's default list (school null), or later a school's
    own filed plan (school set), which then replaces the default for that school."""

    school = ForeignKeyField(School, null=True, backref="+", on_delete="CASCADE")
    position = SmallIntegerField()
    text = CharField(max_length=200)


class IncidentRule(BaseModel):
    """A number of the plan the county may change (deadlines of the follow-ups), by name."""

    name = CharField(max_length=24, primary_key=True)
    value = IntegerField()


MODELS = [Incident, IncidentChild, IncidentStep, FollowUp, PlanStep, IncidentRule]

__all__ = [model.__name__ for model in MODELS] + ["INCIDENT_KINDS", "INCIDENT_STATUSES", "AFFECTED_LEVELS"]
