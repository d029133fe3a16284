"""The audit log is append-only in the database itself: triggers refuse every UPDATE and
DELETE of its rows, whoever writes (the app, a script, a cascade), and an account the log
names can no longer be deleted (its foreign key was ON DELETE SET NULL, which rewrote the
actor of every event of a deleted account; it becomes RESTRICT). An erased pupil's account is
kept as a nameless tombstone instead (trust.rights).

Emptying the table (the tests, between runs) drops the triggers around the DELETE on SQLite;
PostgreSQL's TRUNCATE fires no row triggers.

Frozen copy of the SQL at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import PostgresqlDatabase, SqliteDatabase

REFUSAL = "audit events are append-only"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_event_no_{operation.lower()} BEFORE {operation} ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for operation in ("UPDATE", "DELETE")
]

POSTGRES_TRIGGERS = [
    "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    # The message by concatenation: a "%" placeholder would be read by the driver's formatting.
    f"BEGIN RAISE EXCEPTION USING MESSAGE = '{REFUSAL}: ' || TG_OP || ' refused'; END $$",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]


def _sqlite_user_fk(db, old, new):
    """SQLite cannot alter a foreign key: rebuild the table from its own DDL with the action
    replaced, rows and ids copied as they are (an INSERT, before the triggers exist)."""
    (create,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_event'").fetchone()
    indexes = [sql for (sql,) in db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_event' AND sql IS NOT NULL")]
    clause = f'REFERENCES "user" ("id") ON DELETE {old}'
    if clause not in create:
        raise RuntimeError(f"audit_event's user key is not {old}: {create}")
    create = create.replace(clause, f'REFERENCES "user" ("id") ON DELETE {new}')
    create = create.replace('CREATE TABLE "audit_event"', 'CREATE TABLE "audit_event_rebuilt"', 1)
    db.execute_sql(create)
    db.execute_sql('INSERT INTO "audit_event_rebuilt" SELECT * FROM "audit_event"')
    db.execute_sql('DROP TABLE "audit_event"')
    db.execute_sql('ALTER TABLE "audit_event_rebuilt" RENAME TO "audit_event"')
    for sql in indexes:
        db.execute_sql(sql)


def _postgres_user_fk(db, action):
    names = [name for (name,) in db.execute_sql(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_event'::regclass AND contype = 'f'")]
    for name in names:
        db.execute_sql(f'ALTER TABLE audit_event DROP CONSTRAINT "{name}"')
    db.execute_sql('ALTER TABLE audit_event ADD CONSTRAINT audit_event_user_id_fkey FOREIGN KEY (user_id) '
                   f'REFERENCES "user" (id) ON DELETE {action}')


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        _sqlite_user_fk(db, "SET NULL", "RESTRICT")
        for sql in SQLITE_TRIGGERS:
            db.execute_sql(sql)
    elif isinstance(db, PostgresqlDatabase):
        _postgres_user_fk(db, "RESTRICT")
        for sql in POSTGRES_TRIGGERS:
            db.execute_sql(sql)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for operation in ("update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS audit_event_no_{operation}")
        _sqlite_user_fk(db, "RESTRICT", "SET NULL")
    elif isinstance(db, PostgresqlDatabase):
        db.execute_sql("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        db.execute_sql("DROP FUNCTION IF EXISTS audit_event_append_only()")
        _postgres_user_fk(db, "SET NULL")
