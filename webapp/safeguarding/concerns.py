"""Raising a concern, who hears of it, acknowledging and triaging it."""
from peewee import IntegrityError, fn

from .. import audit, entry_ids
from ..db import db
from ..models import ClassTeacher, Concern, School, User
from . import cases, notify


def _active(query):
    return query.where(User.active)


def school_team(child, roles):
    """Users of the child's school with the given roles (counsellors, principals)."""
    if child.school_id is None:
        return []
    return list(_active(User.select().where((User.school == child.school_id) & User.role.in_(roles))))


def head_teachers_of(child):
    if child.school_class_id is None:
        return []
    return list(_active(
        User.select().join(ClassTeacher).where(ClassTeacher.school_class == child.school_class_id)
    ))


def zone_and_county(child):
    """Where escalations go: the zone of the child's school (or, for a child not at school,
    the zones serving her township) and the county centre."""
    if child.school_id is not None:
        zone_ids = School.select(School.zone).where(School.id == child.school_id)
    elif child.village_id is not None:
        zone_ids = School.select(School.zone).where(School.township == child.village.township_id)
    else:
        zone_ids = None
    condition = User.role == "county"
    if zone_ids is not None:
        condition |= (User.role == "zone") & User.zone.in_(zone_ids)
    return list(_active(User.select().where(condition)))


def first_recipients(child, urgency):
    """Who hears of a new concern at once.

    Pupils: the school counsellors and the head teacher; urgent ones also the principal.
    A child not at school has no school team, so her concerns go to the zone and county.
    """
    if child.school_id is None:
        return zone_and_county(child)
    roles = ("counselor", "principal") if urgency == "urgent" else ("counselor",)
    return school_team(child, roles) + head_teachers_of(child)


def raise_concern(child, reporter, urgency, description, made_at, client_uuid, source="staff",
                  source_id=None, derived=False):
    """Store a concern once per client_uuid and tell those who must hear.

    Returns (concern, created). A repeated submission by its reporter returns the existing
    concern untouched; anybody else's id is refused (entry_ids.EntryIdTaken). `derived`: the id
    is the server's own (entry_ids.derived_id), whoever's entry raised the concern first.
    """
    by = entry_ids.SERVER if derived else reporter
    existing = entry_ids.earlier_entry(Concern.reporter, client_uuid, by)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            concern = Concern.create(
                child=child, reporter=reporter, urgency=urgency, description=description,
                made_at=made_at, client_uuid=client_uuid, source=source, source_id=source_id,
            )
            # The reporter is told too when she is one of them: she then sees who acknowledged.
            recipients = first_recipients(child, urgency)
            notify.notify(recipients, f"concern_{urgency}", f"concern:{concern.id}:new", concern=concern)
            if urgency == "urgent":
                notify.queue_alerts(recipients)
            audit.record("create_concern", concern, child_id=child.id, urgency=urgency, source=source)
            # A child with an open case: the concern joins it now, as it is raised, whatever its
            # source, rather than at triage. Her 责任人, who knows her best, hears the same day
            # instead of when a counsellor gets to the inbox; and the counsellor triaging it
            # finds it already on the case, with its notes, level and team beside it.
            current = cases.open_case_of(child.id)
            if current is not None:
                cases.attach_concern(concern, current)
    except IntegrityError as error:
        # Two copies of the same entry raced; the other one won.
        return entry_ids.after_race(Concern.reporter, client_uuid, by, error), False
    return concern, True


def acknowledge(concern, user, now):
    """The first acknowledgement stops the escalation clock; later ones change nothing."""
    updated = (
        Concern.update(status="acknowledged", acknowledged_by=user, acknowledged_at=now)
        .where((Concern.id == concern.id) & (Concern.status == "new"))
        .execute()
    )
    if updated:
        audit.record("acknowledge_concern", concern, child_id=concern.child_id)
    return bool(updated)


def triage_into_case(concern, case, user, now, risk_level, note):
    """The decision "case" for a child who already has an open case: the concern joins it
    (one child, one plan) instead of opening a second. The case's level is changed, if at all,
    on the case page, with its reason in the level history."""
    if concern.status == "new":
        acknowledge(concern, user, now)
    with db.atomic():
        Concern.update(
            status="case", risk_level=risk_level, triage_note=note, case_id=case.id,
            acknowledged_by=fn.COALESCE(Concern.acknowledged_by, user.id),
            acknowledged_at=fn.COALESCE(Concern.acknowledged_at, now),
        ).where(Concern.id == concern.id).execute()
        if concern.case_id != case.id:  # raised before the case was opened: her 责任人 hears now
            cases.attach_concern(concern, case)
        audit.record("triage_concern", concern, child_id=concern.child_id, decision="join_case", level=risk_level,
                     case=case.id)


def triage(concern, user, now, risk_level, decision, note):
    """Set the risk level and decide: close with a note or keep monitoring. (Opening a case
    is cases.open_case, which needs the care team.) Returns the new status."""
    if concern.status == "new":
        acknowledge(concern, user, now)
    status = {"close": "closed", "monitor": "monitoring"}[decision]
    Concern.update(
        status=status, risk_level=risk_level, triage_note=note,
        closed_at=now if status == "closed" else None,
        acknowledged_by=fn.COALESCE(Concern.acknowledged_by, user.id),
        acknowledged_at=fn.COALESCE(Concern.acknowledged_at, now),
    ).where(Concern.id == concern.id).execute()
    audit.record("triage_concern", concern, child_id=concern.child_id, decision=decision, level=risk_level)
    return status
