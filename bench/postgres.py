"""PostgreSQL for the benchmark: a throwaway cluster of its own, set as production runs it, its
settings read back for the report, and the statements pg_stat_statements counted (by hand, not a test).

    python3 bench/postgres.py start /tmp/xq-bench      # prints the county database's URL
    SECRET_KEY=bench DATABASE_URL=<url> flask --app wsgi migrate     # then gen-county, once
    python3 bench/benchmark.py --pg-cluster /tmp/xq-bench
    python3 bench/postgres.py stop /tmp/xq-bench [--remove]

The cluster lives in the folder given (data, log, socket and its port), on a free loopback port,
run by the user postgres when we are root (PostgreSQL refuses to run as root). Starting it again
reuses the data, so one generated county serves many runs.
"""
import argparse
import getpass
import glob
import os
import shutil
import socket
import subprocess
import sys

# What the benchmark's server runs with, in this one place; benchmark.py prints them read back
# with SHOW. Durability as in production (a developer's fsync=off would flatter every write);
# memory for a small county server that also runs the app: a quarter of RAM or less for
# shared_buffers, the planner told the OS cache holds more.
SETTINGS = {
    "shared_buffers": "512MB",
    "effective_cache_size": "2GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "max_connections": "100",
    "synchronous_commit": "on",
    "fsync": "on",
    "full_page_writes": "on",
    "shared_preload_libraries": "pg_stat_statements",
    "pg_stat_statements.track": "top",
}
DATABASE = "county"


def pg_bin():
    """Debian's newest PostgreSQL binaries (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2]))
    if not found:
        raise SystemExit("no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)")
    return found[-1]


def _run(folder, *command, check=True):
    """A PostgreSQL program as the cluster's owner: postgres when we are root, else ourselves."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, cwd=folder, check=check, capture_output=True, text=True)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _owner():
    return "postgres" if os.geteuid() == 0 else getpass.getuser()


def url(folder):
    with open(os.path.join(folder, "port")) as kept:
        return f"postgresql://{_owner()}@127.0.0.1:{kept.read().strip()}/{DATABASE}"


def running(folder):
    """True when the cluster's server runs (pg_ctl status: a pid file left by a crash is not)."""
    data = os.path.join(folder, "data")
    if not os.path.exists(data):
        return False
    return _run(folder, f"{pg_bin()}/pg_ctl", "-D", data, "status", check=False).returncode == 0


def start(folder):
    """Make the cluster in `folder` if it is not there, start it if it is not running, make the
    county database if it is missing; return that database's URL."""
    folder = os.path.abspath(folder)
    data = os.path.join(folder, "data")
    os.makedirs(folder, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    if not os.path.exists(data):
        # The locale CI and the dev server use: search plans depend on it.
        _run(folder, f"{pg_bin()}/initdb", "-D", data, "-U", _owner(), "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8")
    if not running(folder):
        port = _free_port()
        options = " ".join(f"-c {name}={value}" for name, value in SETTINGS.items())
        _run(folder, f"{pg_bin()}/pg_ctl", "-D", data, "-l", os.path.join(folder, "server.log"), "-w",
             "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} {options}", "start")
        with open(os.path.join(folder, "port"), "w") as kept:
            kept.write(str(port))
    address = url(folder)
    port = address.rsplit(":", 1)[1].split("/")[0]
    listed = _run(folder, f"{pg_bin()}/psql", "-h", "127.0.0.1", "-p", port, "-U", _owner(), "-d", "postgres",
                  "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'").stdout
    if not listed.strip():
        _run(folder, f"{pg_bin()}/createdb", "-h", "127.0.0.1", "-p", port, "-U", _owner(), DATABASE)
    return address


def stop(folder, remove=False):
    folder = os.path.abspath(folder)
    if running(folder):
        _run(folder, f"{pg_bin()}/pg_ctl", "-D", os.path.join(folder, "data"), "-m", "fast", "-w", "stop")
    if remove:
        shutil.rmtree(folder, ignore_errors=True)


def server_report(db):
    """The server's version and the SETTINGS as it runs them (as SHOW would print them; "-"
    for one the server does not know, e.g. pg_stat_statements' own when it is not loaded)."""
    lines = [db.execute_sql("SELECT version()").fetchone()[0].split(" on ")[0]]
    for name in SETTINGS:
        value = db.execute_sql("SELECT current_setting(%s, true)", (name,)).fetchone()[0]
        lines.append(f"  {name} = {value or '-'}")
    return lines


def statements_loaded(db):
    """True when pg_stat_statements is loaded by the server; it is then installed in this
    database (once) and its counts reset, so what it lists next is the run's own."""
    if "pg_stat_statements" not in db.execute_sql("SHOW shared_preload_libraries").fetchone()[0]:
        return False
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    db.execute_sql("SELECT pg_stat_statements_reset()")
    return True


def shorten(sql, width=160):
    sql = " ".join(sql.split())
    return sql if len(sql) <= width else sql[:width - 1] + "…"


def top_statements(db, top=10):
    """The `top` statements of this database by total time since the reset, as printable lines."""
    found = db.execute_sql(
        "SELECT calls, total_exec_time, mean_exec_time, rows, query FROM pg_stat_statements "
        "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND query NOT LIKE '%%pg_stat_statements%%' ORDER BY total_exec_time DESC LIMIT %s", (top,)).fetchall()
    lines = [f"{'calls':>8}{'total ms':>11}{'mean ms':>9}{'rows':>9}  statement"]
    for calls, total, mean, rows, query in found:
        lines.append(f"{calls:>8}{total:>11.1f}{mean:>9.2f}{rows:>9}  {shorten(query)}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder")
    parser.add_argument("--remove", action="store_true", help="stop: delete the cluster's folder too")
    args = parser.parse_args()
    if args.action == "start":
        print(start(args.folder))
    else:
        stop(args.folder, args.remove)


if __name__ == "__main__":
    sys.exit(main())
