"""A lease: one holder at a time for a kind of work, across threads, processes and hosts.

A row per kind of work (`lease`); whoever's conditional UPDATE finds it free (given back) or
expired holds it. The database decides, so it works the same on SQLite (one writer at a time)
and PostgreSQL (the second UPDATE waits on the row, then finds it taken). A holder that dies
keeps it only until it expires.
"""
import os
import socket
import threading
import uuid
from contextlib import contextmanager

from .models import Lease


def new_holder():
    """Who is asking: host, process and thread (for a reader of the table), and a random part so
    no two takers are ever the same holder."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}:{uuid.uuid4().hex[:12]}"


def take(name, holder, now, hold_for):
    """True when `holder` now holds the lease `name` until now + hold_for."""
    # The row is made on first use (a new or emptied database); a second maker is ignored.
    Lease.insert(name=name, holder="", expires_at=None).on_conflict_ignore().execute()
    taken = (
        Lease.update(holder=holder, expires_at=now + hold_for)
        .where((Lease.name == name) & (Lease.expires_at.is_null() | (Lease.expires_at <= now)))
        .execute()
    )
    return taken == 1


def give_back(name, holder):
    """Free the lease at once, if `holder` still has it (an expired one may be someone else's)."""
    Lease.update(holder="", expires_at=None).where((Lease.name == name) & (Lease.holder == holder)).execute()


def current_holder(name):
    row = Lease.get_or_none(Lease.name == name)
    return row.holder if row else ""


@contextmanager
def held(name, now, hold_for):
    """`with held("tick", now, minutes) as holder:` holder is None when someone else has it."""
    holder = new_holder()
    if not take(name, holder, now, hold_for):
        yield None
        return
    try:
        yield holder
    finally:
        give_back(name, holder)
