"""Home visits (家访): a head teacher's record of one visit to a child's family."""
from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from ..clock import utcnow
from .county import BaseModel, Child, SchoolClass, User
from .safeguarding import Concern

VISIT_MODES = ("on_site", "phone", "video")  # 实地走访 / 电话 / 视频
RECEIVERS = ("father", "mother", "grandparent", "other_guardian")
# The family situation checklist. left_behind, single_parent and problem_family (问题家庭,
# 《实施方案》四、11) are also flags on Child.
FAMILY_SITUATIONS = (
    "early_trauma", "family_change", "tense_relationship", "left_behind", "single_parent",
    "hardship", "guardian_unable", "problem_family",
)


class HomeVisit(BaseModel):
    """One visit. It counts for the school year and term of `visited_on`, for the child (not
    the class), so a child who changes class keeps her visits."""

    child = ForeignKeyField(Child, backref="home_visits", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="home_visits", on_delete="SET NULL")
    # The child's class when the visit was logged, for the paper register of that class.
    school_class = ForeignKeyField(SchoolClass, null=True, backref="+", on_delete="SET NULL")
    visited_on = DateField(index=True)
    mode = CharField(max_length=10, default="on_site")
    received_by = CharField(max_length=60, default="")  # comma-separated RECEIVERS
    child_present = BooleanField(default=False)
    family_situation = CharField(max_length=200, default="")  # comma-separated FAMILY_SITUATIONS
    findings = TextField(default="")
    guidance = TextField(default="")
    follow_up = BooleanField(default=False)
    concern = ForeignKeyField(Concern, null=True, backref="+", on_delete="SET NULL")
    made_at = DateTimeField()  # on the head teacher's device (earlier when sent from the outbox)
    received_at = DateTimeField(default=utcnow, index=True)
    corrected_at = DateTimeField(null=True)
    client_uuid = CharField(max_length=36, unique=True)

    class Meta:
        indexes = ((("child", "visited_on"), False),)

    @property
    def receiver_list(self):
        return [code for code in self.received_by.split(",") if code]

    @property
    def situation_list(self):
        return [code for code in self.family_situation.split(",") if code]


MODELS = [HomeVisit]

__all__ = [model.__name__ for model in MODELS] + ["VISIT_MODES", "RECEIVERS", "FAMILY_SITUATIONS"]
