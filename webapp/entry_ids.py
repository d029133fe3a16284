"""Entry ids: what makes a replayed entry "the same entry", for every create path.

A phone sends each entry with its own client_uuid (crypto.randomUUID), and a replay (the offline
outbox, a double tap) sends it again: the server answers with the entry it already stored. That
answer is only for the entry's author. An id someone else's entry holds is refused with a 409
that says nothing about that entry (EntryIdTaken), so a copied or guessed id never opens
another user's concern, case or visit.

Ids the server makes for the entries it writes itself (the concern a visit, a check-in or a
weekly report raises) are keyed with the app's secret (derived_id): nobody outside can work
them out in advance and take one first, which would silence the alert.
"""
import hashlib
import hmac
import json
import uuid

from flask import current_app

# `author` of an id the server derived: whoever's entry it became, it is the same entry (a
# supplement by the other committee member must not raise the week's repeated-mention concern twice).
SERVER = object()


class EntryIdTaken(Exception):
    """The client_uuid names an entry written by someone else. Answered with a 409 (errors.py)."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def earlier_entry(author_field, client_uuid, author):
    """The entry this id already names, when `author` wrote it; None when the id is new.

    `author_field` is the model's author column (Concern.reporter, HomeVisit.author, …).
    Raises EntryIdTaken when another user's entry (or one whose author is gone) holds it.
    """
    model = author_field.model
    existing = model.get_or_none(model.client_uuid == client_uuid)
    if existing is None or author is SERVER:
        return existing
    return same_author(existing, existing.__data__.get(author_field.name), author)


def same_author(entry, author_id, author):
    """The one rule: an entry is answered only to the user who wrote it."""
    if author_id is None or author_id != author.id:
        raise EntryIdTaken(type(entry).__name__)
    return entry


def after_race(author_field, client_uuid, author, error):
    """After an IntegrityError on create: the copy that won the race, when it is the author's.
    When no entry holds the id, another constraint failed: the error goes on."""
    existing = earlier_entry(author_field, client_uuid, author)
    if existing is None:
        raise error
    return existing


def _key():
    secret = current_app.config.get("SECRET_KEY")
    if not secret:
        raise RuntimeError("SECRET_KEY is needed to derive entry ids")
    if isinstance(secret, str):
        secret = secret.encode()
    # A key of its own, derived from the app's: session signing and entry ids never share one.
    return hmac.new(secret, b"xinqiao entry ids v1", hashlib.sha256).digest()


def derived_id(kind, *values):
    """The id of an entry the server writes, from its kind and the values that make it one:
    HMAC-SHA256 under the app's secret, formatted as a UUID (version 8, "custom").

    The same values give the same id, so a replay never doubles the entry; without the secret
    the id cannot be worked out in advance."""
    message = json.dumps([kind, *(str(value) for value in values)], ensure_ascii=False).encode()
    digest = hmac.new(_key(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:16], "big")
    number = (number & ~(0xF << 76)) | (0x8 << 76)  # version 8
    number = (number & ~(0x3 << 62)) | (0x2 << 62)  # RFC 9562 variant
    return str(uuid.UUID(int=number))
