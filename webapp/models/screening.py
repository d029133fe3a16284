"""Annual screening (心理测评/普查), 《实施方案》四、8: rounds, results, 测评预警 and their follow-up,
supervised class sessions, and teachers' anonymous self-check counts.

An instrument (PHQ-9, GAD-7, MHT) is data (webapp/screening/instruments/*.json), named here by its
code. A result keeps its level as it was computed then: a later threshold change does not rewrite
what a counsellor was told to follow up.
"""
from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from ..clock import utcnow
from .county import BaseModel, Child, School, SchoolClass, User

RESULT_SOURCES = ("import", "individual", "session")  # 导入 / 个别测评 / 团体测评
WARNING_OUTCOMES = ("excluded", "monitor", "case")  # 排除 / 继续关注 / 建立或并入一生一策


class ScreeningRound(BaseModel):
    """A county's screening of one school year: a window, the grades, the instruments."""

    school_year = SmallIntegerField(index=True)
    name = CharField(max_length=60)
    opens_on = DateField()
    closes_on = DateField()
    grades = CharField(max_length=40)  # comma-separated grade numbers, e.g. "4,5,6,7,8,9"
    instruments = CharField(max_length=60)  # comma-separated instrument codes
    opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    opened_at = DateTimeField(default=utcnow)

    @property
    def grade_list(self):
        return [int(g) for g in self.grades.split(",") if g]

    @property
    def instrument_list(self):
        return [code for code in self.instruments.split(",") if code]


class ScreeningSetting(BaseModel):
    """A number the county may change, by name: thresholds ("phq9.key") and follow-up deadlines
    ("due.high"). Absent: the instrument's or the module's default."""

    name = CharField(max_length=40, primary_key=True)
    value = IntegerField()


class ScreeningSettingChange(BaseModel):
    """Each edit of a setting, shown on the round pages (besides the audit log)."""

    name = CharField(max_length=40)
    old_value = IntegerField()
    new_value = IntegerField()
    changed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    changed_at = DateTimeField(default=utcnow, index=True)


class StudentNumber(BaseModel):
    """A pupil's 学籍号 as a screening file gave it, so the next file matches her by it."""

    child = ForeignKeyField(Child, unique=True, backref="+", on_delete="CASCADE")
    number = CharField(max_length=30, unique=True)


class ScreeningResult(BaseModel):
    """One pupil's result on one instrument. Answers only when taken in the app."""

    round = ForeignKeyField(ScreeningRound, null=True, backref="results", on_delete="RESTRICT")
    child = ForeignKeyField(Child, backref="screening_results", on_delete="CASCADE")
    school = ForeignKeyField(School, null=True, backref="+", on_delete="SET NULL")
    school_class = ForeignKeyField(SchoolClass, null=True, backref="+", on_delete="SET NULL")
    instrument = CharField(max_length=12)
    total = SmallIntegerField()
    subscales = TextField(default="")  # JSON {code: score}
    answers = TextField(default="")  # JSON [score per item], in-app administrations only
    level = CharField(max_length=10, index=True)
    critical = BooleanField(default=False)
    source = CharField(max_length=10)
    taken_on = DateField()
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    entered_at = DateTimeField(default=utcnow)
    # Imports: derived from (round, child, instrument, date), so a file imported again adds nothing.
    client_uuid = CharField(max_length=40, unique=True)

    class Meta:
        indexes = ((("round", "school"), False),)


class ScreeningWarning(BaseModel):
    """A 测评预警: a result at 关注 or above, or a critical answer, waiting for its follow-up
    interview (约谈) by a deadline; closed only with an outcome."""

    result = ForeignKeyField(ScreeningResult, unique=True, backref="warnings", on_delete="CASCADE")
    child = ForeignKeyField(Child, backref="screening_warnings", on_delete="CASCADE")
    school = ForeignKeyField(School, null=True, backref="+", on_delete="SET NULL")
    level = CharField(max_length=10)
    critical = BooleanField(default=False)
    raised_at = DateTimeField(default=utcnow)
    due_at = DateTimeField(index=True)
    # Its result's round (which never changes), kept here so a round's open warnings are read from
    # an index without joining every result of the round (migration 0041).
    round_id = IntegerField(null=True)
    concern_id = IntegerField(null=True)  # the urgent concern a critical answer raised
    interviewed_on = DateField(null=True)
    interview_note = TextField(default="")
    outcome = CharField(max_length=10, null=True)
    outcome_reason = TextField(default="")
    case_id = IntegerField(null=True)
    rescreen_on = DateField(null=True)
    closed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    closed_at = DateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("school", "closed_at"), False), (("round_id", "closed_at"), False))


class ScreeningImport(BaseModel):
    """An uploaded file waiting for the counsellor's confirmation (then emptied)."""

    round = ForeignKeyField(ScreeningRound, backref="+", on_delete="CASCADE")
    school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
    uploaded_by = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    uploaded_at = DateTimeField(default=utcnow)
    filename = CharField(max_length=120)
    data = BlobField(null=True)
    confirmed_at = DateTimeField(null=True)
    created = IntegerField(default=0)
    unchanged = IntegerField(default=0)
    skipped = IntegerField(default=0)


class ScreeningSession(BaseModel):
    """A supervised class session on a school device: started and ended by the counsellor."""

    round = ForeignKeyField(ScreeningRound, null=True, backref="+", on_delete="SET NULL")
    school_class = ForeignKeyField(SchoolClass, backref="+", on_delete="CASCADE")
    instrument = CharField(max_length=12)
    started_by = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    started_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)


class SelfCheckCount(BaseModel):
    """Teachers' self-check: no person, only how many of a school took an instrument in a month
    and at which level (shown only from 5 up)."""

    school = ForeignKeyField(School, null=True, backref="+", on_delete="CASCADE")
    month = CharField(max_length=7)  # "2026-11"
    instrument = CharField(max_length=12)
    level = CharField(max_length=10)
    count = IntegerField(default=0)

    class Meta:
        indexes = ((("school", "month", "instrument", "level"), True),)


class SelfCheckContact(BaseModel):
    """A teacher who asked to be contacted: her name, the level, no answers."""

    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    level = CharField(max_length=10)
    critical = BooleanField(default=False)
    asked_at = DateTimeField(default=utcnow)
    handled_at = DateTimeField(null=True)


MODELS = [ScreeningRound, ScreeningSetting, ScreeningSettingChange, StudentNumber, ScreeningResult,
          ScreeningWarning, ScreeningImport, ScreeningSession, SelfCheckCount, SelfCheckContact]

__all__ = [model.__name__ for model in MODELS] + ["RESULT_SOURCES", "WARNING_OUTCOMES"]
