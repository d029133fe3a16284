"""Backups: a consistent copy while the app writes, a check that it is sound, and a restore."""
import sqlite3
import threading
import time

import pytest

from webapp.db import is_sqlite
from webapp.models import AuditEvent
from webapp.trust.backup import verify


def _writer(app, stop, written):
    """Another process's worth of writes: audit events, one transaction each."""
    from webapp.db import db

    with app.app_context():
        while not stop.is_set():
            with db.atomic():
                AuditEvent.create(action="load_test", username="writer")
            written.append(1)
        db.close()


def test_a_backup_taken_while_the_app_writes_is_consistent_and_restores(app, county, tmp_path):
    if not is_sqlite():
        pytest.skip("SQLite's online backup; PostgreSQL is backed up with pg_dump (tested below)")
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(app, stop, written))
    writer.start()
    try:
        time.sleep(0.2)
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.db")])
        time.sleep(0.1)
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output
    check = app.test_cli_runner().invoke(args=["verify-backup", str(tmp_path / "copy.db")])
    assert check.exit_code == 0 and "backup ok" in check.output

    # Restore: the copy serves as the database of a new app, with the county in it.
    from webapp import create_app
    from webapp.config import TestConfig

    restored = create_app(TestConfig, DATABASE_URL="sqlite:///" + str(tmp_path / "copy.db"))
    client = restored.test_client()
    assert client.get("/healthz").status_code == 200
    copied = sqlite3.connect(str(tmp_path / "copy.db"))
    in_copy = copied.execute("SELECT COUNT(*) FROM audit_event WHERE action='load_test'").fetchone()[0]
    children = copied.execute("SELECT COUNT(*) FROM child").fetchone()[0]
    copied.close()
    assert 0 < in_copy <= len(written) and children == 9


def test_a_backup_finishes_though_the_app_writes_between_any_two_steps(app, county, tmp_path):
    """A copy taken in steps began again after every write of another connection between two
    steps: with the app writing all the time, `flask backup` never finished (a test that ran it
    beside a writer thread hung). Here another connection writes after every step, up to 40
    times; the copy must need none of them."""
    if not is_sqlite():
        pytest.skip("SQLite's online backup")
    from webapp.db import db
    from webapp.trust.backup import backup_sqlite

    row = ("2026-11-18 08:00:00", "writer", "load_test", "", "", "x" * 400)
    insert = "INSERT INTO audit_event (at, username, action, object_type, address, detail) VALUES (?, ?, ?, ?, ?, ?)"
    with app.app_context():
        path = db.database
        grown = sqlite3.connect(path)
        grown.executemany(insert, [row] * 4000)  # a database of some megabytes: many steps of old
        grown.commit()
        grown.close()
        written = []

        def write_between_steps(_status, remaining, _total):
            if remaining and len(written) < 40:
                other = sqlite3.connect(path)
                other.execute(insert, row)
                other.commit()
                other.close()
                written.append(1)

        backup_sqlite(tmp_path / "copy.db", progress=write_between_steps)
    assert written == []
    assert verify(tmp_path / "copy.db") == []


def test_a_damaged_or_foreign_file_fails_verification(app, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    assert verify(junk)
    empty = tmp_path / "empty.db"
    sqlite3.connect(str(empty)).execute("CREATE TABLE other (id INTEGER)").connection.close()
    problems = verify(empty)
    assert problems and "missing tables" in problems[0]
    result = app.test_cli_runner().invoke(args=["verify-backup", str(empty)])
    assert result.exit_code == 1


def test_backup_refuses_to_overwrite_and_explains_postgresql(app, tmp_path):
    existing = tmp_path / "there.db"
    existing.write_bytes(b"")
    result = app.test_cli_runner().invoke(args=["backup", str(existing)])
    if is_sqlite():
        assert result.exit_code != 0 and "exists already" in result.output
    else:
        assert result.exit_code == 2 and "pg_dump" in result.output
