"""Annual screening (心理测评/普查), issue 18, 《实施方案》四、8.

- screening_round: the county's round (school year, window, grades, instruments);
- screening_setting / screening_setting_change: thresholds and deadlines the county edits, and
  each edit;
- student_number: a pupil's 学籍号 as a screening file gave it;
- screening_result: one pupil's result on one instrument (imported, individual or session);
- screening_warning: a 测评预警 and its follow-up (约谈, outcome);
- screening_import: an uploaded file waiting for the counsellor's confirmation;
- screening_session: a supervised class session;
- self_check_count / self_check_contact: teachers' self-check, counts only, names only on request.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    # Existing tables, referenced by foreign keys only.
    class School(Base):
        pass

    class SchoolClass(Base):
        pass

    class Child(Base):
        pass

    class User(Base):
        pass

    class ScreeningRound(Base):
        school_year = SmallIntegerField(index=True)
        name = CharField(max_length=60)
        opens_on = DateField()
        closes_on = DateField()
        grades = CharField(max_length=40)
        instruments = CharField(max_length=60)
        opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        opened_at = DateTimeField()

    class ScreeningSetting(Base):
        name = CharField(max_length=40, primary_key=True)
        value = IntegerField()

    class ScreeningSettingChange(Base):
        name = CharField(max_length=40)
        old_value = IntegerField()
        new_value = IntegerField()
        changed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        changed_at = DateTimeField(index=True)

    class StudentNumber(Base):
        child = ForeignKeyField(Child, unique=True, backref="+", on_delete="CASCADE")
        number = CharField(max_length=30, unique=True)

    class ScreeningResult(Base):
        round = ForeignKeyField(ScreeningRound, null=True, backref="+", on_delete="RESTRICT")
        child = ForeignKeyField(Child, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(School, null=True, backref="+", on_delete="SET NULL")
        school_class = ForeignKeyField(SchoolClass, null=True, backref="+", on_delete="SET NULL")
        instrument = CharField(max_length=12)
        total = SmallIntegerField()
        subscales = TextField(default="")
        answers = TextField(default="")
        level = CharField(max_length=10, index=True)
        critical = BooleanField(default=False)
        source = CharField(max_length=10)
        taken_on = DateField()
        entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        entered_at = DateTimeField()
        client_uuid = CharField(max_length=40, unique=True)

        class Meta:
            indexes = ((("round", "school"), False),)

    class ScreeningWarning(Base):
        result = ForeignKeyField(ScreeningResult, unique=True, backref="+", on_delete="CASCADE")
        child = ForeignKeyField(Child, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(School, null=True, backref="+", on_delete="SET NULL")
        level = CharField(max_length=10)
        critical = BooleanField(default=False)
        raised_at = DateTimeField()
        due_at = DateTimeField(index=True)
        concern_id = IntegerField(null=True)
        interviewed_on = DateField(null=True)
        interview_note = TextField(default="")
        outcome = CharField(max_length=10, null=True)
        outcome_reason = TextField(default="")
        case_id = IntegerField(null=True)
        rescreen_on = DateField(null=True)
        closed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        closed_at = DateTimeField(null=True, index=True)

        class Meta:
            indexes = ((("school", "closed_at"), False),)

    class ScreeningImport(Base):
        round = ForeignKeyField(ScreeningRound, backref="+", on_delete="CASCADE")
        school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
        uploaded_by = ForeignKeyField(User, backref="+", on_delete="CASCADE")
        uploaded_at = DateTimeField()
        filename = CharField(max_length=120)
        data = BlobField(null=True)
        confirmed_at = DateTimeField(null=True)
        created = IntegerField(default=0)
        unchanged = IntegerField(default=0)
        skipped = IntegerField(default=0)

    class ScreeningSession(Base):
        round = ForeignKeyField(ScreeningRound, null=True, backref="+", on_delete="SET NULL")
        school_class = ForeignKeyField(SchoolClass, backref="+", on_delete="CASCADE")
        instrument = CharField(max_length=12)
        started_by = ForeignKeyField(User, backref="+", on_delete="CASCADE")
        started_at = DateTimeField()
        ended_at = DateTimeField(null=True)

    class SelfCheckCount(Base):
        school = ForeignKeyField(School, null=True, backref="+", on_delete="CASCADE")
        month = CharField(max_length=7)
        instrument = CharField(max_length=12)
        level = CharField(max_length=10)
        count = IntegerField(default=0)

        class Meta:
            indexes = ((("school", "month", "instrument", "level"), True),)

    class SelfCheckContact(Base):
        user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
        level = CharField(max_length=10)
        critical = BooleanField(default=False)
        asked_at = DateTimeField()
        handled_at = DateTimeField(null=True)

    new = [ScreeningRound, ScreeningSetting, ScreeningSettingChange, StudentNumber, ScreeningResult,
           ScreeningWarning, ScreeningImport, ScreeningSession, SelfCheckCount, SelfCheckContact]
    for model in new + [School, SchoolClass, Child, User]:
        model._meta.set_database(database)
    return new


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(frozen_models(db))))
