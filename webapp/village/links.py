"""Link requests: the worker's registration that may be a pupil she may not be shown.

A worker learns the school and class of a pupil only within her villages' catchment. Any other
pupil with the same details is left to the county or the pupil's school: she registers the child
as she found her (a village child of her own, awaiting the link) and they decide. Confirming
makes the two one child, as a link at registration does; refusing leaves both as they are.
"""
from peewee import IntegrityError

from .. import audit
from ..clock import utcnow
from ..db import db
from ..models import Child, LeftBehindFile, LinkRequest, User
from ..safeguarding import cases
from . import service


def ask(worker, record, pupil, made_at, client_uuid):
    """The request that `record` (her registration) is `pupil`; part of her registration's entry."""
    link = LinkRequest.create(worker=worker, child=pupil, record=record, made_at=made_at, client_uuid=client_uuid)
    audit.record("request_pupil_link", link, child_id=pupil.id, record_id=record.id,
                 registered_child_id=record.child_id)
    return link


def register_awaiting_link(worker, village, name, sex, birth_date, file_data, made_at, client_uuid, pupil):
    """Her registration of a child she cannot be shown is `pupil`, and the request to link them.

    Returns (file, created); a replayed entry returns the first file and asks nothing twice.
    """
    with db.atomic():
        record, created = service.register_child(worker, village, name, sex, birth_date, file_data, made_at,
                                                 client_uuid)
        if created:
            ask(worker, record, pupil, made_at, client_uuid)
    return record, created


def pending_for(record):
    """The request still waiting on this registration, if any."""
    return (LinkRequest.select()
            .where((LinkRequest.record == record.id) & (LinkRequest.status == "pending"))
            .first())


def _claim(link, decider, status):
    """Decide a pending request once: of two deciders at the same moment, one wins."""
    return LinkRequest.update(status=status, decided_by=decider, decided_at=utcnow()).where(
        (LinkRequest.id == link.id) & (LinkRequest.status == "pending")
    ).execute() == 1


class PupilTaken(Exception):
    """The pupil was put on a village register since she asked: the request can only be refused."""


def confirm(link, decider):
    """Her registration becomes the pupil's: everything about the child she registered (file,
    check-ins, attendances, concerns, cases) moves onto the pupil, who joins her village; her
    own child record goes. Returns False when the request was already decided."""
    try:
        return _merge(link, decider)
    except IntegrityError:
        raise PupilTaken() from None  # a worker linked or filed the pupil at the same moment


def _merge(link, decider):
    with db.atomic():
        if not _claim(link, decider, "confirmed"):
            return False
        pupil = Child.get_by_id(link.child_id)
        record = LeftBehindFile.get_by_id(link.record_id)
        registered = Child.get_by_id(record.child_id)
        if pupil.village_id is not None or LeftBehindFile.select().where(LeftBehindFile.child == pupil.id).exists():
            raise PupilTaken()  # rolls the claim back
        # One child, one open case: if both had one, they become one before her records move
        # (the partial unique index would refuse a second open case on the pupil).
        cases.merge_open_cases((pupil.id, registered.id), decider, pupil.id)
        for field, model in Child._meta.backrefs.items():
            if model not in (User, LinkRequest):  # her child has no account and is nobody's pupil
                model.update({field: pupil.id}).where(field == registered.id).execute()
        service.take_in_pupil(pupil, registered.village, {f: getattr(record, f) for f in service.GUARDIAN_FIELDS})
        LeftBehindFile.update(linked_pupil=True).where(LeftBehindFile.id == record.id).execute()
        Child.delete().where(Child.id == registered.id).execute()
        audit.record("confirm_link_request", link, child_id=pupil.id, merged_child_id=registered.id,
                     village_id=pupil.village_id, record_id=record.id)
    return True


def refuse(link, decider):
    """Not the same child: the pupil stays untouched, her registration stays a child of its own."""
    with db.atomic():
        if not _claim(link, decider, "refused"):
            return False
        audit.record("refuse_link_request", link, child_id=link.child_id, record_id=link.record_id)
    return True
