"""Sign-ins kept on the server: one row per signed-in browser, holding a digest of the random
token its session and remember cookie carry. Signing out deletes the row, so a copied cookie
stops working; a password change, a second-factor reset, deactivation or "sign out everywhere"
deletes all of a user's rows. A row lives while it is used (seen_at, moved on at most once a
day) and dies after the remember cookie's lifetime without use. The per-user session_version
this replaces is dropped: every browser signed in before the upgrade signs in again.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class User(Base):
        pass

    class SignIn(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        token_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField()
        seen_at = DateTimeField(index=True)

    for model in (User, SignIn):
        model._meta.set_database(database)
    return [SignIn]


def up(migrator, db):
    db.create_tables(frozen_models(db))
    migrator.migrate(migrator.drop_column("user", "session_version"))


def down(migrator, db):
    migrator.migrate(migrator.add_column("user", "session_version", IntegerField(default=1)))
    db.drop_tables(frozen_models(db))
