"""Two-factor sign-in: TOTP fields on the user, and hashed one-time recovery codes.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class User(Base):
        pass

    class RecoveryCode(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        code_hash = CharField(max_length=200)
        created_at = DateTimeField()
        used_at = DateTimeField(null=True)

    for model in (User, RecoveryCode):
        model._meta.set_database(database)
    return [RecoveryCode]


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "totp_secret", CharField(max_length=64, null=True)),
        migrator.add_column("user", "totp_enabled", BooleanField(default=False)),
        migrator.add_column("user", "totp_last_step", IntegerField(default=0)),
    )
    db.create_tables(frozen_models(db))


def down(migrator, db):
    db.drop_tables(frozen_models(db))
    migrator.migrate(
        migrator.drop_column("user", "totp_last_step"),
        migrator.drop_column("user", "totp_enabled"),
        migrator.drop_column("user", "totp_secret"),
    )
