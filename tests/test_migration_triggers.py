"""No migration loses what an earlier one built: applied one at a time to an empty SQLite
database, every trigger and index present after a migration is still there after the next
ones. (SQLite rebuilds a table for some column changes, and a rebuilt table has lost its
triggers: the dashboards' tallies would then keep figures a write should have forgotten.)"""
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

from webapp.migrate import MIGRATIONS_DIR

# Triggers a later migration replaces on purpose (dropped, then created again by the same name,
# or replaced by another): none so far.
REPLACED = set()


def _built(database):
    return {(kind, name) for kind, name in database.execute_sql(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index') AND name NOT LIKE 'sqlite_%'")}


def test_every_trigger_and_index_outlives_the_later_migrations(tmp_path):
    database = SqliteDatabase(str(tmp_path / "steps.db"), pragmas={"foreign_keys": 1})
    runner = Runner(database, directory=str(MIGRATIONS_DIR))
    names = sorted(path.stem for path in Path(MIGRATIONS_DIR).glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert len(names) >= 28
    seen = set()
    for name in names:
        runner.up(target=name)
        now = _built(database)
        lost = seen - now - REPLACED
        assert not lost, f"{name} lost {sorted(lost)}"
        seen |= now
    assert any(kind == "trigger" for kind, _ in seen)
