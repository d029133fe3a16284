"""A child's data rights (未成年人保护法 art. 72): everything about her exported whole, and
erasure on a verified request.

Both follow the links declared in LINKS below, never every foreign key: a committee pupil's
account is the author of weekly reports, concerns and peer-support entries about her
classmates, and those are other children's records. Every foreign key that points at the
child, at her account or at a record about her must be declared (`undeclared_links()`; a test
holds the list empty, and the walk refuses to pass an undeclared one), so a new model says
which kind of link it has before an export or erasure can run.
"""
import secrets
from collections import deque
from contextlib import contextmanager
from datetime import date, datetime

from peewee import ForeignKeyField, sort_models

from ..db import db, is_sqlite
from ..models import MODELS, Child, LoginAttempt, User

# Never exported: secrets, and the audit log (it holds ids only and must outlive an erasure).
HIDDEN_FIELDS = {"password_hash", "totp_secret", "token_hash"}

# The row is about what it points at, or is part of it: exported and erased with it.
ABOUT = "about"
# The row was written or handled by the account it points at: it stays (it is about someone
# else), and an erased pupil's account stays as a nameless tombstone so the row keeps an author.
BY = "by"
# A cross-reference to a record that is found through its own ABOUT link when it is hers: the
# row stays, and the database clears the link if the record goes (ON DELETE SET NULL).
SEE = "see"

# "table.field" of every foreign key to a child, an account or a record about a child.
LINKS = {
    # The child herself.
    "user.child": ABOUT,  # her committee account
    "concern.child": ABOUT,
    "case.child": ABOUT,
    "home_visit.child": ABOUT,
    "report_mention.child": ABOUT,  # named in a classmate's weekly report
    "peer_support.child": ABOUT,
    "left_behind_file.child": ABOUT,
    "check_in.child": ABOUT,
    "attendance.child": ABOUT,
    "link_request.child": ABOUT,
    "incident_child.child": ABOUT,  # directly involved in a critical incident (the incident stays)
    "follow_up.child": ABOUT,  # an affected pupil's follow-up after an incident
    "psychiatric_history.child": ABOUT,
    # Parts of records about her.
    "notification.concern": ABOUT,
    "case_member.case": ABOUT,
    "level_change.case": ABOUT,
    "case_note.case": ABOUT,
    "referral.case": ABOUT,
    "referral_feedback.referral": ABOUT,
    "link_request.record": ABOUT,
    "case.concern": SEE,
    "check_in.concern": SEE,
    "home_visit.concern": SEE,
    # Her account's own rows: its secrets, sign-ins, messages and links.
    "recovery_code.user": ABOUT,
    "sign_in.user": ABOUT,
    "notification.user": ABOUT,
    "class_teacher.user": ABOUT,
    "worker_village.user": ABOUT,
    "case_member.user": ABOUT,
    # Written or handled by an account.
    "audit_event.user": BY,  # the audit log is never rewritten
    "concern.reporter": BY,
    "concern.acknowledged_by": BY,
    "case.opened_by": BY,
    "level_change.changed_by": BY,
    "case_note.author": BY,
    "referral.created_by": BY,
    "referral_feedback.author": BY,
    "key_period.created_by": BY,
    "home_visit.author": BY,
    "weekly_report.author": BY,
    "weekly_report.confirmed_by": BY,
    "peer_support.author": BY,
    "left_behind_file.registered_by": BY,
    "check_in.worker": BY,
    "activity.worker": BY,
    "link_request.worker": BY,
    "link_request.decided_by": BY,
    "incident.opened_by": BY,
    "incident.closed_by": BY,
    "incident_step.done_by": BY,
    "follow_up.owner": BY,
    "follow_up.added_by": BY,
    "follow_up.done_by": BY,
    "psychiatric_history.set_by": BY,
    "inspection.inspector": BY,
    "rectification.owner": BY,
    "rectification.reported_by": BY,
    "rectification.decided_by": BY,
    "attachment.uploaded_by": BY,
}
# Ids kept in plain integer columns: (table, column) -> the table the id belongs to.
ID_LINKS = {("notification", "case_id"): "case"}


def _name(fk):
    return f"{fk.model._meta.table_name}.{fk.name}"


def _links_to(model):
    return [fk for fk in model._meta.backrefs if isinstance(fk, ForeignKeyField)]


def undeclared_links():
    """Foreign keys into the child's records (or any account) that LINKS does not classify."""
    missing, reached, queue = [], {Child, User}, deque([Child, User])
    while queue:
        for fk in _links_to(queue.popleft()):
            kind = LINKS.get(_name(fk))
            if kind is None:
                missing.append(fk)
            elif kind == ABOUT and fk.model not in reached:
                reached.add(fk.model)
                queue.append(fk.model)
    return missing


def _kind(fk):
    kind = LINKS.get(_name(fk))
    if kind is None:
        raise LookupError(f"{_name(fk)}: declare in trust.rights.LINKS whether it is about, by or see")
    return kind


def _id_links_to(model):
    tables = {m._meta.table_name: m for m in MODELS}
    for (table, column), target in ID_LINKS.items():
        if target == model._meta.table_name and table in tables:
            yield getattr(tables[table], column)


def records_about(child):
    """[(model, [rows])] for the child and everything about her, following ABOUT links only,
    in the order found (the child first)."""
    found = {Child: {child.id: child}}
    queue = deque([(Child, [child.id])])
    while queue:
        model, ids = queue.popleft()
        columns = [fk for fk in _links_to(model) if _kind(fk) == ABOUT] + list(_id_links_to(model))
        for column in columns:
            other = column.model
            known = found.setdefault(other, {})
            new = [row for row in other.select().where(column.in_(ids)) if row.id not in known]
            known.update((row.id, row) for row in new)
            if new:
                queue.append((other, [row.id for row in new]))
    return [(model, list(rows.values())) for model, rows in found.items() if rows]


def authored_by(accounts):
    """{table: rows} of what the accounts wrote or handled (BY links), the audit log aside."""
    ids = [account.id for account in accounts]
    counts = {}
    for fk in _links_to(User):
        if ids and _kind(fk) == BY and fk.model._meta.table_name != "audit_event":
            n = fk.model.select().where(fk.in_(ids)).count()
            if n:
                table = fk.model._meta.table_name
                counts[table] = counts.get(table, 0) + n
    return counts


def _named_anywhere(account):
    return any(fk.model.select().where(fk == account.id).exists() for fk in _links_to(User) if _kind(fk) == BY)


def _tombstone(account):
    """Keep the account row for what it wrote, with nothing of her left: no name (it reads as
    "Deleted committee member"), a random username, no secret, no link to the child."""
    User.update(
        username=f"erased-{secrets.token_hex(8)}", display_name="", phone="", email="",
        password_hash="!", zone=None, school=None, child=None, locale=None, active=False,
        totp_secret=None, totp_enabled=False, totp_last_step=0,
    ).where(User.id == account.id).execute()


def row_values(model, row):
    """Field name → plain value, without secrets."""
    values = {}
    for name, field in model._meta.fields.items():
        if name in HIDDEN_FIELDS:
            continue
        # Foreign keys as ids: the export must not reach into other people's records.
        value = row.__data__.get(name) if isinstance(field, ForeignKeyField) else getattr(row, name)
        values[name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return values


@contextmanager
def _scrubbed():
    """On SQLite, deleted rows are overwritten with zeros (secure_delete) and, once committed,
    the write-ahead log is folded into the file and emptied: otherwise her name stays readable
    in free pages and old WAL frames until some later checkpoint."""
    if not is_sqlite():
        yield
        return
    before = db.execute_sql("PRAGMA secure_delete").fetchone()[0]
    db.execute_sql("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA secure_delete = {int(before)}")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def erase(child, record=None):
    """Delete the child and every record about her, the most dependent first, in one
    transaction; her accounts are deleted, or kept as tombstones when they wrote something
    that stays. `record(removed, accounts)` writes the erasure's audit event inside the same
    transaction. Returns {table: rows removed}."""
    found = dict(records_about(child))
    accounts = found.get(User, [])
    removed = {}
    with _scrubbed(), db.atomic():
        for model in reversed(sort_models(found)):
            ids = [row.id for row in found[model]]
            if model is User:
                for account in accounts:
                    LoginAttempt.delete().where(LoginAttempt.username == account.username).execute()
                    if _named_anywhere(account):
                        _tombstone(account)
                    else:
                        User.delete().where(User.id == account.id).execute()
                removed["user"] = len(accounts)
                continue
            removed[model._meta.table_name] = model.delete().where(model.id.in_(ids)).execute()
        if record is not None:
            record(removed, [account.id for account in accounts])
    return removed
