"""Tallies keep a detail beside their figures: a village's duty plan of the day, for its child
worker's pages (the figures alone are what the dashboards read).

The same triggers (0007) delete the row, detail and all, on any write to a record the plan
reads. Tallies already stored have no detail: they are forgotten, and the next reader or the
tick computes them again.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("tally", "detail", TextField(null=True)))
    db.execute_sql("DELETE FROM tally")


def down(migrator, db):
    migrator.migrate(migrator.drop_column("tally", "detail"))
