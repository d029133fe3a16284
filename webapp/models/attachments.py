"""Files attached to records (issue 19): the emergency plan's document, a training certificate,
inspection photos, 整改 evidence, the signed paper 家访记录表 of a home visit.

An attachment belongs to one record, named by (owner_kind, owner_id); whoever may read that
record may read the file, nobody else (attachments.owners). The bytes are kept apart from the
row, in attachment_blob (the database, so app servers stay stateless) or under ATTACHMENTS_DIR
(`stored_in` "dir", `path` relative to it), so a list of attachments never loads a file.
"""
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..clock import utcnow
from .county import BaseModel, User

ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")


class Attachment(BaseModel):
    owner_kind = CharField(max_length=16)
    owner_id = IntegerField()
    mime = CharField(max_length=40)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    stored_in = CharField(max_length=4, default="db")  # "db" or "dir"
    path = CharField(max_length=120, default="")
    uploaded_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    uploaded_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("owner_kind", "owner_id"), False),)

    @property
    def extension(self):
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(self.mime, "bin")


class AttachmentBlob(BaseModel):
    attachment = ForeignKeyField(Attachment, unique=True, backref="+", on_delete="CASCADE")
    data = BlobField()


MODELS = [Attachment, AttachmentBlob]

__all__ = [model.__name__ for model in MODELS] + ["ATTACHMENT_TYPES"]
