"""Accounts' second factor: one-time recovery codes (stored hashed); and each signed-in browser."""
from peewee import CharField, DateTimeField, ForeignKeyField

from ..clock import utcnow
from .county import BaseModel, User


class RecoveryCode(BaseModel):
    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=200)
    created_at = DateTimeField(default=utcnow)
    used_at = DateTimeField(null=True)


class SignIn(BaseModel):
    """One browser's sign-in. Its random token travels in the session and the remember cookie
    ("user id:token", see auth.sessions) and is stored here only as a digest; deleting the row
    signs that browser out, whatever copies of its cookies exist."""

    user = ForeignKeyField(User, backref="sign_ins", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    # Last use, moved on at most once a day: a sign-in in daily use never runs out.
    seen_at = DateTimeField(default=utcnow, index=True)


MODELS = [RecoveryCode, SignIn]
__all__ = ["RecoveryCode", "SignIn"]
