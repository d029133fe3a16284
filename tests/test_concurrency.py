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
