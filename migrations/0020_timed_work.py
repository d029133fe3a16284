"""Timed work that runs by itself (issue 16): a lease so that one tick at a time does the work,
whichever host or process starts it, and alerts retried with backoff that show as failed.

- lease: one row per kind of work ("tick"); a tick takes it with a conditional UPDATE (free or
  expired) and gives it back when done. A holder that died loses it when it expires.
- outbound_message.next_attempt_at: a failed alert is not tried again before this time
  (doubling from one minute, capped); last_attempt_at and failure (a short code for the kind of
  error, shown to the county) say what happened last.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField, DateTimeField, Model


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class Lease(Base):
        name = CharField(max_length=40, primary_key=True)
        holder = CharField(max_length=100, default="")
        expires_at = DateTimeField(null=True)

    Lease._meta.set_database(database)
    return [Lease]


def up(migrator, db):
    db.create_tables(frozen_models(db))
    migrator.migrate(
        migrator.add_column("outbound_message", "next_attempt_at", DateTimeField(null=True)),
        migrator.add_column("outbound_message", "last_attempt_at", DateTimeField(null=True)),
        migrator.add_column("outbound_message", "failure", CharField(max_length=20, default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("outbound_message", "failure"),
        migrator.drop_column("outbound_message", "last_attempt_at"),
        migrator.drop_column("outbound_message", "next_attempt_at"),
    )
    db.drop_tables(frozen_models(db))
