"""The class psychology committee's records: the weekly class report (班级心理晴雨表) with the
classmates it names, and the peer-support log. Concerns about a classmate are safeguarding
concerns (source "peer_concern") and need no table of their own."""
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
from .county import BaseModel, Child, SchoolClass, User

MOODS = (5, 4, 3, 2, 1)  # the class's mood, five faces from very happy to very sad
SUPPORT_TOPICS = ("study", "friends", "family", "mood", "bullying", "other")


class WeeklyReport(BaseModel):
    """One part of a class's weekly report: part 0 is the report, 1, 2 … are supplements
    (from the other committee member, or a second full report for the same week)."""

    school_class = ForeignKeyField(SchoolClass, backref="weekly_reports", on_delete="CASCADE")
    week_start = DateField(index=True)  # the Monday
    part = SmallIntegerField(default=0)
    author = ForeignKeyField(User, null=True, backref="weekly_reports", on_delete="SET NULL")
    nil = BooleanField(default=False)  # 本周无特殊情况
    mood = SmallIntegerField(null=True)
    events = TextField(default="")
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)
    seen_at = DateTimeField(null=True)  # first opened by a teacher
    confirmed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    confirmed_at = DateTimeField(null=True)
    confirm_remark = TextField(default="")

    class Meta:
        # The unique part number is what turns a second full report into a supplement, even in a race.
        indexes = ((("school_class", "week_start", "part"), True),)


class ReportMention(BaseModel):
    """A classmate named in a weekly report. Read only by her class's head teacher and her
    school's counsellors and principal."""

    report = ForeignKeyField(WeeklyReport, backref="mentions", on_delete="CASCADE")
    child = ForeignKeyField(Child, backref="report_mentions", on_delete="CASCADE")
    noticed = TextField()
    days = SmallIntegerField(default=1)
    talked = BooleanField(default=False)
    urgency = CharField(max_length=8)

    class Meta:
        indexes = ((("report", "child"), True),)


class PeerSupport(BaseModel):
    """朋辈帮扶: a committee member helped a classmate (who may stay unnamed)."""

    author = ForeignKeyField(User, null=True, backref="peer_support", on_delete="SET NULL")
    school_class = ForeignKeyField(SchoolClass, backref="peer_support", on_delete="CASCADE")
    child = ForeignKeyField(Child, null=True, backref="peer_support", on_delete="CASCADE")
    topics = CharField(max_length=100, default="")  # comma-separated SUPPORT_TOPICS
    about = TextField(default="")
    done = TextField()
    tell_teacher = BooleanField(default=False)
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow, index=True)
    client_uuid = CharField(max_length=36, unique=True)
    seen_at = DateTimeField(null=True)

    @property
    def topic_list(self):
        return [t for t in self.topics.split(",") if t]


MODELS = [WeeklyReport, ReportMention, PeerSupport]

__all__ = [model.__name__ for model in MODELS] + ["MOODS", "SUPPORT_TOPICS"]
