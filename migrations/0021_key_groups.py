"""The key groups of 《实施方案》四、11 on the child (三类人群 and 有精神病史学生).

- child.problem_family: 问题家庭学生, set by the school (a visit, the child's page), audited.
- psychiatric_history: 有精神病史学生, one row per child, set by psychology teachers.
- 留守 stays the one column child.left_behind, and the left-behind register keeps it true:
  a trigger sets it whenever a file is filed on a child or moved onto a pupil, whoever writes
  (the worker's form, a link, an import), so the register and the tag cannot disagree when a
  file arrives. A later home visit that finds the parents back may still clear it.
  Children with a file but no tag are tagged once here, unless a visit has recorded their family
  situation since (it may have cleared the tag on purpose).
- 心理健康问题 needs nothing stored: it is "has an open case", asked of the case table.
- The tallies' triggers (0007) learn the new table: a psychiatric history puts a pupil in the
  visit rule's key group, so it forgets her school's tally. Stored tallies are dropped, so the
  dashboards' new counts are there from the next read.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import DateTimeField, ForeignKeyField, Model, PostgresqlDatabase, SqliteDatabase

CHILD_SCHOOL = ("SELECT sc.school_id FROM child c JOIN school_class sc ON sc.id = c.school_class_id "
                "WHERE c.id = {row}.child_id")
FORGET = "DELETE FROM tally WHERE kind = 'school' AND unit IN (" + CHILD_SCHOOL + ")"
TAG = "UPDATE child SET left_behind = {true} WHERE id = NEW.child_id AND NOT left_behind"

SQLITE = (
    *(f"CREATE TRIGGER tally_psychiatric_history_{op.lower()} AFTER {op} ON psychiatric_history BEGIN "
      + " ".join(FORGET.format(row=row) + ";" for row in rows) + " END"
      for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")), ("DELETE", ("OLD",)))),
    f"CREATE TRIGGER left_behind_file_tags_insert AFTER INSERT ON left_behind_file BEGIN {TAG.format(true=1)}; END",
    "CREATE TRIGGER left_behind_file_tags_move AFTER UPDATE OF child_id ON left_behind_file "
    f"BEGIN {TAG.format(true=1)}; END",
)
POSTGRES = (
    "CREATE FUNCTION tally_forget_psychiatric_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'DELETE' THEN {FORGET.format(row='NEW')}; END IF; "
    f"IF TG_OP <> 'INSERT' THEN {FORGET.format(row='OLD')}; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER tally_forget_psychiatric_history AFTER INSERT OR UPDATE OR DELETE ON psychiatric_history "
    "FOR EACH ROW EXECUTE FUNCTION tally_forget_psychiatric_history()",
    "CREATE FUNCTION left_behind_file_tags() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"{TAG.format(true='TRUE')}; RETURN NULL; END $$",
    "CREATE TRIGGER left_behind_file_tags AFTER INSERT OR UPDATE OF child_id ON left_behind_file "
    "FOR EACH ROW EXECUTE FUNCTION left_behind_file_tags()",
)
BOOLEAN = "BOOLEAN"  # SQLite keeps it as an integer, as peewee's BooleanField does
FILL = ("UPDATE child SET left_behind = {true} WHERE NOT left_behind AND family_situation_on IS NULL "
        "AND id IN (SELECT child_id FROM left_behind_file)")


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    # Existing tables, referenced by foreign keys only.
    class Child(Base):
        pass

    class User(Base):
        pass

    class PsychiatricHistory(Base):
        child = ForeignKeyField(Child, unique=True, backref="+", on_delete="CASCADE")
        set_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        set_at = DateTimeField()

    for model in (PsychiatricHistory, Child, User):
        model._meta.set_database(database)
    return [PsychiatricHistory]


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        statements, true, false = SQLITE, 1, 0
    elif isinstance(db, PostgresqlDatabase):
        statements, true, false = POSTGRES, "TRUE", "FALSE"
    else:
        raise RuntimeError("the key groups need triggers; only SQLite and PostgreSQL have them")
    # In place: the migrator would rebuild the child table on SQLite, which its triggers forbid.
    db.execute_sql(f"ALTER TABLE child ADD COLUMN problem_family {BOOLEAN} NOT NULL DEFAULT {false}")
    db.create_tables(frozen_models(db))
    db.execute_sql(FILL.format(true=true))
    for statement in statements:
        db.execute_sql(statement)
    db.execute_sql("DELETE FROM tally")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for name in ("tally_psychiatric_history_insert", "tally_psychiatric_history_update",
                     "tally_psychiatric_history_delete", "left_behind_file_tags_insert", "left_behind_file_tags_move"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS left_behind_file_tags ON left_behind_file")
        db.execute_sql("DROP FUNCTION IF EXISTS left_behind_file_tags()")
    db.drop_tables(frozen_models(db))  # its own triggers go with it (PostgreSQL: then the function)
    if not isinstance(db, SqliteDatabase):
        db.execute_sql("DROP FUNCTION IF EXISTS tally_forget_psychiatric_history()")
    db.execute_sql("ALTER TABLE child DROP COLUMN problem_family")
