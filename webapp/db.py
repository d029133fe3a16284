"""The database: one proxy the models bind to, opened from DATABASE_URL, with a pool of
connections each worker process fills lazily and reuses across its requests."""
import logging
import os
from datetime import date

from peewee import SQL, DatabaseProxy, OperationalError, SqliteDatabase
from playhouse.db_url import connect, parse
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase
from werkzeug.exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -16000,
}

# Past this many ids, a query takes every row and the caller keeps the ones it wants: a long
# IN (...) list costs more to build and to plan than the rows it removes (a county's schools).
IN_LIST_LIMIT = 100

def literal_day(day):
    """A date written into the SQL text rather than sent as a value, for a range PostgreSQL must
    see to plan well: a prepared statement's generic plan takes any range of dates for 0.5 % of a
    table, so for a school year, which holds every home visit, it read the year's 150,000 visits
    through their date index (25 ms) instead of a school's children's visits one child at a time
    (2 ms). Only a `date` (digits and dashes) is written so."""
    if not isinstance(day, date):
        raise TypeError(f"not a date: {day!r}")
    return SQL(f"'{day.isoformat()}'")


def one_page(query, page, per_page):
    """Page `page` (from 1) of a list of `per_page` rows, and the first row of the next page,
    which tells whether there is one."""
    return query.limit(per_page + 1).offset((page - 1) * per_page)


# A sync gunicorn worker uses one connection at a time; threads (tests, the demo server) use
# more. Past the limit a request waits up to `timeout` seconds for one to come back, then is
# answered 503 with Retry-After (_connection_or_busy). Config DATABASE_POOL_SIZE / _TIMEOUT set them.
POOL = {"max_connections": 32, "timeout": 10}
# psycopg 3 prepares a statement on the server once the same SQL text has run this many times on
# a connection, and from then on sends only its parameters (webapp/prepared.py gives each
# repeated query one SQL text, so it is prepared once per connection). 0 prepares every
# statement; None never does. Config DATABASE_PREPARE_THRESHOLD sets it.
PREPARE_THRESHOLD = 5
# How long a refused request is told to wait before trying again (seconds).
RETRY_AFTER = 5


class DatabaseBusy(ServiceUnavailable):
    """No database connection came free in time: the request is refused, not failed."""


def _connection_or_busy():
    """Borrow a pooled connection; a pool that stays full (or a server that refuses one more
    client) is a 503 with Retry-After, so a phone's outbox tries again later."""
    try:
        db.connect(reuse_if_open=True)
    except (MaxConnectionsExceeded, OperationalError) as error:
        logger.warning("no database connection: %s", type(error).__name__)
        raise DatabaseBusy(retry_after=RETRY_AFTER) from error


class _PerProcess:
    """A pool belongs to the process that filled it: a forked child (a gunicorn worker of a
    preloading master) starts empty instead of sharing its parent's connections."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pid = os.getpid()

    def _claim(self):
        if self._pid != os.getpid():
            with self._pool_lock:
                # The parent's connections are left untouched (closing one here would end the
                # parent's session too), only forgotten by this process.
                self._inherited = [self._connections, self._in_use, self._state.conn]
                self._connections, self._in_use = [], {}
                self._state.reset()
                self._pid = os.getpid()

    def connect(self, reuse_if_open=False):
        self._claim()
        return super().connect(reuse_if_open)


class SqlitePool(_PerProcess, PooledSqliteDatabase):
    pass


class PostgresqlPool(_PerProcess, PooledPostgresqlDatabase):
    pass


def open_database(url, prepare_threshold=PREPARE_THRESHOLD, **pool):
    """Make a peewee database for `url`; nothing is connected until first use. `pool` overrides
    POOL (max_connections, timeout)."""
    pool = {**POOL, **{k: v for k, v in pool.items() if v is not None}}
    params = parse(url)
    if url.startswith("sqlite"):
        # BEGIN IMMEDIATE: a transaction takes the write lock up front and so waits its turn
        # (busy_timeout) instead of failing with "database is locked" when a read inside it
        # would have to be upgraded to a write while another process writes.
        # A pooled connection may serve another thread of the same process later, never two
        # at once (the pool hands each out to one thread at a time).
        return SqlitePool(params.pop("database"), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                              check_same_thread=False, **pool, **params)
    elif url.startswith("postgres"):
        # psycopg 3 through peewee's own adapter, even where psycopg2 is still installed.
        return PostgresqlPool(params.pop("database"), prefer_psycopg3=True, prepare_threshold=prepare_threshold,
                              **pool, **params)
    return connect(url)


def is_sqlite():
    return isinstance(db.obj, SqliteDatabase)


def init_app(app):
    """Bind the proxy; each request borrows a pooled connection and gives it back at the end.
    Nothing connects at import or here, so gunicorn can fork first."""
    previous = db.obj
    if isinstance(previous, PooledDatabase):
        previous.close_idle()  # a new app replaces the old database (tests build many)
    db.initialize(open_database(app.config["DATABASE_URL"], max_connections=app.config.get("DATABASE_POOL_SIZE"),
                                timeout=app.config.get("DATABASE_POOL_TIMEOUT"),
                                prepare_threshold=app.config.get("DATABASE_PREPARE_THRESHOLD", PREPARE_THRESHOLD)))

    @app.before_request
    def _open():
        _connection_or_busy()

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()
