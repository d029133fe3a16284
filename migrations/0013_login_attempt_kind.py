"""Sign-in attempts say what they tried: the sign-in itself (password or PIN, then the second
step) or the unlock page (password and a recovery code), each throttled by its own count.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("login_attempt", "kind", CharField(max_length=12, default="sign_in")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("login_attempt", "kind"))
