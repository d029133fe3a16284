"""Benchmark by hand (not a test): serve the app with gunicorn on a county-scale database and print
p50 / p95 / p99 latency and requests per second at 8 concurrent clients, SQL queries per page, and
the compressed first-load weight of a form page.

    flask --app wsgi gen-county            # once, into the database DATABASE_URL names
    DATABASE_URL=sqlite:////tmp/county.db python3 bench/benchmark.py [--requests 1000]

A thousand requests per page by default: on a shared two-core machine, stalls of the whole
machine (tens of ms, every second or so) hit several requests at once, and with a few hundred
samples whether one falls inside a page's run decides its p95. p99 shows those stalls.

The same script runs against PostgreSQL when DATABASE_URL points there; `--pg-cluster DIR` starts
(or reuses) the benchmark's own cluster in DIR, with production's settings (bench/postgres.py), and
measures its county database. On PostgreSQL it prints the server's version and those settings as
the server runs them, and, with pg_stat_statements loaded, the top statements of the run by total
time. Loopback only; bounded loops.
"""
import argparse
import gc
import gzip
import http.client
import itertools
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import postgres  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.auth.twofactor import TOTP  # noqa: E402
from webapp.clock import today  # noqa: E402
from webapp.config import Config  # noqa: E402
from webapp.dashboard.tallied import fill_day  # noqa: E402
from webapp.db import db, is_sqlite  # noqa: E402
from webapp.demo.gencounty import PASSWORD, PIN, TOTP_SECRET  # noqa: E402
from webapp.models import (  # noqa: E402
    Case,
    Child,
    ClassTeacher,
    Incident,
    SchoolClass,
    ScreeningRound,
    ScreeningWarning,
    Tally,
    User,
)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ASSET = re.compile(r'(?:href|src)="(/(?:static/[^"]+|manifest\.webmanifest|sw\.js))"')
# head4 teaches a grade-4 class: her home shows the class committee's weekly reports too.
ROLES = {"county": "county", "zone": "zone1", "principal": "principal1", "counselor": "counselor1",
         "head_teacher": "head4", "committee": "committee1", "child_worker": "worker1"}


class Client:
    """A signed-in session over http.client: cookies kept by hand, one connection per request."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Encoding": "identity"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, payload

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)


def csrf_of(payload):
    found = CSRF.search(payload.decode())
    return found.group(1) if found else ""


def sign_in(client, username):
    """Password (or PIN), then the TOTP step for the roles that need it."""
    User.update(totp_last_step=0).where(User.username == username).execute()  # a fresh code each run
    _s, _h, page = client.get("/login")
    secret = PIN if username.startswith("committee") else PASSWORD
    status, headers, _p = client.post("/login", {"username": username, "secret": secret, "csrf_token": csrf_of(page)})
    if status == 302 and "second-factor" in headers.get("Location", ""):
        _s, _h, page = client.get("/login/second-factor")
        status, headers, _p = client.post("/login/second-factor",
                                          {"code": TOTP(TOTP_SECRET).now(), "csrf_token": csrf_of(page)})
    if status != 302:
        raise SystemExit(f"{username} could not sign in ({status})")
    return client


def targets(app):
    """(label, role, method, path, data maker) of every measured page, with ids from the database."""
    with app.app_context():
        head = User.get(User.username == ROLES["head_teacher"])
        class_id = ClassTeacher.get(ClassTeacher.user == head).school_class_id
        pupils = [c for (c,) in Child.select(Child.id).where(Child.school_class == class_id).order_by(Child.id)
                  .tuples()]
        child_id = pupils[0]
        # Issue 20: a child looked for by her name as a counsellor types it (two or three characters).
        child_name = Child.get_by_id(child_id).name
        school_id = User.get(User.username == "principal1").school_id
        zone_id = User.get(User.username == "zone1").zone_id
        school_class = SchoolClass.select().where(SchoolClass.school == school_id).first().id
        case_id = Case.select(Case.id).order_by(Case.id).first().id
        # An open incident with its class followed up (gen-county keeps the newest of each zone open).
        incident_id = Incident.select(Incident.id).where(Incident.status == "open").order_by(Incident.id).first().id
        round_id = ScreeningRound.select(ScreeningRound.id).first().id
        warning_id = ScreeningWarning.select(ScreeningWarning.id).order_by(ScreeningWarning.id).first().id
    day = today().isoformat()

    turns = itertools.cycle(pupils)

    def visit():
        return {"visited_on": day, "mode": "on_site", "received_by": ["grandparent"], "child_present": "y",
                "findings": "孩子与奶奶同住,作业按时完成。", "guidance": "建议每周与父母视频。",
                "concern_urgency": "normal", "concern": "", "client_uuid": str(uuid.uuid4()),
                "made_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}

    rows = [(f"home: {role}", role, "GET", "/", None) for role in ROLES]
    rows += [
        ("/children/ search", "county", "POST", "/children/", lambda: {"q": "wang"}),
        ("/children/ search 姓名", "county", "POST", "/children/", lambda: {"q": child_name}),
        ("/visits/new (picker)", "head_teacher", "GET", "/visits/new", None),
        ("/visits/new", "head_teacher", "GET", f"/visits/new?child={child_id}", None),
        # One visit per pupil in turn, as she logs her class's visits (never hundreds to one child).
        ("visit form submission", "head_teacher", "POST", lambda: f"/visits/new?child={next(turns)}", visit),
        ("/concerns/", "counselor", "GET", "/concerns/", None),
        # Issue 20: the county's list, every open concern of the county (about 220 rows).
        ("/concerns/ county", "county", "GET", "/concerns/", None),
        ("/cases/<id>", "county", "GET", f"/cases/{case_id}", None),
        ("dashboard: county", "county", "GET", "/dashboard/", None),
        ("dashboard: zone", "zone", "GET", f"/dashboard/zone/{zone_id}", None),
        ("dashboard: school", "principal", "GET", f"/dashboard/school/{school_id}", None),
        ("dashboard: class", "principal", "GET", f"/dashboard/class/{school_class}", None),
        ("dashboard: villages", "zone", "GET", "/dashboard/villages", None),
        ("dashboard: all villages", "county", "GET", "/dashboard/villages", None),
        ("/visits/ per school", "county", "GET", "/visits/", None),
        ("ledger export", "county", "GET", "/exports/ledger.xlsx", None),
        # Issue 16: critical incidents, the key groups as a filter (the dashboards above carry
        # the key-group table, and the county's its incident counts).
        ("/incidents/", "county", "GET", "/incidents/", None),
        ("/incidents/ school", "counselor", "GET", "/incidents/", None),
        ("/incidents/<id>", "county", "GET", f"/incidents/{incident_id}", None),
        ("/incidents/new", "head_teacher", "GET", "/incidents/new", None),
        ("/children/ 问题家庭", "county", "GET", "/children/?group=problem_family", None),
        ("/children/ 精神病史", "counselor", "GET", "/children/?group=psychiatric_history", None),
        ("/children/ 心理健康问题", "zone", "GET", "/children/?group=mental_health", None),
        # Issue 19: the school's programme, the county's compliance matrix, inspections.
        ("programme matrix: county", "county", "GET", "/programme/matrix", None),
        ("programme matrix: zone", "zone", "GET", "/programme/matrix", None),
        ("programme register", "principal", "GET", f"/programme/school/{school_id}", None),
        ("programme activity form", "head_teacher", "GET", "/programme/activities/new", None),
        ("programme activities", "head_teacher", "GET", "/programme/activities", None),
        ("/inspections/", "county", "GET", "/inspections/", None),
        ("/inspections/ zone", "zone", "GET", "/inspections/", None),
        # Issue 18: screening coverage (county, zone, school), the 测评预警 queue, self-check counts.
        ("screening coverage: county", "county", "GET", "/screening/", None),
        ("screening coverage: zone", "zone", "GET", f"/screening/{round_id}", None),
        ("screening coverage: school", "principal", "GET", f"/screening/{round_id}", None),
        ("screening warnings: school", "counselor", "GET", "/screening/warnings/", None),
        ("screening warning <id>", "county", "GET", f"/screening/warnings/{warning_id}", None),
        ("screening self-check counts", "county", "GET", "/self-check/counts", None),
        ("screening self-check form", "head_teacher", "GET", "/self-check/phq9", None),
    ]
    return rows


def measure(client, method, path, data_maker, token, total, clients):
    """`total` requests spread over `clients` threads: (latencies in ms, wall seconds, errors)."""
    latencies, errors, lock = [], [], threading.Lock()
    share = [total // clients + (1 if n < total % clients else 0) for n in range(clients)]

    def work(count):
        for _ in range(count):
            data = data_maker() if data_maker else None
            if data is not None:
                data["csrf_token"] = token
            url = path() if callable(path) else path
            started = time.perf_counter()
            status, _h, _p = client.request(method, url, data)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)

    threads = [threading.Thread(target=work, args=(n,)) for n in share]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def count_queries(app, rows, port_clients):
    """SQL statements per page, counted in this process with the same signed-in cookies."""
    counts = {}
    original = db.obj.execute_sql
    counter = {"n": 0}

    def counted(sql, params=None, *args, **kwargs):
        counter["n"] += 1
        return original(sql, params, *args, **kwargs)

    for label, role, method, path, data_maker in rows:
        test_client = app.test_client()
        for name, value in port_clients[role].cookies.items():
            test_client.set_cookie(name, value)
        data = data_maker() if data_maker else None
        if data is not None:
            data["csrf_token"] = port_clients[role].token
        db.obj.execute_sql, counter["n"] = counted, 0
        try:
            response = test_client.open(path() if callable(path) else path, method=method, data=data)
        finally:
            db.obj.execute_sql = original
        counts[label] = counter["n"] if response.status_code == 200 else f"HTTP {response.status_code}"
    return counts


def cold_tallies(app):
    """Forget the day's dashboard tallies and compute them all again, as the tick does once on a
    new day (the pages below then read them, computing only what writes have since cleared)."""
    with app.app_context():
        Tally.delete().where(Tally.day == today()).execute()
        started = time.perf_counter()
        computed, _pruned = fill_day(today())
        return f"dashboard tallies of the day, all schools and villages: {computed} in " \
               f"{time.perf_counter() - started:.1f} s (the tick, once a day)"


def first_load_weight(client, path):
    """Bytes of a page and everything it loads, each gzip-compressed (as a front proxy would send it)."""
    _s, _h, page = client.get(path)
    parts = {"html": len(gzip.compress(page, 6))}
    for asset in sorted(set(ASSET.findall(page.decode()))):
        _s, _h, body = client.get(asset)
        parts[asset] = len(gzip.compress(body, 6))
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--requests", type=int, default=1000, help="requests per page (bounded)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", default="", help="measure only the pages whose label holds this text "
                        "(several texts separated by |)")
    parser.add_argument("--pg-cluster", metavar="DIR", help="start (or reuse) the benchmark's own PostgreSQL "
                        "cluster in DIR and measure its county database (bench/postgres.py)")
    parser.add_argument("--top", type=int, default=10, help="statements listed from pg_stat_statements")
    args = parser.parse_args()
    if args.pg_cluster:
        url = postgres.start(args.pg_cluster)
    else:
        url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/county.db"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + uuid.uuid4().hex))
    app = create_app(Config, DATABASE_URL=url, SECRET_KEY=env["SECRET_KEY"], SESSION_COOKIE_SECURE=False)
    server = subprocess.Popen(["gunicorn", "-w", "2", "-b", f"127.0.0.1:{args.port}", "wsgi:app"],
                              env=env, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):  # up to 10 s for the server to listen
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        rows = [row for row in targets(app) if any(part in row[0] for part in args.only.split("|"))]
        clients = {}
        with app.app_context():
            for role, username in ROLES.items():
                clients[role] = sign_in(Client(args.port), username)
        for client in clients.values():
            client.token = csrf_of(client.get("/profile")[2]) or csrf_of(client.get("/")[2])
        # This process holds the app too (for ids and query counts): its own full garbage
        # collections would stall every client thread and be counted as the server's latency.
        gc.freeze()
        print(f"database: {url.split('://')[0]}   clients: {args.clients}   requests per page: {args.requests}"
              f"   cores: {os.cpu_count()}")
        print(cold_tallies(app))
        statements = False
        if not is_sqlite():
            with app.app_context(), db.connection_context():
                print("\n".join(postgres.server_report(db)))
        queries = count_queries(app, rows, clients)  # no app context pushed: each request its own `g`
        if not is_sqlite():
            # Reset after the query counts and the tallies: what it lists is the measured requests'.
            with app.app_context(), db.connection_context():
                statements = postgres.statements_loaded(db)
        print(f"{'page':<24}{'role':<14}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}{'queries':>9}  errors")
        for label, role, method, path, data_maker in rows:
            client = clients[role]
            measure(client, method, path, data_maker, client.token, args.clients, args.clients)  # warm up
            latencies, wall, errors = measure(client, method, path, data_maker, client.token, args.requests,
                                              args.clients)
            p50 = statistics.median(latencies)
            cuts = statistics.quantiles(latencies, n=100)
            p95, p99 = cuts[94], cuts[98]
            print(f"{label:<24}{role:<14}{p50:>8.1f}{p95:>8.1f}{p99:>8.1f}{len(latencies) / wall:>8.1f}"
                  f"{queries[label]!s:>9}  {len(errors) or ''}")
        form = next((path for label, _role, _method, path, _data in rows if label == "/visits/new"), None)
        if form:
            parts = first_load_weight(clients["head_teacher"], form)
            print(f"\nfirst load of {form} (gzip): {sum(parts.values()) / 1024:.1f} KB")
            for name, size in parts.items():
                print(f"  {name:<40}{size / 1024:>7.1f} KB")
        if statements:
            with app.app_context(), db.connection_context():
                print(f"\ntop {args.top} statements by total time (pg_stat_statements, measured requests):")
                print("\n".join(postgres.top_statements(db, args.top)))
        elif not is_sqlite():
            print("\n(pg_stat_statements not loaded: no statements listed; see bench/postgres.py)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
