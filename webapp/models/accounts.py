"""Accounts' second factor: one-time recovery codes (stored hashed)."""
from peewee import CharField, DateTimeField, ForeignKeyField

from ..clock import utcnow
from .county import BaseModel, User


class RecoveryCode(BaseModel):
    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=200)
    created_at = DateTimeField(default=utcnow)
    used_at = DateTimeField(null=True)


MODELS = [RecoveryCode]
__all__ = ["RecoveryCode"]
