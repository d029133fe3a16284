"""Home visits (家访), and the family situation as of the last visit on each child.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, Model, TextField


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

    class Concern(Base):
        pass

    class HomeVisit(Base):
        child = ForeignKeyField(Child, backref="home_visits", on_delete="CASCADE")
        author = ForeignKeyField(User, null=True, backref="home_visits", on_delete="SET NULL")
        school_class = ForeignKeyField(SchoolClass, null=True, backref="+", on_delete="SET NULL")
        visited_on = DateField(index=True)
        mode = CharField(max_length=10, default="on_site")
        received_by = CharField(max_length=60, default="")
        child_present = BooleanField(default=False)
        family_situation = CharField(max_length=200, default="")
        findings = TextField(default="")
        guidance = TextField(default="")
        follow_up = BooleanField(default=False)
        concern = ForeignKeyField(Concern, null=True, backref="+", on_delete="SET NULL")
        made_at = DateTimeField()
        received_at = DateTimeField(index=True)
        corrected_at = DateTimeField(null=True)
        client_uuid = CharField(max_length=36, unique=True)

        class Meta:
            indexes = ((("child", "visited_on"), False),)

    models = [HomeVisit]
    for model in models + [Child, User, SchoolClass, Concern]:
        model._meta.set_database(database)
    return models


def up(migrator, db):
    db.create_tables(frozen_models(db))
    migrator.migrate(
        migrator.add_column("child", "family_situation", CharField(max_length=200, default="")),
        migrator.add_column("child", "family_situation_on", DateField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("child", "family_situation_on"),
        migrator.drop_column("child", "family_situation"),
    )
    db.drop_tables(frozen_models(db))
