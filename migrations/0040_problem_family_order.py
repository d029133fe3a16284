"""The children of 问题家庭 in pinyin order (《实施方案》四、11: the children list filtered by that key
group): a partial index on child (name_pinyin, id) WHERE problem_family. They are about 3 % of a
county, so without it a page of 50 walked the pinyin index through some 1,700 children, testing
each (on PostgreSQL the list's slowest statement, 1.3-2 ms). Both databases take the same
statement; the list's query says `WHERE problem_family`, which the index's condition matches.

Frozen copy: plain SQL, no app models.
"""
INDEX = ('CREATE INDEX IF NOT EXISTS "child_problem_family_order" ON "child" ("name_pinyin", "id") '
         'WHERE "problem_family"')


def up(migrator, db):
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "child_problem_family_order"')
