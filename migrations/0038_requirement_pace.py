"""A requirement's pace (issue 19, 《实施方案》四、9: "at least one 心理健康课 every two weeks"):
requirement.pace_days, at least one record every so many days, checked as the period goes on;
14 for the per-class lessons, none for the rest. Counties that have not changed the plan's
numbers have no rows yet and take the pace from the defaults.

The matrix's kept rows are forgotten: they were computed without the pace.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import SmallIntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("requirement", "pace_days", SmallIntegerField(null=True)))
    db.execute_sql("UPDATE requirement SET pace_days = 14 WHERE key = 'lesson'")
    db.execute_sql("DELETE FROM tally WHERE kind IN ('mx_term', 'mx_last')")


def down(migrator, db):
    migrator.migrate(migrator.drop_column("requirement", "pace_days"))
    db.execute_sql("DELETE FROM tally WHERE kind IN ('mx_term', 'mx_last')")
