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
from typing import NamedTuple

from peewee import BlobField, ForeignKeyField, sort_models

from ..attachments.files import remove_file
from ..db import db, is_sqlite
from ..models import MODELS, Attachment, Child, LoginAttempt, User

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
    "student_number.child": ABOUT,  # her 学籍号
    "screening_result.child": ABOUT,
    "screening_warning.child": ABOUT,
    # Parts of records about her.
    "notification.concern": ABOUT,
    "case_member.case": ABOUT,
    "level_change.case": ABOUT,
    "case_note.case": ABOUT,
    "referral.case": ABOUT,
    "referral_feedback.referral": ABOUT,
    "link_request.record": ABOUT,
    "screening_warning.result": ABOUT,
    "attachment_blob.attachment": ABOUT,  # the bytes of a file kept in the database
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
    "self_check_contact.user": ABOUT,  # a teacher's own request to be contacted
    # A psychology teacher's register entry names her account; it stays, unlinked.
    "programme_staff.user": SEE,
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
    "programme_activity.author": BY,
    "screening_round.opened_by": BY,
    "screening_setting_change.changed_by": BY,
    "screening_result.entered_by": BY,
    "screening_warning.closed_by": BY,
    "screening_import.uploaded_by": BY,
    "screening_session.started_by": BY,
}
# Ids kept in plain integer columns: (table, column) -> the table the id belongs to.
ID_LINKS = {("notification", "case_id"): "case"}
# Attachments name their record by (owner_kind, owner_id), not by a foreign key, so the walk
# would never find the photo of a visit to her home: each owner kind says which table owner_id
# belongs to and how the file stands to that record (a file is part of it: ABOUT, exported and
# erased with it, its bytes too). Every kind that attachments.store and access.ATTACHMENT_OWNERS
# know must be here (`undeclared_links()`), so a new kind of record that takes files says so.
ATTACHMENT_LINKS = {
    "visit": ("home_visit", ABOUT),  # the signed paper 家访记录表
    "inspection": ("inspection", ABOUT),
    "rectification": ("rectification", ABOUT),
    "emergency_plan": ("emergency_plan", ABOUT),
    "training": ("training", ABOUT),
}


def _name(fk):
    return f"{fk.model._meta.table_name}.{fk.name}"


def _links_to(model):
    return [fk for fk in model._meta.backrefs if isinstance(fk, ForeignKeyField)]


class UndeclaredOwner(NamedTuple):
    """An attachment owner kind missing from ATTACHMENT_LINKS, listed like a foreign key."""
    model: type
    name: str


def _attachment_owner_kinds():
    from ..access import ATTACHMENT_OWNERS
    from ..attachments.store import OWNER_KINDS

    return sorted(set(OWNER_KINDS) | set(ATTACHMENT_OWNERS))


def undeclared_links():
    """Foreign keys into the child's records (or any account) that LINKS does not classify,
    and attachment owner kinds that ATTACHMENT_LINKS does not."""
    missing = [UndeclaredOwner(Attachment, f"owner_kind={kind}")
               for kind in _attachment_owner_kinds() if kind not in ATTACHMENT_LINKS]
    reached, queue = {Child, User}, deque([Child, User])
    while queue:
        model = queue.popleft()
        about = []
        for fk in _links_to(model):
            kind = LINKS.get(_name(fk))
            if kind is None:
                missing.append(fk)
            elif kind == ABOUT:
                about.append(fk.model)
        if any(column is Attachment.owner_id for column, _condition in _id_links_to(model)):
            about.append(Attachment)  # and so the blob's link must be declared too
        for other in about:
            if other not in reached:
                reached.add(other)
                queue.append(other)
    return missing


def _kind(fk):
    kind = LINKS.get(_name(fk))
    if kind is None:
        raise LookupError(f"{_name(fk)}: declare in trust.rights.LINKS whether it is about, by or see")
    return kind


def _id_links_to(model):
    """(column, condition) of the rows about `model`'s rows that hold its id without a foreign
    key: ID_LINKS, and the attachments of the kinds owned by `model` (condition: the kind)."""
    tables = {m._meta.table_name: m for m in MODELS}
    for (table, column), target in ID_LINKS.items():
        if target == model._meta.table_name and table in tables:
            yield getattr(tables[table], column), None
    for owner_kind, (target, kind) in ATTACHMENT_LINKS.items():
        if target == model._meta.table_name and kind == ABOUT:
            yield Attachment.owner_id, Attachment.owner_kind == owner_kind


def records_about(child):
    """[(model, [rows])] for the child and everything about her, following ABOUT links only,
    in the order found (the child first)."""
    undeclared = [kind for kind in _attachment_owner_kinds() if kind not in ATTACHMENT_LINKS]
    if undeclared:
        raise LookupError(f"attachment owner kinds {undeclared}: declare in trust.rights.ATTACHMENT_LINKS")
    found = {Child: {child.id: child}}
    queue = deque([(Child, [child.id])])
    while queue:
        model, ids = queue.popleft()
        columns = [(fk, None) for fk in _links_to(model) if _kind(fk) == ABOUT] + list(_id_links_to(model))
        for column, condition in columns:
            other = column.model
            known = found.setdefault(other, {})
            where = column.in_(ids) if condition is None else (column.in_(ids) & condition)
            new = [row for row in other.select().where(where) if row.id not in known]
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
        # A file's bytes are not a cell: the export lists the attachment (kind, type, size, hash).
        if name in HIDDEN_FIELDS or isinstance(field, BlobField):
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
        # Her files kept under ATTACHMENTS_DIR go inside the transaction, after their rows: if a
        # file cannot be removed, nothing is erased and the county can try again; a failure to
        # commit after this leaves a row without its file, never her file without a row.
        for attachment in found.get(Attachment, []):
            if attachment.stored_in == "dir":
                remove_file(attachment.path)
        if record is not None:
            record(removed, [account.id for account in accounts])
    return removed
