"""Screening coverage tallies (issue 18): the county's and zones' coverage figures kept per school
and round in the tally table (kind "scr<round id>"), like the dashboards' (0007).

Each trigger below deletes the screening tallies of the schools a changed row counts for, in the
writing transaction, whoever writes (an import, an individual or session result, a follow-up, a
pupil moving class or school, a class changing grade, a round's grades edited); the next read
computes them again. A result or warning without a school counts for unit 0 (the county's).

Frozen copy: plain SQL, no app models.
"""
from peewee import PostgresqlDatabase, SqliteDatabase

ALL_ROUNDS = "substr(kind, 1, 3) = 'scr'"  # no '%': drivers read it as a placeholder
CLASS_SCHOOL = "SELECT school_id FROM school_class WHERE id = {row}.school_class_id"
RESULT_SCHOOLS = ("SELECT COALESCE({row}.school_id, 0) UNION "
                  "SELECT COALESCE(school_id, 0) FROM screening_warning WHERE result_id = {row}.id")
# table -> the statement that forgets what a row (NEW or OLD, as {row}) counts for.
SOURCES = {
    "screening_result": f"DELETE FROM tally WHERE {ALL_ROUNDS} AND unit IN ({RESULT_SCHOOLS})",
    "screening_warning": f"DELETE FROM tally WHERE {ALL_ROUNDS} AND unit IN (SELECT COALESCE({{row}}.school_id, 0))",
    "child": f"DELETE FROM tally WHERE {ALL_ROUNDS} AND unit IN ({CLASS_SCHOOL})",
    "school_class": f"DELETE FROM tally WHERE {ALL_ROUNDS} AND unit IN (SELECT {{row}}.school_id)",
    "screening_round": "DELETE FROM tally WHERE kind = 'scr' || {row}.id",
}
OPERATIONS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def sqlite_triggers():
    for table, forget in SOURCES.items():
        for operation, rows in OPERATIONS.items():
            body = " ".join(forget.format(row=row) + ";" for row in rows)
            yield (f'CREATE TRIGGER screening_tally_{table}_{operation.lower()} AFTER {operation} ON "{table}" '
                   f"BEGIN {body} END")


def postgres_triggers():
    for table, forget in SOURCES.items():
        yield (f"CREATE FUNCTION screening_tally_forget_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP <> 'DELETE' THEN {forget.format(row='NEW')}; END IF; "
               f"IF TG_OP <> 'INSERT' THEN {forget.format(row='OLD')}; END IF; RETURN NULL; END $$")
        yield (f'CREATE TRIGGER screening_tally_forget_{table} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
               f"FOR EACH ROW EXECUTE FUNCTION screening_tally_forget_{table}()")


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        statements = list(sqlite_triggers())
    elif isinstance(db, PostgresqlDatabase):
        statements = list(postgres_triggers())
    else:
        raise RuntimeError("tallies need triggers for this database; only SQLite and PostgreSQL have them")
    for statement in statements:
        db.execute_sql(statement)
    db.execute_sql(f"DELETE FROM tally WHERE {ALL_ROUNDS}")


def down(migrator, db):
    for table in SOURCES:
        if isinstance(db, SqliteDatabase):
            for operation in OPERATIONS:
                db.execute_sql(f"DROP TRIGGER IF EXISTS screening_tally_{table}_{operation.lower()}")
        else:
            db.execute_sql(f'DROP TRIGGER IF EXISTS screening_tally_forget_{table} ON "{table}"')
            db.execute_sql(f"DROP FUNCTION IF EXISTS screening_tally_forget_{table}()")
    db.execute_sql(f"DELETE FROM tally WHERE {ALL_ROUNDS}")
