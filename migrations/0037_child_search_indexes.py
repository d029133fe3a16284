"""Indexes for finding children by name and listing them in pinyin order (issue 20).

1. PostgreSQL: child (name_pinyin, id): the children lists and the search page are ordered by pinyin then
   id; with the id in the index a pinyin range ("wang") is read from the index alone, in order,
   instead of fetching thousands of rows to sort them (the county's "wang": 25 -> 3 ms). SQLite's
   index on name_pinyin already holds each row's id (its rowid) in that order.
2. PostgreSQL: child_name_grams(name), every one- and two-character piece of a lowered
   name, and a GIN index over it. A name search ("方飞", name ILIKE '%方飞%') first asks the
   index for the names holding all the pieces of what was typed, then checks the ILIKE on
   those few. pg_trgm's trigram index does not do: a piece of a name shorter than three
   characters has no trigram, so for a two-character search (half the county's names have two
   characters) PostgreSQL read the whole index and rechecked all 248,000 rows (about 200 ms; a
   sequential scan, its choice, 57 ms).
3. SQLite: the same pieces kept in a table, child_name_gram (gram, child_id), by triggers on
   every insert, change of name and delete of a child, filled here for the children already
   there. A name search looks up its first piece (the whole text when it has two characters)
   and checks LIKE on those few children, where LIKE alone read the whole table (about 35 ms
   a search at county scale, and 0.5 s when SQLite walked the pinyin index to keep the order).

Frozen copy: plain SQL, no app models.
"""
from peewee import PostgresqlDatabase, SqliteDatabase

ORDER_INDEX = 'CREATE INDEX IF NOT EXISTS "child_pinyin_order" ON "child" ("name_pinyin", "id")'
# IMMUTABLE so an index may hold it; lower() as ILIKE does, so the pieces match what ILIKE matches.
GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION child_name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(lower(name), start, width)), '{}')
    FROM generate_series(1, char_length(name)) AS start, (VALUES (1), (2)) AS widths(width)
    WHERE start + width - 1 <= char_length(name)
$$"""
GRAMS_INDEX = 'CREATE INDEX IF NOT EXISTS "child_name_grams" ON "child" USING gin (child_name_grams("name"))'

SQLITE_TABLE = ('CREATE TABLE IF NOT EXISTS "child_name_gram" ("gram" TEXT NOT NULL, "child_id" INTEGER NOT NULL, '
                'PRIMARY KEY ("gram", "child_id")) WITHOUT ROWID')
# A trigger may not hold a WITH: the starts come from json_each over 1..40, a name's longest (Child.name).
STARTS = "[" + ", ".join(str(n) for n in range(1, 41)) + "]"
PIECES = ('INSERT OR IGNORE INTO "child_name_gram" ("gram", "child_id") '
          "SELECT substr(lower({row}.name), start.value, width.value), {row}.id "
          f"FROM {{source}}json_each('{STARTS}') AS start, json_each('[1, 2]') AS width "
          "WHERE start.value + width.value - 1 <= length({row}.name)")
# By the old name's pieces, so the deletion finds its rows by the primary key.
FORGET = ('DELETE FROM "child_name_gram" WHERE "child_id" = OLD.id AND "gram" IN ('
          "SELECT substr(lower(OLD.name), start.value, width.value) "
          f"FROM json_each('{STARTS}') AS start, json_each('[1, 2]') AS width "
          "WHERE start.value + width.value - 1 <= length(OLD.name))")
SQLITE_TRIGGERS = {
    "child_name_gram_insert": f"AFTER INSERT ON child BEGIN {PIECES.format(row='NEW', source='')}; END",
    "child_name_gram_update": f"AFTER UPDATE OF name ON child WHEN OLD.name IS NOT NEW.name BEGIN {FORGET}; "
                              f"{PIECES.format(row='NEW', source='')}; END",
    "child_name_gram_delete": f"AFTER DELETE ON child BEGIN {FORGET}; END",
}


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(ORDER_INDEX)
        db.execute_sql(GRAMS_FUNCTION)
        db.execute_sql(GRAMS_INDEX)
    elif isinstance(db, SqliteDatabase):
        db.execute_sql(SQLITE_TABLE)
        for name, body in SQLITE_TRIGGERS.items():
            db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS "{name}" {body}')
        db.execute_sql(PIECES.format(row="child", source="child, "))


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP INDEX IF EXISTS "child_name_grams"')
        db.execute_sql("DROP FUNCTION IF EXISTS child_name_grams(text)")
        db.execute_sql('DROP INDEX IF EXISTS "child_pinyin_order"')
    elif isinstance(db, SqliteDatabase):
        for name in SQLITE_TRIGGERS:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
        db.execute_sql('DROP TABLE IF EXISTS "child_name_gram"')
