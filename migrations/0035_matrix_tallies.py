"""The county's compliance matrix kept per school and day in the tally table (issue 19): kind
"mx_term" (this term's periods) and "mx_last" (last term's), like the dashboards' tallies (0007).

Each trigger below deletes the matrix tallies of the schools a changed row counts for, in the
writing transaction, whoever writes (an activity logged or deleted, staff added or changed, a
training, the room, the plan, a class of the year, the school's opening hours); a requirement
edited by the county forgets every school's. The next read or the tick computes them again.

Frozen copy: plain SQL, no app models.
"""
from peewee import PostgresqlDatabase, SqliteDatabase

KINDS = "kind IN ('mx_term', 'mx_last')"
SCHOOL = "DELETE FROM tally WHERE " + KINDS + " AND unit IN (SELECT {row}.school_id)"
# table -> the statement that forgets what a row (NEW or OLD, as {row}) counts for.
SOURCES = {
    "programme_activity": SCHOOL,
    "programme_staff": SCHOOL,
    "training": f"DELETE FROM tally WHERE {KINDS} AND unit IN "
                "(SELECT school_id FROM programme_staff WHERE id = {row}.staff_id)",
    "counselling_room": SCHOOL,
    "emergency_plan": SCHOOL,
    "school_class": SCHOOL,
    "school": f"DELETE FROM tally WHERE {KINDS} AND unit IN (SELECT {{row}}.id)",  # its opening hours
    "requirement": f"DELETE FROM tally WHERE {KINDS}",
}
OPERATIONS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def sqlite_triggers():
    for table, forget in SOURCES.items():
        for operation, rows in OPERATIONS.items():
            body = " ".join(forget.format(row=row) + ";" for row in rows)
            yield (f'CREATE TRIGGER matrix_tally_{table}_{operation.lower()} AFTER {operation} ON "{table}" '
                   f"BEGIN {body} END")


def postgres_triggers():
    for table, forget in SOURCES.items():
        yield (f"CREATE FUNCTION matrix_tally_forget_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP <> 'DELETE' THEN {forget.format(row='NEW')}; END IF; "
               f"IF TG_OP <> 'INSERT' THEN {forget.format(row='OLD')}; END IF; RETURN NULL; END $$")
        yield (f'CREATE TRIGGER matrix_tally_forget_{table} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
               f"FOR EACH ROW EXECUTE FUNCTION matrix_tally_forget_{table}()")


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        statements = list(sqlite_triggers())
    elif isinstance(db, PostgresqlDatabase):
        statements = list(postgres_triggers())
    else:
        raise RuntimeError("tallies need triggers for this database; only SQLite and PostgreSQL have them")
    for statement in statements:
        db.execute_sql(statement)
    db.execute_sql(f"DELETE FROM tally WHERE {KINDS}")


def down(migrator, db):
    for table in SOURCES:
        if isinstance(db, SqliteDatabase):
            for operation in OPERATIONS:
                db.execute_sql(f"DROP TRIGGER IF EXISTS matrix_tally_{table}_{operation.lower()}")
        else:
            db.execute_sql(f'DROP TRIGGER IF EXISTS matrix_tally_forget_{table} ON "{table}"')
            db.execute_sql(f"DROP FUNCTION IF EXISTS matrix_tally_forget_{table}()")
    db.execute_sql(f"DELETE FROM tally WHERE {KINDS}")
