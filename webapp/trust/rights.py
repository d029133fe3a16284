"""A child's data rights (未成年人保护法 art. 72): everything about her exported whole, and
erasure on a verified request. Both walk the data model, so every capability's records about
a child are covered without a list to keep up to date."""
from collections import deque
from datetime import date, datetime

from peewee import ForeignKeyField

from ..db import db
from ..models import Child

# Never exported: secrets, and the audit log (it holds ids only and must outlive an erasure).
HIDDEN_FIELDS = {"password_hash", "totp_secret"}


def _referencing(model):
    """(other model, its foreign key) for every model pointing at `model`."""
    return [(fk.model, fk) for fk in model._meta.backrefs if isinstance(fk, ForeignKeyField)]


def records_about(child):
    """[(model, [rows])] for the child and everything that refers to her, breadth first."""
    found = [(Child, [child])]
    queue = deque([(Child, [child.id])])
    seen = {Child}
    while queue:
        model, ids = queue.popleft()
        for other, fk in _referencing(model):
            if other in seen or other.__name__ == "AuditEvent":
                continue
            rows = list(other.select().where(fk.in_(ids)))
            if rows:
                seen.add(other)
                found.append((other, rows))
                queue.append((other, [row.id for row in rows]))
    return found


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


def erase(child):
    """Delete the child and every record about her, the most dependent first, in one
    transaction. Returns {table: rows removed}. Accounts linked to her (a pupil's committee
    account) go too; other people's accounts are never touched."""
    found = records_about(child)
    removed = {}
    with db.atomic():
        for model, rows in reversed(found):
            ids = [row.id for row in rows]
            removed[model._meta.table_name] = model.delete().where(model.id.in_(ids)).execute()
    return removed
