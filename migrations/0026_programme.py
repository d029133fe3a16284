"""The school's programme register and its compliance (issue 19, 《实施方案》四、3–四、17).

- programme_staff: a school's psychology teachers, 专职 or 兼职, optionally linked to an account;
- training: trainings each attended (date, hours, level), attachment_id for a later certificate;
- counselling_room: built / standard reached and when, equipment checklist;
- emergency_plan: approved (or last reviewed) and last drill; its steps are plan_step rows;
- programme_activity: lessons and other activities a school logs (client_uuid per entry);
- requirement: the county's numbers of the plan, each with its §.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
)


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class School(Base):
        pass

    class SchoolClass(Base):
        pass

    class User(Base):
        pass

    class ProgrammeStaff(Base):
        school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
        user = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        name = CharField(max_length=40)
        post = CharField(max_length=10)
        qualification = CharField(max_length=80, default="")
        active = BooleanField(default=True)
        added_at = DateTimeField()

        class Meta:
            indexes = ((("school", "post"), False),)

    class Training(Base):
        staff = ForeignKeyField(ProgrammeStaff, backref="+", on_delete="CASCADE")
        day = DateField()
        hours = DecimalField(max_digits=5, decimal_places=1, default=0)
        level = CharField(max_length=10)
        title = CharField(max_length=80)
        attachment_id = IntegerField(null=True)

        class Meta:
            indexes = ((("staff", "day"), False),)

    class CounsellingRoom(Base):
        school = ForeignKeyField(School, unique=True, backref="+", on_delete="CASCADE")
        built = BooleanField(default=False)
        built_year = SmallIntegerField(null=True)
        standard = BooleanField(default=False)
        standard_year = SmallIntegerField(null=True)
        equipment = CharField(max_length=200, default="")

    class EmergencyPlan(Base):
        school = ForeignKeyField(School, unique=True, backref="+", on_delete="CASCADE")
        approved_on = DateField()
        last_drill_on = DateField(null=True)
        attachment_id = IntegerField(null=True)
        updated_at = DateTimeField()

    class ProgrammeActivity(Base):
        school = ForeignKeyField(School, backref="+", on_delete="CASCADE")
        school_class = ForeignKeyField(SchoolClass, null=True, backref="+", on_delete="CASCADE")
        kind = CharField(max_length=16)
        day = DateField()
        topic = CharField(max_length=80)
        author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        made_at = DateTimeField()
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)

        class Meta:
            indexes = ((("school", "kind", "day"), False), (("school_class", "day"), False))

    class Requirement(Base):
        key = CharField(max_length=24, unique=True)
        check = CharField(max_length=20)
        kind = CharField(max_length=16, default="")
        per = CharField(max_length=8, default="school")
        period = CharField(max_length=8, default="term")
        count = SmallIntegerField(default=1)
        section = CharField(max_length=12)
        position = SmallIntegerField(default=0)
        active = BooleanField(default=True)

    new = [ProgrammeStaff, Training, CounsellingRoom, EmergencyPlan, ProgrammeActivity, Requirement]
    for model in new + [School, SchoolClass, User]:
        model._meta.set_database(database)
    return new


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(list(reversed(frozen_models(db))))
