"""The database's plan for a query, for the tests that check an index answers it."""
from webapp.db import db, is_sqlite


def plan_of(query):
    """SQLite's EXPLAIN QUERY PLAN (its lines joined by " | "), or PostgreSQL's EXPLAIN with
    sequential scans ruled out: on the tests' few rows a scan is cheapest, so what this shows is
    that the index can answer the query as written, as it does at county scale. Call inside an
    app context."""
    sql, params = query.sql()
    with db.atomic():
        if is_sqlite():
            return " | ".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
        db.execute_sql("SET LOCAL enable_seqscan = off")
        return "\n".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params).fetchall())
