"""Fixtures: one database for the run (SQLite file, or TEST_DATABASE_URL for PostgreSQL),
emptied before each test; an app with a movable clock; a client that behaves like a browser."""
import os
import re
import sys
import threading
import traceback
from datetime import UTC, datetime, timedelta

import pytest
from peewee import OperationalError

from webapp import create_app, prepared
from webapp.auth.twofactor import TOTP
from webapp.config import TestConfig
from webapp.db import db, is_sqlite
from webapp.migrate import upgrade
from webapp.models import User

from .county import PASSWORD, PIN, TOTP_SECRET, build_county

# Every prepared query checks its reused SQL against what peewee writes for the same values.
prepared.check_prepared = True

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def _schema(database_url):
    """Start from an empty database and apply every migration once per run."""
    create_app(TestConfig, DATABASE_URL=database_url)
    with db.connection_context():
        if not is_sqlite():
            db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        upgrade()
    return database_url


def _empty_tables():
    tables = [t for t in db.get_tables() if t != "schema_migration"]
    if is_sqlite():
        # The audit log's triggers refuse any DELETE (migration 0011): lifted for the emptying only.
        guards = db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = 'audit_event'").fetchall()
        db.execute_sql("PRAGMA foreign_keys = OFF")
        with db.atomic():
            for name, _sql in guards:
                db.execute_sql(f'DROP TRIGGER "{name}"')
            for table in tables:
                db.execute_sql(f'DELETE FROM "{table}"')
            for _name, sql in guards:
                db.execute_sql(sql)
        db.execute_sql("PRAGMA foreign_keys = ON")
    else:
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


class Clock:
    """A settable clock (naive UTC), injected as the app's CLOCK."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    # 10:00 in Qu County on a Wednesday of the autumn term 2026.
    return Clock(datetime(2026, 11, 18, 2, 0))


def _other_threads():
    """The stacks of the threads other than this one: who might still hold the database."""
    frames = sys._current_frames()
    here = threading.get_ident()
    return "\n".join(f"--- {t.name}\n" + "".join(traceback.format_stack(frames[t.ident])[-8:])
                     for t in threading.enumerate() if t.ident in frames and t.ident != here)


@pytest.fixture
def app(_schema, clock):
    app = create_app(TestConfig, DATABASE_URL=_schema, CLOCK=clock)
    try:
        _empty_tables()
    except OperationalError as error:
        # A thread an earlier test left behind still holds SQLite's write lock: every later test
        # would wait busy_timeout and fail the same way. Say which thread, once, and stop.
        pytest.exit(f"the test database is locked ({error}) before this test; threads alive:\n"
                    + _other_threads(), returncode=1)
    # No app context stays pushed during the test: each request must get its own `g`,
    # as it does in production (Flask-Login and Flask-WTF keep per-request state there).
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def county(app):
    with app.app_context():
        return build_county()


class Browser:
    """The test client with what a browser adds: the CSRF token of the last page it saw."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def _remember_token(self, response):
        if response.mimetype == "text/html":
            match = CSRF_PATTERN.search(response.get_data(as_text=True))
            if match:
                self.token = match.group(1) or match.group(2)
        return response

    def get(self, url, **kwargs):
        return self._remember_token(self.client.get(url, **kwargs))

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            if self.token is None:
                self.get("/help")
            data["csrf_token"] = self.token
        return self._remember_token(self.client.post(url, data=data, **kwargs))

    def login(self, username, secret=None, remember=False, follow=True, second_factor=True):
        """Sign in as a person would; for enrolled accounts also the 6-digit code from the
        authenticator (computed at the app's clock). Returns the last sign-in response."""
        self.get("/login")
        secret = secret or (PIN if username.startswith("committee") else PASSWORD)
        data = {"username": username, "secret": secret}
        if remember:
            data["remember"] = "y"
        response = self.post("/login", data)
        step_two = response.headers.get("Location") in ("/login/second-factor", "/login/enrol")
        if step_two and second_factor and response.headers["Location"] == "/login/second-factor":
            response = self.second_factor(username)
        elif step_two:
            self.get(response.headers["Location"])  # as a browser follows it (a new CSRF token)
            return response
        if follow and response.status_code == 302:
            self.get("/")
        return response

    def totp_code(self, secret=TOTP_SECRET):
        now = self.client.application.config["CLOCK"]()
        return TOTP(secret).at(now.replace(tzinfo=UTC))

    def second_factor(self, username):
        self.get("/login/second-factor")
        response = self.post("/login/second-factor", {"code": self.totp_code()})
        # The test clock stands still; a real code is good once per 30 s, so forget the step.
        User.update(totp_last_step=0).where(User.username == username).execute()
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def browser(app):
    return Browser(app.test_client())


@pytest.fixture
def login_as(app):
    """A fresh signed-in browser per call: login_as("head1")."""

    def _login(username):
        user_browser = Browser(app.test_client())
        response = user_browser.login(username)
        assert response.status_code == 302, f"{username} could not sign in"
        return user_browser

    return _login


# One object of every kind on each side of the county (tests/world.py).
from .world import world  # noqa: E402, F401
