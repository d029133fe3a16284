"""`flask --app wsgi backup PATH` and `verify-backup PATH`: consistent copies of the database."""
import sqlite3
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..db import db, is_sqlite
from ..models import MODELS

PG_HINT = (
    "This database is PostgreSQL: back it up with its own tools, e.g.\n"
    "  pg_dump --format=custom --file=xinqiao-$(date +%F).dump \"$DATABASE_URL\"\n"
    "and restore with pg_restore --clean --dbname=\"$DATABASE_URL\" FILE."
)


def expected_tables():
    return {model._meta.table_name for model in MODELS} | {"schema_migration"}


def backup_sqlite(target, progress=None):
    """Copy the live database with SQLite's online backup: the copy is one consistent snapshot
    even while the app keeps writing. `progress(status, remaining, total)` is called after the
    step, as sqlite3's backup calls it."""
    target = Path(target)
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    destination = sqlite3.connect(str(target))
    try:
        with db.connection_context():
            # In one step. SQLite restarts a backup taken in steps whenever another connection
            # writes between two of them, so an app writing all the time kept a stepped copy
            # from ever finishing. One step reads one snapshot, and in WAL mode the app goes on
            # writing meanwhile.
            db.connection().backup(destination, progress=progress)
    finally:
        destination.close()
    return target


def verify(path):
    """Problems found in a backup file; an empty list means it opens, passes SQLite's integrity
    check and holds every table the app needs."""
    path = Path(path)
    if not path.is_file():
        return [f"{path}: no such file"]
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [f"{path}: not a readable SQLite database ({error})"]
    problems = [] if result == "ok" else [f"integrity check: {result}"]
    missing = sorted(expected_tables() - tables)
    if missing:
        problems.append("missing tables: " + ", ".join(missing))
    return problems


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the database to PATH (SQLite), or say how (PostgreSQL)."""
    if not is_sqlite():
        click.echo(PG_HINT)
        sys.exit(2)
    target = backup_sqlite(path)
    click.echo(f"backup written: {target} ({target.stat().st_size} bytes)")


@click.command("verify-backup")
@click.argument("path")
@with_appcontext
def verify_backup_command(path):
    """Check that a backup opens, passes the integrity check and has every table."""
    problems = verify(path)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"backup ok: {path}")
