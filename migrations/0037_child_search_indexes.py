"""Indexes for finding children by name and listing them in pinyin order (issue 20).

Both are PostgreSQL's; SQLite needs neither (see each).

1. child (name_pinyin, id): the children lists and the search page are ordered by pinyin then
   id; with the id in the index a pinyin range ("wang") is read from the index alone, in order,
   instead of fetching thousands of rows to sort them (the county's "wang": 25 -> 3 ms). SQLite's
   index on name_pinyin already holds each row's id (its rowid) in that order.
2. child_name_grams(name), every one- and two-character piece of a lowered
   name, and a GIN index over it. A name search ("方飞", name ILIKE '%方飞%') first asks the
   index for the names holding all the pieces of what was typed, then checks the ILIKE on
   those few. pg_trgm's trigram index does not do: a piece of a name shorter than three
   characters has no trigram, so for a two-character search (half the county's names have two
   characters) PostgreSQL read the whole index and rechecked all 248,000 rows (about 200 ms; a
   sequential scan, its choice, 57 ms). SQLite keeps scanning with LIKE.

Frozen copy: plain SQL, no app models.
"""
from peewee import PostgresqlDatabase

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


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(ORDER_INDEX)
        db.execute_sql(GRAMS_FUNCTION)
        db.execute_sql(GRAMS_INDEX)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP INDEX IF EXISTS "child_name_grams"')
        db.execute_sql("DROP FUNCTION IF EXISTS child_name_grams(text)")
        db.execute_sql('DROP INDEX IF EXISTS "child_pinyin_order"')
