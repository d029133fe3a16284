"""The database: one proxy the models bind to, opened from DATABASE_URL per request."""
from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -16000,
}


def open_database(url):
    """Make a peewee database for `url`; nothing is connected until first use."""
    if url.startswith("sqlite"):
        # BEGIN IMMEDIATE: a transaction takes the write lock up front and so waits its turn
        # (busy_timeout) instead of failing with "database is locked" when a read inside it
        # would have to be upgraded to a write while another process writes.
        return connect(url, pragmas=SQLITE_PRAGMAS, timeout=5, lock_type="IMMEDIATE")
    return connect(url)


def is_sqlite():
    return isinstance(db.obj, SqliteDatabase)


def init_app(app):
    """Bind the proxy and open a connection per request (never at import: gunicorn forks)."""
    db.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _open():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()
