"""Dashboard tallies: the table, and the triggers that keep it true on every write.

A tally holds the slow figures of one school or village on one day. Each trigger below deletes
the tallies of the units a changed row counts for, inside the writing transaction, whoever
writes (a form, an import, a bulk update, an erasure); the next read computes them again.
Triggers rather than application hooks, so that no write path can be forgotten.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import CharField, DateField, IntegerField, Model, PostgresqlDatabase, SqliteDatabase, TextField

CLASS_SCHOOL = "SELECT school_id FROM school_class WHERE id = {row}.school_class_id"
CHILD_SCHOOL = ("SELECT sc.school_id FROM child c JOIN school_class sc ON sc.id = c.school_class_id "
                "WHERE c.id = {row}.child_id")
# table -> (tally kind, the units a row of it counts for, with {row} for NEW or OLD).
SOURCES = {
    "home_visit": [("school", CHILD_SCHOOL)],
    "case": [("school", CHILD_SCHOOL)],  # an open case puts a child in the key group
    "school_class": [("school", "SELECT {row}.school_id")],
    "weekly_report": [("school", CLASS_SCHOOL)],
    "user": [("school", CHILD_SCHOOL + " AND {row}.role = 'committee'")],  # the class committee
    "child": [("school", CLASS_SCHOOL), ("village", "SELECT {row}.village_id")],
    "check_in": [("village", "SELECT {row}.village_id")],
    "activity": [("village", "SELECT {row}.village_id")],
    "attendance": [("village", "SELECT village_id FROM activity WHERE id = {row}.activity_id")],
    "left_behind_file": [("village", "SELECT village_id FROM child WHERE id = {row}.child_id")],
    "duty_rule": [("village", None)],  # a rule changes every village's duties
}
OPERATIONS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def frozen_models(database):
    class Tally(Model):
        kind = CharField(max_length=10)
        unit = IntegerField()
        day = DateField()
        figures = TextField()

        class Meta:
            database = None
            legacy_table_names = False
            indexes = ((("kind", "day", "unit"), True), (("kind", "unit"), False))

    Tally._meta.set_database(database)
    return [Tally]


def forget(kind, units, row):
    """The statement that deletes the tallies a row counts for."""
    if units is None:
        return f"DELETE FROM tally WHERE kind = '{kind}'"
    return f"DELETE FROM tally WHERE kind = '{kind}' AND unit IN ({units.format(row=row)})"


def sqlite_triggers():
    for table, targets in SOURCES.items():
        for operation, rows in OPERATIONS.items():
            body = " ".join(forget(kind, units, row) + ";" for row in rows for kind, units in targets)
            yield (f'CREATE TRIGGER tally_{table}_{operation.lower()} AFTER {operation} ON "{table}" '
                   f"BEGIN {body} END")


def postgres_triggers():
    for table, targets in SOURCES.items():
        new = " ".join(forget(kind, units, "NEW") + ";" for kind, units in targets)
        old = " ".join(forget(kind, units, "OLD") + ";" for kind, units in targets)
        yield (f"CREATE FUNCTION tally_forget_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP <> 'DELETE' THEN {new} END IF; IF TG_OP <> 'INSERT' THEN {old} END IF; "
               f"RETURN NULL; END $$")
        yield (f'CREATE TRIGGER tally_forget_{table} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
               f"FOR EACH ROW EXECUTE FUNCTION tally_forget_{table}()")


def triggers(db):
    if isinstance(db, SqliteDatabase):
        return list(sqlite_triggers())
    if isinstance(db, PostgresqlDatabase):
        return list(postgres_triggers())
    raise RuntimeError("tallies need triggers for this database; only SQLite and PostgreSQL have them")


def up(migrator, db):
    db.create_tables(frozen_models(db))
    for statement in triggers(db):
        db.execute_sql(statement)


def down(migrator, db):
    for table in SOURCES:
        if isinstance(db, SqliteDatabase):
            for operation in OPERATIONS:
                db.execute_sql(f"DROP TRIGGER IF EXISTS tally_{table}_{operation.lower()}")
        else:
            db.execute_sql(f'DROP TRIGGER IF EXISTS tally_forget_{table} ON "{table}"')
            db.execute_sql(f"DROP FUNCTION IF EXISTS tally_forget_{table}()")
    db.drop_tables(frozen_models(db))
