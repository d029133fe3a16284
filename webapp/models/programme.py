"""The school's mental-health programme (《实施方案》四、3–四、17): its register (psychology staff and
their trainings, the counselling room, the emergency plan), the activities it logs, and the
county's requirements they are checked against. Compliance is computed from these records,
never typed (programme.compliance).

Files (a training certificate, the emergency plan's document) are not stored here yet: each
record that may carry one has a nullable `attachment_id`, for the attachments of a later issue.
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
)

from ..clock import utcnow
from .county import BaseModel, School, SchoolClass, User

STAFF_POSTS = ("full_time", "part_time")  # 专职 / 兼职
TRAINING_LEVELS = ("county", "city", "province")  # 县级 / 市级 / 省级
# The kinds of activity a school logs; what is required of each is the county's (Requirement).
ACTIVITY_KINDS = ("lesson", "team_lesson", "law", "may_month", "parent_school", "school_training",
                  "open_lesson", "contest_lesson", "expert_lecture")
CLASS_KINDS = ("lesson", "team_lesson")  # logged for one class
ROOM_EQUIPMENT = ("individual_room", "group_room", "sand_tray", "relaxation", "assessment", "books", "files_cabinet")
CHECKS = ("activity", "full_time", "part_time_trained", "room", "plan")
PERIODS = ("term", "year", "may")  # a term, a school year, the May publicity month of the school year
PER = ("school", "class")


class ProgrammeStaff(BaseModel):
    """A psychology teacher of a school, 专职 or 兼职: a record of the programme, not an account
    (she may have none, or an account of another role); `user` links one when there is."""

    school = ForeignKeyField(School, backref="programme_staff", on_delete="CASCADE")
    user = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    name = CharField(max_length=40)
    post = CharField(max_length=10)
    qualification = CharField(max_length=80, default="")  # e.g. 心理健康教育C证
    active = BooleanField(default=True)
    added_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("school", "post"), False),)


class Training(BaseModel):
    """A training a staff member attended (四、6: every 兼职 within each three years)."""

    staff = ForeignKeyField(ProgrammeStaff, backref="trainings", on_delete="CASCADE")
    day = DateField()
    hours = DecimalField(max_digits=5, decimal_places=1, default=0)
    level = CharField(max_length=10)
    title = CharField(max_length=80)
    attachment_id = IntegerField(null=True)  # the certificate, once attachments exist

    class Meta:
        indexes = ((("staff", "day"), False),)


class CounsellingRoom(BaseModel):
    """The school's 心理辅导室 (四、3). Its opening hours are the school's help-page hours
    (School.counselling_hours), kept once."""

    school = ForeignKeyField(School, unique=True, backref="+", on_delete="CASCADE")
    built = BooleanField(default=False)
    built_year = SmallIntegerField(null=True)
    standard = BooleanField(default=False)  # 达到标准化建设要求
    standard_year = SmallIntegerField(null=True)
    equipment = CharField(max_length=200, default="")  # comma-separated ROOM_EQUIPMENT

    @property
    def equipment_list(self):
        return [code for code in self.equipment.split(",") if code]


class EmergencyPlan(BaseModel):
    """The school's 应急预案 (四、12) on file. Its steps are incident PlanStep rows of the school,
    which the critical-incident checklist then uses instead of the county's default."""

    school = ForeignKeyField(School, unique=True, backref="+", on_delete="CASCADE")
    approved_on = DateField()  # approved, or last reviewed
    last_drill_on = DateField(null=True)
    attachment_id = IntegerField(null=True)  # the signed document, once attachments exist
    updated_at = DateTimeField(default=utcnow)


class ProgrammeActivity(BaseModel):
    """One logged activity: a 心理健康课 for a class, a 法治 activity, a 家长学校 session, …"""

    school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
    school_class = ForeignKeyField(SchoolClass, null=True, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=16)
    day = DateField()
    topic = CharField(max_length=80)
    author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)

    class Meta:
        # (kind, day, school): the county matrix's count of the school-level kinds (migration 0032)
        indexes = ((("school", "kind", "day"), False), (("school_class", "day"), False),
                   (("kind", "day", "school"), False))


class Requirement(BaseModel):
    """One line of the plan's numbers, as the county keeps them: what is checked, per school or
    per class, how many in which period, and the plan's § it comes from."""

    key = CharField(max_length=24, unique=True)
    check = CharField(max_length=20)
    kind = CharField(max_length=16, default="")  # the activity kind counted (check "activity")
    per = CharField(max_length=8, default="school")
    period = CharField(max_length=8, default="term")
    count = SmallIntegerField(default=1)
    section = CharField(max_length=12)
    position = SmallIntegerField(default=0)
    active = BooleanField(default=True)
    pace_days = SmallIntegerField(null=True)  # at least one every pace_days days (四、9: 14), or no pace


MODELS = [ProgrammeStaff, Training, CounsellingRoom, EmergencyPlan, ProgrammeActivity, Requirement]

__all__ = [model.__name__ for model in MODELS] + [
    "STAFF_POSTS", "TRAINING_LEVELS", "ACTIVITY_KINDS", "CLASS_KINDS", "ROOM_EQUIPMENT", "CHECKS", "PERIODS", "PER",
]
