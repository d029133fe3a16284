"""The slowest SQL statements of the benchmark's pages, named by the database (by hand, not a test).

    DATABASE_URL=postgresql://…/county python3 bench/slow_queries.py [--requests 20] [--top 10]

Each page of bench/benchmark.py is asked `--requests` times, in this process, by its signed-in
role; then the statements are listed by total time. On PostgreSQL with pg_stat_statements
loaded (`shared_preload_libraries = 'pg_stat_statements'` in postgresql.conf, a server restart,
then `CREATE EXTENSION pg_stat_statements;` once per database) the figures are the server's own,
reset before the run. Without it (and on SQLite) each statement is timed here, around the
driver's call (peewee's query hooks), grouped by its SQL text; the top three are then explained with the values of
their last run (`EXPLAIN ANALYZE` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite).
Loopback only; bounded loops.
"""
import argparse
import os
import sys
import uuid
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.benchmark import ROLES, csrf_of, sign_in, targets  # noqa: E402
from bench.postgres import shorten, statements_loaded, top_statements  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.config import Config  # noqa: E402
from webapp.db import db, is_sqlite  # noqa: E402


class InProcess:
    """bench.benchmark's Client over the app's test client: (status, headers, body)."""

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method, path, data=None):
        response = self.client.open(path, method=method, data=data)
        return response.status_code, response.headers, response.get_data()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)


def statements_extension():
    """True when pg_stat_statements is loaded by the server and installed in this database."""
    if is_sqlite():
        return False
    with db.connection_context():
        return statements_loaded(db)


class Timed:
    """A peewee query hook: total ms, calls and the last values per SQL text."""

    def __init__(self):
        self.total, self.calls, self.last = defaultdict(float), defaultdict(int), {}

    def __call__(self, event):
        self.total[event.sql] += event.duration * 1000
        self.calls[event.sql] += 1
        self.last[event.sql] = event.params

    def __enter__(self):
        db.obj.query_hooks.append(self)
        return self

    def __exit__(self, *exc):
        db.obj.query_hooks.remove(self)


def run_pages(app, rows, clients, requests):
    for _label, role, method, path, data_maker in rows:
        for _ in range(requests):
            data = data_maker() if data_maker else None
            if data is not None:
                data["csrf_token"] = clients[role].token
            clients[role].request(method, path() if callable(path) else path, data)


def explain(sql, params):
    with db.connection_context():
        if is_sqlite():
            rows = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            return ["  " + str(row[-1]) for row in rows]
        if not sql.lstrip().upper().startswith("SELECT"):
            return ["  (not a SELECT: not run again)"]
        rows = db.execute_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
        return ["  " + row[0] for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="requests per page (bounded)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--only", default="", help="pages whose label holds this text (several: |)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/county.db"
    app = create_app(Config, DATABASE_URL=url, SECRET_KEY="bench-" + uuid.uuid4().hex, SESSION_COOKIE_SECURE=False)
    rows = [row for row in targets(app) if any(part in row[0] for part in args.only.split("|"))]
    # No app context around the requests: each has its own `g` (a CSRF token kept there
    # from before the sign-in would not match the new session).
    clients = {role: sign_in(InProcess(app), username) for role, username in ROLES.items()}
    db.close()
    for client in clients.values():
        client.token = csrf_of(client.get("/profile")[2]) or csrf_of(client.get("/")[2])
    with app.app_context():
        server_side = statements_extension()
    print(f"database: {url.split('://')[0]}   pages: {len(rows)}   requests per page: {args.requests}"
          f"   timed by: {'pg_stat_statements' if server_side else 'this process'}")
    if server_side:
        run_pages(app, rows, clients, args.requests)
        with app.app_context(), db.connection_context():
            print("\n".join(top_statements(db, args.top)))
        return
    print(f"{'total ms':>10}{'calls':>8}{'mean ms':>9}  statement")
    with Timed() as timed:
        run_pages(app, rows, clients, args.requests)
    ranked = sorted(timed.total, key=timed.total.get, reverse=True)[:args.top]
    for sql in ranked:
        calls = timed.calls[sql]
        print(f"{timed.total[sql]:>10.1f}{calls:>8}{timed.total[sql] / calls:>9.2f}  {shorten(sql)}")
    with app.app_context():
        for number, sql in enumerate(ranked[:3], 1):
            print(f"\n#{number} {shorten(sql, 400)}")
            print("\n".join(explain(sql, timed.last[sql])))


if __name__ == "__main__":
    main()
