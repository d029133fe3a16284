"""Sign-in throttling: too many failures for one username, or too many failing usernames from
one address, lock sign-in a while.

Every attempt takes its place in the count before its secret is checked (`claim`): one short
transaction waits for the other attempts at the same username and address, counts the failures
in the window and, when there is room, writes this attempt as a failure. Only then is the
password, PIN or code checked; a right one is turned into a success (`settle`). So a hundred
requests at once get at most the limit checked (counting after the check let every request of
a burst pass while the first ones were still hashing), and only the claim, not the slow hash,
waits its turn.

The counts live in the database so that every app process sees the same ones. (Flask-Limiter
would keep a per-address count per process, or need a shared store this app does not run.)
Nothing reads an attempt older than the window, so the timed work deletes those (`forget_old`).
"""
from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import fn

from ..clock import utcnow
from ..db import db, is_sqlite
from ..models import LoginAttempt

# What an attempt tries, each with a count of its own: the sign-in (password or PIN, then the
# second step), or the unlock page (password and a recovery code), which a locked sign-in
# must not lock as well.
SIGN_IN, UNLOCK = "sign_in", "unlock"

LOCKED_MESSAGE = _l("Too many failed attempts. Please wait 15 minutes and try again.")

# Old attempts deleted a batch at a time, each DELETE its own short write (on SQLite the one
# write lock a sign-in's claim waits for); a backlog beyond MAX_BATCHES waits for the next tick.
FORGET_BATCH = 1000
FORGET_MAX_BATCHES = 50

# Advisory lock spaces (PostgreSQL): one lock per username, one per address.
_USERNAME_LOCKS, _ADDRESS_LOCKS = 1, 2


def _wait_for_others(username, address):
    """Hold back other claims for this username and this address until the transaction ends.
    SQLite: the transaction began IMMEDIATE (webapp.db) and so holds the database's one write
    lock already. PostgreSQL: transaction-scoped advisory locks, always the username's before
    the address's, so two claims never wait for each other in a circle."""
    if is_sqlite():
        return
    for space, key in ((_USERNAME_LOCKS, username), (_ADDRESS_LOCKS, address)):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (space, key))


def _failures(kind, since, *condition):
    return LoginAttempt.select().where(
        LoginAttempt.kind == kind, LoginAttempt.at > since, ~LoginAttempt.succeeded, *condition)


def claim(username, address, kind=SIGN_IN):
    """Count this attempt before its secret is checked. Returns the attempt's id, or None while
    the username or the address is locked: then nothing may be checked."""
    config = current_app.config
    now = utcnow()
    since = now - config["LOGIN_WINDOW"]
    with db.atomic():
        _wait_for_others(username, address)
        failures = _failures(kind, since, LoginAttempt.username == username).count()
        if failures >= config["LOGIN_MAX_FAILURES_PER_USER"]:
            return None
        # Per address, the accounts with failures not since put right are counted, not the
        # failures: one pupil mistyping her PIN again and again is her own lock's business, and
        # a whole school's pupils come from one address (its NAT), which five such pupils
        # locked when failures were counted. Many different accounts failing from one address
        # is someone trying one guess at each (which no account's lock sees): that still locks.
        accounts = (_failures(kind, since, LoginAttempt.address == address)
                    .select(fn.COUNT(LoginAttempt.username.distinct())).scalar())
        if accounts >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
            return None
        return LoginAttempt.insert(username=username, address=address, at=now, succeeded=False,
                                   kind=kind).execute()


def settle(attempt, username, complete=True):
    """The secret of a claimed attempt was right: it no longer counts as a failure. When the
    sign-in is complete (not waiting for a second step) the username's earlier failures are
    forgotten too; those claimed after this one still count. A wrong secret needs no call: the
    attempt was claimed as a failure."""
    with db.atomic():
        LoginAttempt.update(succeeded=True).where(LoginAttempt.id == attempt).execute()
        if complete:
            forget_failures(username, LoginAttempt.id < attempt)


def forget_failures(username, *condition):
    """Lift the username's lock (sign-in and unlock counts): after a complete sign-in, an unlock
    with a recovery code, or a new password or PIN set by someone allowed to."""
    LoginAttempt.delete().where(
        (LoginAttempt.username == username) & ~LoginAttempt.succeeded, *condition).execute()


def forget_old(now, batch=FORGET_BATCH, max_batches=FORGET_MAX_BATCHES):
    """Delete the attempts older than the window, sign-in and unlock alike, failed or not: `claim`
    counts only those after `now - LOGIN_WINDOW` and nothing else reads the table (the audit log
    keeps the sign-ins). Returns how many went."""
    before = now - current_app.config["LOGIN_WINDOW"]
    forgotten = 0
    for _ in range(max_batches):
        oldest = (LoginAttempt.select(LoginAttempt.id).where(LoginAttempt.at <= before)
                  .order_by(LoginAttempt.id).limit(batch))
        gone = LoginAttempt.delete().where(LoginAttempt.id.in_(oldest)).execute()
        forgotten += gone
        if gone < batch:
            break
    return forgotten
