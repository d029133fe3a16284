"""The county's people and places, sign-in throttling and the audit log.

Models here are a frozen copy of the schema as it was when this migration was written;
later migrations change it, so this file must not import the application's models.
"""
from peewee import (
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

    class Zone(Base):
        name = CharField(max_length=50, unique=True)

    class Township(Base):
        name = CharField(max_length=50, unique=True)

    class Village(Base):
        township = ForeignKeyField(Township, on_delete="RESTRICT")
        name = CharField(max_length=50)
        home_name = CharField(max_length=80, default="")

        class Meta:
            indexes = ((("township", "name"), True),)

    class School(Base):
        name = CharField(max_length=80, unique=True)
        stage = CharField(max_length=12, default="primary")
        zone = ForeignKeyField(Zone, on_delete="RESTRICT")
        township = ForeignKeyField(Township, null=True, on_delete="SET NULL")
        mailbox = CharField(max_length=120, default="")
        counselling_hours = CharField(max_length=120, default="")

    class SchoolClass(Base):
        school = ForeignKeyField(School, on_delete="RESTRICT")
        school_year = SmallIntegerField(index=True)
        grade = SmallIntegerField()
        number = SmallIntegerField()

        class Meta:
            indexes = ((("school", "school_year", "grade", "number"), True),)

    class Child(Base):
        name = CharField(max_length=40)
        name_initials = CharField(max_length=40, index=True)
        name_pinyin = CharField(max_length=160, index=True)
        sex = CharField(max_length=1)
        birth_date = DateField(null=True)
        school = ForeignKeyField(School, null=True, on_delete="RESTRICT")
        school_class = ForeignKeyField(SchoolClass, null=True, on_delete="SET NULL")
        village = ForeignKeyField(Village, null=True, on_delete="RESTRICT")
        left_behind = BooleanField(default=False)
        single_parent = BooleanField(default=False)
        in_difficulty = BooleanField(default=False)
        guardian_name = CharField(max_length=40, default="")
        guardian_relation = CharField(max_length=20, default="")
        guardian_phone = CharField(max_length=20, default="")
        client_uuid = CharField(max_length=36, null=True, unique=True)
        created_at = DateTimeField()

    class User(Base):
        username = CharField(max_length=40, unique=True)
        display_name = CharField(max_length=40)
        phone = CharField(max_length=20, default="")
        role = CharField(max_length=16, index=True)
        password_hash = CharField(max_length=200)
        zone = ForeignKeyField(Zone, null=True, on_delete="RESTRICT")
        school = ForeignKeyField(School, null=True, on_delete="RESTRICT")
        child = ForeignKeyField(Child, null=True, unique=True, on_delete="CASCADE")
        locale = CharField(max_length=12, null=True)
        active = BooleanField(default=True)
        session_version = IntegerField(default=1)
        created_at = DateTimeField()

    class ClassTeacher(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        school_class = ForeignKeyField(SchoolClass, on_delete="CASCADE")

        class Meta:
            indexes = ((("user", "school_class"), True),)

    class WorkerVillage(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        village = ForeignKeyField(Village, on_delete="CASCADE")

        class Meta:
            indexes = ((("user", "village"), True),)

    class LoginAttempt(Base):
        username = CharField(max_length=40, index=True)
        address = CharField(max_length=64, index=True)
        at = DateTimeField(index=True)
        succeeded = BooleanField(default=False)

    class AuditEvent(Base):
        at = DateTimeField(index=True)
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        username = CharField(max_length=40, default="")
        action = CharField(max_length=40, index=True)
        object_type = CharField(max_length=30, default="")
        object_id = IntegerField(null=True)
        child_id = IntegerField(null=True, index=True)
        address = CharField(max_length=64, default="")
        detail = TextField(default="")

    models = [Zone, Township, Village, School, SchoolClass, Child, User, ClassTeacher,
              WorkerVillage, LoginAttempt, AuditEvent]
    for model in models:
        model._meta.set_database(database)
    return models


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(frozen_models(db))
