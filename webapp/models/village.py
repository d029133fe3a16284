"""Village child workers' records: the left-behind child's file, check-ins, 童伴之家 activities, duty rules.

The survey fields live in `LeftBehindFile`, one-to-one with `Child`, not as columns of `Child`:
a school that shares the child never loads them, and erasing a child's village data is one row.
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    SmallIntegerField,
    TextField,
)

from ..clock import utcnow
from .county import BaseModel, Child, User, Village
from .safeguarding import Concern

LEFT_BEHIND_TYPES = ("both_away", "one_away")  # 父母均外出 / 一方外出另一方无监护能力
HEALTH_STATES = ("healthy", "ill", "disabled")
HOUSEHOLD_SITUATIONS = ("divorced", "single_parent", "remarried", "low_income", "parent_ill", "orphan")
HOME_FREQUENCIES = ("at_home", "monthly", "half_year", "yearly", "rarely", "none")
INCOMES = ("migrant_work", "farming", "local_work", "subsidy", "other")
CHECKIN_KINDS = ("home_visit", "phone", "parent_video", "school")  # 入户走访 / 电话 / 与父母视频连线 / 与学校沟通
WELLBEING = ("good", "so_so", "worrying")  # 好 / 一般 / 让人担心
DUTY_KINDS = ("file", "home_visit", "parent_contact", "activity", "school_contact")
DUTY_PER = ("child", "village")
FREQUENCIES = ("once", "week", "month", "term")


class LeftBehindFile(BaseModel):
    """The national left-behind-children survey for one child, kept by her village's child worker."""

    child = ForeignKeyField(Child, unique=True, backref="village_files", on_delete="CASCADE")
    ethnicity = CharField(max_length=20, default="汉族")
    id_card = CharField(max_length=18, default="")  # optional; shown masked except to the county
    school_text = CharField(max_length=80, default="")  # when she studies where the county has no record
    class_text = CharField(max_length=20, default="")
    health = CharField(max_length=10, default="healthy")
    address = CharField(max_length=120, default="")
    boarding = BooleanField(default=False)
    family_situation = CharField(max_length=120, default="")  # comma-separated HOUSEHOLD_SITUATIONS
    father_work_place = CharField(max_length=60, default="")
    father_home = CharField(max_length=10, default="")
    mother_work_place = CharField(max_length=60, default="")
    mother_home = CharField(max_length=10, default="")
    income = CharField(max_length=16, default="")
    guardian_name = CharField(max_length=40)
    guardian_relation = CharField(max_length=20)
    guardian_age = SmallIntegerField(null=True)
    guardian_phone = CharField(max_length=20, default="")
    guardian_able = BooleanField(default=True)
    left_behind_type = CharField(max_length=10)
    contact_name = CharField(max_length=40, default="")  # 村联系人
    contact_phone = CharField(max_length=20, default="")
    # The guardian's confirmation (PIPL art. 31): who, relation, when and how.
    confirmed_by = CharField(max_length=40, default="")
    confirmed_relation = CharField(max_length=20, default="")
    confirmed_on = DateField(null=True)
    confirmed_how = CharField(max_length=10, default="")  # paper / in_person / phone
    registered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    linked_pupil = BooleanField(default=False)  # filed on a pupil the school already knew
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)

    @property
    def confirmed(self):
        return self.confirmed_on is not None

    @property
    def family_list(self):
        return [code for code in self.family_situation.split(",") if code]


class CheckIn(BaseModel):
    """A child worker's contact with or about one child."""

    child = ForeignKeyField(Child, backref="checkins", on_delete="CASCADE")
    village = ForeignKeyField(Village, backref="checkins", on_delete="RESTRICT")
    worker = ForeignKeyField(User, null=True, backref="checkins", on_delete="SET NULL")
    day = DateField(index=True)
    kind = CharField(max_length=12)
    mood = CharField(max_length=8)
    health = CharField(max_length=8)
    study = CharField(max_length=8)
    safety = CharField(max_length=8)
    needs = TextField(default="")
    parents_contacted = BooleanField(default=False)
    notes = TextField(default="")
    concern = ForeignKeyField(Concern, null=True, backref="+", on_delete="SET NULL")
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)

    class Meta:
        indexes = ((("child", "day"), False), (("village", "day"), False))

    @property
    def worrying(self):
        return "worrying" in (self.mood, self.health, self.study, self.safety)


class Activity(BaseModel):
    """A 童伴之家 activity; each child who came is one attendance."""

    village = ForeignKeyField(Village, backref="activities", on_delete="RESTRICT")
    worker = ForeignKeyField(User, null=True, backref="activities", on_delete="SET NULL")
    title = CharField(max_length=80)
    day = DateField(index=True)
    minutes = SmallIntegerField(default=60)
    notes = TextField(default="")
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)

    class Meta:
        indexes = ((("village", "day"), False),)


class Attendance(BaseModel):
    activity = ForeignKeyField(Activity, backref="attendances", on_delete="CASCADE")
    child = ForeignKeyField(Child, backref="attendances", on_delete="CASCADE")

    class Meta:
        indexes = ((("activity", "child"), True),)


class DutyRule(BaseModel):
    """One line of the duty plan, set by the county: e.g. one home visit per child per month."""

    kind = CharField(max_length=16)
    per = CharField(max_length=8)
    frequency = CharField(max_length=8)
    count = SmallIntegerField(default=1)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("kind", "per", "frequency"), True),)


LINK_STATUSES = ("pending", "confirmed", "refused")


class LinkRequest(BaseModel):
    """A worker's registration that may be a pupil outside her villages' catchment: she never
    learns the pupil's school, so the county or that school decides whether it is the same child.

    `record` is the village file she registered, on a child record of her own; confirming moves
    it (and all else about that child) onto the pupil, as linking the pupil at registration does.
    """

    worker = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    child = ForeignKeyField(Child, backref="link_requests", on_delete="CASCADE")  # the pupil
    record = ForeignKeyField(LeftBehindFile, unique=True, backref="link_requests", on_delete="CASCADE")
    status = CharField(max_length=10, default="pending", index=True)
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)


MODELS = [LeftBehindFile, CheckIn, Activity, Attendance, DutyRule, LinkRequest]

__all__ = [model.__name__ for model in MODELS] + [
    "LEFT_BEHIND_TYPES", "HEALTH_STATES", "HOUSEHOLD_SITUATIONS", "HOME_FREQUENCIES", "INCOMES",
    "CHECKIN_KINDS", "WELLBEING", "DUTY_KINDS", "DUTY_PER", "FREQUENCIES", "LINK_STATUSES",
]
