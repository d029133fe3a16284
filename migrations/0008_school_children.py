"""How many children each school has, counted on write by triggers, for the county and zone homes.

Counting a county's children per school reads a quarter of a million index entries on every
visit to those homes; an exact counter moved by one on each insert, delete or change of school
costs nothing to read. Triggers rather than application code, so that no write path (a form, an
import, an erasure) can forget it. Nothing in the app writes the table.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import ForeignKeyField, IntegerField, Model, PostgresqlDatabase, SqliteDatabase


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class School(Base):
        pass

    class SchoolChildren(Base):
        school = ForeignKeyField(School, primary_key=True, on_delete="CASCADE")
        children = IntegerField(default=0)

    for model in (School, SchoolChildren):
        model._meta.set_database(database)
    return [SchoolChildren]


def _add(row, step):
    return (f"INSERT INTO school_children (school_id, children) VALUES ({row}.school_id, {step}) "
            f"ON CONFLICT (school_id) DO UPDATE SET children = school_children.children + {step}")


SQLITE = (
    f"CREATE TRIGGER school_children_insert AFTER INSERT ON child WHEN NEW.school_id IS NOT NULL "
    f"BEGIN {_add('NEW', 1)}; END",
    f"CREATE TRIGGER school_children_delete AFTER DELETE ON child WHEN OLD.school_id IS NOT NULL "
    f"BEGIN {_add('OLD', -1)}; END",
    "CREATE TRIGGER school_children_move AFTER UPDATE OF school_id ON child "
    "WHEN OLD.school_id IS NOT NEW.school_id BEGIN "
    "UPDATE school_children SET children = children - 1 WHERE school_id = OLD.school_id; "
    "INSERT INTO school_children (school_id, children) SELECT NEW.school_id, 1 WHERE NEW.school_id IS NOT NULL "
    "ON CONFLICT (school_id) DO UPDATE SET children = school_children.children + 1; END",
)
POSTGRES = (
    "CREATE FUNCTION school_children_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' AND OLD.school_id IS NOT NULL "
    "AND (TG_OP = 'DELETE' OR OLD.school_id IS DISTINCT FROM NEW.school_id) THEN "
    f"{_add('OLD', -1)}; END IF; "
    "IF TG_OP <> 'DELETE' AND NEW.school_id IS NOT NULL "
    "AND (TG_OP = 'INSERT' OR OLD.school_id IS DISTINCT FROM NEW.school_id) THEN "
    f"{_add('NEW', 1)}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER school_children_count AFTER INSERT OR UPDATE OF school_id OR DELETE ON child "
    "FOR EACH ROW EXECUTE FUNCTION school_children_count()",
)
COUNT_EXISTING = ("INSERT INTO school_children (school_id, children) "
                  "SELECT school_id, COUNT(*) FROM child WHERE school_id IS NOT NULL GROUP BY school_id")


def up(migrator, db):
    db.create_tables(frozen_models(db))
    if isinstance(db, SqliteDatabase):
        statements = SQLITE
    elif isinstance(db, PostgresqlDatabase):
        statements = POSTGRES
    else:
        raise RuntimeError("the children counter needs triggers; only SQLite and PostgreSQL have them")
    for statement in statements:
        db.execute_sql(statement)
    db.execute_sql(COUNT_EXISTING)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for name in ("insert", "delete", "move"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS school_children_{name}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS school_children_count ON child")
        db.execute_sql("DROP FUNCTION IF EXISTS school_children_count()")
    db.drop_tables(frozen_models(db))
