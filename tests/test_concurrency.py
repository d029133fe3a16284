"""Many phones submitting at once, some entries twice: nothing locked, lost or doubled."""
import threading
import uuid
from collections import Counter

from webapp.models import Concern

from .conftest import Browser

WRITERS = 8
ENTRIES_PER_WRITER = 15


def test_concurrent_submissions_store_every_entry_exactly_once(app, county):
    children = [county.kids.zhang_san.id, county.kids.li_si.id]
    # Every entry is sent by two different writers, as a phone and its retry would.
    entries = [str(uuid.uuid4()) for _ in range(WRITERS * ENTRIES_PER_WRITER // 2)]
    plan = {w: [entries[(w * ENTRIES_PER_WRITER + i) % len(entries)] for i in range(ENTRIES_PER_WRITER)]
            for w in range(WRITERS)}
    statuses, errors = Counter(), []
    barrier = threading.Barrier(WRITERS)

    def writer(number):
        try:
            head = Browser(app.test_client())
            head.login("head1")
            head.get(f"/concerns/new?child={children[0]}")
            barrier.wait()
            for i, entry in enumerate(plan[number]):
                child = children[i % 2]
                response = head.post(f"/concerns/new?child={child}", {
                    "urgency": "soon", "description": f"第{i}条", "client_uuid": entry})
                statuses[response.status_code] += 1
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == Counter({200: WRITERS * ENTRIES_PER_WRITER})
    stored = Counter(c.client_uuid for c in Concern.select())
    assert set(stored) == set(entries)  # nothing lost
    assert max(stored.values()) == 1  # nothing doubled


def test_dashboards_read_while_visits_are_logged_end_with_the_records_answer(app, county):
    """Readers compute tallies while writers add visits: no tally survives that a write made
    wrong (a reader's computation must not be stored after a write it did not see)."""
    from datetime import date, datetime

    from webapp.clock import today
    from webapp.dashboard import metrics, tallied
    from webapp.db import db
    from webapp.models import HomeVisit

    kids = [county.kids.zhang_san, county.kids.li_si, county.kids.wang_wu, county.kids.zhao_liu,
            county.kids.sun_qi, county.kids.zhou_ba, county.kids.wu_jiu]
    schools = [s.id for s in county.schools]
    errors, stop = [], threading.Event()
    with app.app_context():
        day = today()

    def writer(number):
        try:
            with app.app_context(), db.connection_context():
                for i in range(10):
                    kid = kids[(number + i) % len(kids)]
                    HomeVisit.create(child=kid, author=county.users.head1, visited_on=date(2026, 11, 1 + i % 17),
                                     made_at=datetime(2026, 11, 18), client_uuid=str(uuid.uuid4()))
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    def reader():
        try:
            with app.app_context(), db.connection_context():
                while not stop.is_set():
                    tallied.school_figures(schools, day)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()

    assert errors == []
    with app.app_context():
        assert HomeVisit.select().count() == 40
        assert tallied.school_figures(schools, day) == metrics.school_day_figures(schools, day)
