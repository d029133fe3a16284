"""A count per user of the times every sign-in was ended ("sign out everywhere", a password
change, a second-factor reset, deactivation). The password step keeps it in the session, and the
second step is refused once it has moved on: the sign_in rows (0012) end signed-in browsers,
but a browser halfway through signing in has no row yet.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "sign_outs", IntegerField(default=0)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "sign_outs"))
