"""A count per user of the times every sign-in was ended ("sign out everywhere", a password
change, a second-factor reset, deactivation). The password step keeps it in the session, and the
second step is refused once it has moved on: the sign_in rows (0012) end signed-in browsers,
but a browser halfway through signing in has no row yet.

Plain ALTER TABLE, not the migrator's add_column: for a NOT NULL column the migrator rebuilds a
SQLite table, and a rebuilt "user" loses the triggers other migrations put on it (the
dashboards' tallies forget a school's figures when a committee member is appointed or leaves).
Both databases take a NOT NULL column with a default in one statement.
"""


def up(migrator, db):
    db.execute_sql('ALTER TABLE "user" ADD COLUMN "sign_outs" INTEGER NOT NULL DEFAULT 0')


def down(migrator, db):
    db.execute_sql('ALTER TABLE "user" DROP COLUMN "sign_outs"')
