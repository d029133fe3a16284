"""The attachments API other modules use: attach a file to a record, list a record's files,
read one back. Who may do either is access.ATTACHMENT_OWNERS (the owner record's own rules).

    from webapp.attachments.store import attach, attachments_of
    attach("training", training.id, request.files.get("file"), current_user)  # may raise files.Refused

A caller that decides inside its own transaction whether the file belongs checks it first
(files.prepare, outside: cleaning an image is slow) and keeps it there (`keep`).
"""
import operator
from functools import reduce

from .. import audit
from ..db import db
from ..models import Attachment, AttachmentBlob  # noqa: F401 (Attachment: for callers)
from . import files

OWNER_KINDS = ("visit", "inspection", "rectification", "emergency_plan", "training")


def attach(owner_kind, owner_id, upload, user):
    """Check, clean and keep `upload` as a file of (owner_kind, owner_id); audited. The caller has
    checked that `user` may (access.can(user, "attach_to", (owner_kind, owner_id)))."""
    return keep(owner_kind, owner_id, files.prepare(upload), user)


def keep(owner_kind, owner_id, prepared, user):
    """Keep a checked and cleaned upload ((bytes, mime) from files.prepare) as a file of
    (owner_kind, owner_id); audited. Inside the caller's transaction when there is one: its row
    goes with the caller's change, or not at all."""
    if owner_kind not in OWNER_KINDS:
        raise ValueError(owner_kind)
    data, mime = prepared
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[mime]
    in_dir = files.directory() is not None
    path = files.write_file(data, extension) if in_dir else ""
    with db.atomic():
        attachment = Attachment.create(owner_kind=owner_kind, owner_id=owner_id, mime=mime, size=len(data),
                                       sha256=files.digest(data), stored_in="dir" if in_dir else "db", path=path,
                                       uploaded_by=user)
        if not in_dir:
            AttachmentBlob.create(attachment=attachment, data=data)
        audit.record("attach_file", attachment, owner_kind=owner_kind, owner_id=owner_id, mime=mime,
                     size=len(data))
    return attachment


def remove(attachment, user):
    """Delete a file: its row, its bytes (blob or file), audited. The caller has checked that
    `user` may (access.can(user, "delete_attachment", attachment))."""
    with db.atomic():
        AttachmentBlob.delete().where(AttachmentBlob.attachment == attachment.id).execute()
        Attachment.delete().where(Attachment.id == attachment.id).execute()
        # Inside the transaction, after the rows: a file that cannot be removed keeps its row.
        if attachment.stored_in == "dir":
            files.remove_file(attachment.path)
        audit.record("delete_attachment", attachment, owner_kind=attachment.owner_kind,
                     owner_id=attachment.owner_id, user=user)


def attachments_of(owner_kind, owner_ids):
    """{owner id: [attachments, oldest first]} of one kind of record: one query, no file read."""
    owner_ids = list(owner_ids)
    result = {owner_id: [] for owner_id in owner_ids}
    if not owner_ids:
        return result
    for row in (Attachment.select().where((Attachment.owner_kind == owner_kind) & Attachment.owner_id.in_(owner_ids))
                .order_by(Attachment.uploaded_at, Attachment.id)):
        result.setdefault(row.owner_id, []).append(row)
    return result


def attachments_of_records(owners):
    """{owner kind: {owner id: [attachments, oldest first]}} of several kinds of record at once
    ({owner kind: owner ids}, as attachments_of each): one query."""
    result = {kind: {owner_id: [] for owner_id in ids} for kind, ids in owners.items()}
    wanted = [(Attachment.owner_kind == kind) & Attachment.owner_id.in_(list(ids))
              for kind, ids in owners.items() if ids]
    if not wanted:
        return result
    for row in (Attachment.select().where(reduce(operator.or_, wanted))
                .order_by(Attachment.uploaded_at, Attachment.id)):
        result[row.owner_kind].setdefault(row.owner_id, []).append(row)
    return result


def content(attachment):
    """The file's bytes."""
    if attachment.stored_in == "dir":
        return files.read_file(attachment.path)
    blob = AttachmentBlob.get(AttachmentBlob.attachment == attachment.id)
    return bytes(blob.data)


def download_name(attachment):
    """A name with no personal data: the kind of record and the file's number."""
    return f"{attachment.owner_kind}-{attachment.id}.{attachment.extension}"
