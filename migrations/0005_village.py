"""Village child workers: left-behind children's files, check-ins, 童伴之家 activities, duty rules.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
The default duty rules are not seeded here: until the county edits them, the app applies the
defaults of webapp/village/rules.py (and writes them on the first edit).
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
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
    class Child(Base):
        pass

    class User(Base):
        pass

    class Village(Base):
        pass

    class Concern(Base):
        pass

    class LeftBehindFile(Base):
        child = ForeignKeyField(Child, unique=True, backref="village_files", on_delete="CASCADE")
        ethnicity = CharField(max_length=20, default="汉族")
        id_card = CharField(max_length=18, default="")
        school_text = CharField(max_length=80, default="")
        class_text = CharField(max_length=20, default="")
        health = CharField(max_length=10, default="healthy")
        address = CharField(max_length=120, default="")
        boarding = BooleanField(default=False)
        family_situation = CharField(max_length=120, default="")
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
        contact_name = CharField(max_length=40, default="")
        contact_phone = CharField(max_length=20, default="")
        confirmed_by = CharField(max_length=40, default="")
        confirmed_relation = CharField(max_length=20, default="")
        confirmed_on = DateField(null=True)
        confirmed_how = CharField(max_length=10, default="")
        registered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        linked_pupil = BooleanField(default=False)
        made_at = DateTimeField()
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)

    class CheckIn(Base):
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
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)

        class Meta:
            indexes = ((("child", "day"), False), (("village", "day"), False))

    class Activity(Base):
        village = ForeignKeyField(Village, backref="activities", on_delete="RESTRICT")
        worker = ForeignKeyField(User, null=True, backref="activities", on_delete="SET NULL")
        title = CharField(max_length=80)
        day = DateField(index=True)
        minutes = SmallIntegerField(default=60)
        notes = TextField(default="")
        made_at = DateTimeField()
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)

        class Meta:
            indexes = ((("village", "day"), False),)

    class Attendance(Base):
        activity = ForeignKeyField(Activity, backref="attendances", on_delete="CASCADE")
        child = ForeignKeyField(Child, backref="attendances", on_delete="CASCADE")

        class Meta:
            indexes = ((("activity", "child"), True),)

    class DutyRule(Base):
        kind = CharField(max_length=16)
        per = CharField(max_length=8)
        frequency = CharField(max_length=8)
        count = SmallIntegerField(default=1)
        active = BooleanField(default=True)

        class Meta:
            indexes = ((("kind", "per", "frequency"), True),)

    models = [LeftBehindFile, CheckIn, Activity, Attendance, DutyRule]
    for model in models + [Child, User, Village, Concern]:
        model._meta.set_database(database)
    return models


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(frozen_models(db))
