"""Each concern carries its child's current school, kept by triggers, for the school-based scopes.

A zone's or a school's concerns are "the concerns about children of these schools". Asked of
the child, that is one lookup of the child per concern in the county (≈2,500 on the zone home,
on every visit); asked of the concern's own copy of the school, it is an index range.

The copy is derived, never written by the app: the triggers set it from the child on every
insert and update of a concern (correcting whatever a write put there) and move it with the
child when she changes school. A concern's child is never deleted before the concern (cascade).

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import IntegerField, PostgresqlDatabase, SqliteDatabase

CHILD_SCHOOL = "(SELECT school_id FROM child WHERE child.id = NEW.child_id)"

SQLITE = (
    f"CREATE TRIGGER concern_school_insert AFTER INSERT ON concern BEGIN "
    f"UPDATE concern SET school_id = {CHILD_SCHOOL} WHERE id = NEW.id; END",
    # Any update (a save of every column included): put back the child's school if it differs.
    # SQLite runs no trigger from inside this one (recursive triggers are off), so it stops here.
    f"CREATE TRIGGER concern_school_update AFTER UPDATE ON concern "
    f"WHEN NEW.school_id IS NOT {CHILD_SCHOOL} BEGIN "
    f"UPDATE concern SET school_id = {CHILD_SCHOOL} WHERE id = NEW.id; END",
    "CREATE TRIGGER concern_school_move AFTER UPDATE OF school_id ON child "
    "WHEN OLD.school_id IS NOT NEW.school_id BEGIN "
    "UPDATE concern SET school_id = NEW.school_id WHERE child_id = NEW.id; END",
)
POSTGRES = (
    "CREATE FUNCTION concern_school() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"NEW.school_id := {CHILD_SCHOOL}; RETURN NEW; END $$",
    "CREATE TRIGGER concern_school BEFORE INSERT OR UPDATE ON concern "
    "FOR EACH ROW EXECUTE FUNCTION concern_school()",
    "CREATE FUNCTION concern_school_move() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE concern SET school_id = NEW.school_id WHERE child_id = NEW.id; RETURN NULL; END $$",
    "CREATE TRIGGER concern_school_move AFTER UPDATE OF school_id ON child FOR EACH ROW "
    "WHEN (OLD.school_id IS DISTINCT FROM NEW.school_id) EXECUTE FUNCTION concern_school_move()",
)
FILL = "UPDATE concern SET school_id = (SELECT school_id FROM child WHERE child.id = concern.child_id)"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("concern", "school_id", IntegerField(null=True)),
        migrator.add_index("concern", ("school_id", "status")),
    )
    if isinstance(db, SqliteDatabase):
        statements = SQLITE
    elif isinstance(db, PostgresqlDatabase):
        statements = POSTGRES
    else:
        raise RuntimeError("the concern's school needs triggers; only SQLite and PostgreSQL have them")
    db.execute_sql(FILL)
    for statement in statements:
        db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for name in ("insert", "update", "move"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS concern_school_{name}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS concern_school ON concern")
        db.execute_sql("DROP TRIGGER IF EXISTS concern_school_move ON child")
        db.execute_sql("DROP FUNCTION IF EXISTS concern_school()")
        db.execute_sql("DROP FUNCTION IF EXISTS concern_school_move()")
    migrator.migrate(
        migrator.drop_index("concern", "concern_school_id_status"),
        migrator.drop_column("concern", "school_id"),
    )
