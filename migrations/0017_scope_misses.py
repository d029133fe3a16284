"""Out-of-scope 404s counted per account for the probing warning (webapp.trust.probing).

A working table, not a record: each row lives only as long as the probing window (ten minutes by
default) and is deleted after it. The audit log keeps the lasting, rate-limited trace.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField, DateTimeField, IntegerField, Model


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class ScopeMiss(Base):
        user_id = IntegerField()
        at = DateTimeField(index=True)
        target = CharField(max_length=80)

        class Meta:
            indexes = ((("user_id", "at"), False),)

    ScopeMiss._meta.set_database(database)
    return [ScopeMiss]


def up(migrator, db):
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(frozen_models(db))
