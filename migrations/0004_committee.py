"""Class psychology committee: weekly class reports with named classmates, peer-support log.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
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

    class SchoolClass(Base):
        pass

    class WeeklyReport(Base):
        school_class = ForeignKeyField(SchoolClass, backref="weekly_reports", on_delete="CASCADE")
        week_start = DateField(index=True)
        part = SmallIntegerField(default=0)
        author = ForeignKeyField(User, null=True, backref="weekly_reports", on_delete="SET NULL")
        nil = BooleanField(default=False)
        mood = SmallIntegerField(null=True)
        events = TextField(default="")
        made_at = DateTimeField()
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)
        seen_at = DateTimeField(null=True)
        confirmed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        confirmed_at = DateTimeField(null=True)
        confirm_remark = TextField(default="")

        class Meta:
            indexes = ((("school_class", "week_start", "part"), True),)

    class ReportMention(Base):
        report = ForeignKeyField(WeeklyReport, backref="mentions", on_delete="CASCADE")
        child = ForeignKeyField(Child, backref="report_mentions", on_delete="CASCADE")
        noticed = TextField()
        days = SmallIntegerField(default=1)
        talked = BooleanField(default=False)
        urgency = CharField(max_length=8)

        class Meta:
            indexes = ((("report", "child"), True),)

    class PeerSupport(Base):
        author = ForeignKeyField(User, null=True, backref="peer_support", on_delete="SET NULL")
        school_class = ForeignKeyField(SchoolClass, backref="peer_support", on_delete="CASCADE")
        child = ForeignKeyField(Child, null=True, backref="peer_support", on_delete="CASCADE")
        topics = CharField(max_length=100, default="")
        about = TextField(default="")
        done = TextField()
        tell_teacher = BooleanField(default=False)
        made_at = DateTimeField()
        received_at = DateTimeField(index=True)
        client_uuid = CharField(max_length=36, unique=True)
        seen_at = DateTimeField(null=True)

    models = [WeeklyReport, ReportMention, PeerSupport]
    for model in models + [Child, User, SchoolClass]:
        model._meta.set_database(database)
    return models


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(frozen_models(db))
