"""PostgreSQL through psycopg 3: the app's repeated statements are prepared on the server, and a
server that refuses a connection is a 503, not a 500."""
import threading
from collections import Counter

import pytest
from peewee import Psycopg3Adapter

from webapp import create_app
from webapp.config import TestConfig
from webapp.db import db, is_sqlite, open_database
from webapp.models import User

from .conftest import Browser


def test_postgresql_goes_through_psycopg_3_and_prepares_repeated_statements():
    # Built only, never connected: this holds whichever database the suite runs on.
    database = open_database("postgresql://postgres@127.0.0.1:54400/xinqiao")
    assert isinstance(database._adapter, Psycopg3Adapter)
    assert database.connect_params["prepare_threshold"] == 5
    never = open_database("postgresql://postgres@127.0.0.1:54400/xinqiao", prepare_threshold=None)
    assert never.connect_params["prepare_threshold"] is None


def test_a_statement_run_often_is_prepared_on_the_server(app, county):
    if is_sqlite():
        pytest.skip("server-side prepared statements are PostgreSQL's")
    head = county.users.head1
    with db.connection_context():
        for _ in range(6):
            User.get_by_id(head.id)
        statements = [row[0] for row in db.execute_sql("SELECT statement FROM pg_prepared_statements")]
    assert any('FROM "user"' in statement for statement in statements), statements


def test_a_server_that_refuses_the_connection_answers_503(_schema):
    if is_sqlite():
        pytest.skip("a PostgreSQL server refusing clients")
    # Nothing listens on port 1: the connection is refused, as when max_connections is reached.
    app = create_app(TestConfig, DATABASE_URL="postgresql://postgres@127.0.0.1:1/xinqiao")
    response = Browser(app.test_client()).get("/login")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0


def test_forty_requests_at_once_on_a_pool_of_four_are_answered_never_failed(_schema, clock, county):
    """More requests than connections: each is served or told to come back (503), none is a 500."""
    app = create_app(TestConfig, DATABASE_URL=_schema, CLOCK=clock, DATABASE_POOL_SIZE=4, DATABASE_POOL_TIMEOUT=0.05)
    head = Browser(app.test_client())
    head.login("head1")
    cookies = {cookie.key: cookie.value for cookie in head.client._cookies.values()}
    statuses, errors, lock = Counter(), [], threading.Lock()
    barrier = threading.Barrier(40)

    def ask():
        try:
            client = app.test_client()
            for name, value in cookies.items():
                client.set_cookie(name, value)
            barrier.wait()
            status = client.get("/").status_code
            with lock:
                statuses[status] += 1
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=ask) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(statuses) <= {200, 503} and sum(statuses.values()) == 40 and statuses[200] > 0, statuses
