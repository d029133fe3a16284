"""Link requests: a child worker's registration that may be a pupil outside her villages'
catchment, for the county or the pupil's school to confirm or refuse (issue 14, item 5).

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, Model


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

    class LeftBehindFile(Base):
        pass

    class LinkRequest(Base):
        worker = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        child = ForeignKeyField(Child, backref="link_requests", on_delete="CASCADE")
        record = ForeignKeyField(LeftBehindFile, unique=True, backref="link_requests", on_delete="CASCADE")
        status = CharField(max_length=10, default="pending", index=True)
        decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        decided_at = DateTimeField(null=True)
        made_at = DateTimeField()
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)

    for model in (LinkRequest, Child, User, LeftBehindFile):
        model._meta.set_database(database)
    return [LinkRequest]


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(frozen_models(db))
