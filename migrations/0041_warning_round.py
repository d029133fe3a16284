"""A 测评预警 keeps its round (screening_warning.round_id, copied from its result, which never
changes round), with an index on (round_id, closed_at). The zone's and county's home pages count a
round's open and overdue warnings on every reading; through the join to screening_result
PostgreSQL read all 78,000 results of the round (a hash join, 8-13 ms), where this index gives the
thousand open warnings directly (both databases).

Frozen copy: plain SQL and peewee's migrator, no app models.
"""
from peewee import IntegerField

INDEX = ('CREATE INDEX IF NOT EXISTS "screening_warning_round_id_closed_at" '
         'ON "screening_warning" ("round_id", "closed_at")')


def up(migrator, db):
    migrator.migrate(migrator.add_column("screening_warning", "round_id", IntegerField(null=True)))
    db.execute_sql('UPDATE "screening_warning" SET "round_id" = (SELECT "round_id" FROM "screening_result" '
                   'WHERE "screening_result"."id" = "screening_warning"."result_id")')
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "screening_warning_round_id_closed_at"')
    migrator.migrate(migrator.drop_column("screening_warning", "round_id"))
