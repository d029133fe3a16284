"""Opening a critical incident, telling those who must act, the plan's checklist, postvention
(affected pupils and their follow-up tasks) and closing with a review. Audited throughout."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from peewee import IntegrityError

from .. import audit, entry_ids
from ..db import db
from ..models import (
    Child,
    ClassTeacher,
    FollowUp,
    Incident,
    IncidentChild,
    IncidentStep,
    Notification,
    OutboundMessage,
    School,
    User,
    Village,
)
from ..safeguarding import concerns as concern_service
from . import plan


def recipients(incident):
    """Who hears at once: the school's counsellors and principal, the zone of the school (for a
    village, the zones serving its township) and the county centre. The opener knows already."""
    condition = User.role == "county"
    if incident.school_id is not None:
        condition |= (User.role.in_(("counselor", "principal")) & (User.school == incident.school_id))
        zones = School.select(School.zone).where(School.id == incident.school_id)
        condition |= (User.role == "zone") & User.zone.in_(zones)
    elif incident.village_id is not None:
        township = Village.select(Village.township).where(Village.id == incident.village_id)
        zones = School.select(School.zone).where(School.township.in_(township))
        condition |= (User.role == "zone") & User.zone.in_(zones)
    query = User.select().where(condition & User.active)
    if incident.opened_by_id is not None:
        query = query.where(User.id != incident.opened_by_id)
    return list(query.order_by(User.id))


def _notify(users, incident):
    """One in-app message per user (the unique dedupe key makes a replay a no-op)."""
    for user in users:
        try:
            with db.atomic():
                Notification.create(user=user, kind="incident_opened", dedupe_key=f"incident:{incident.id}:opened",
                                    incident_id=incident.id)
        except IntegrityError:
            continue


def alert_text(incident):
    """(subject, body) of the e-mail and WeCom alert: no child, no school, no kind; a link only."""
    link = current_app.config.get("BASE_URL", "").rstrip("/") + f"/incidents/{incident.id}"
    with force_locale("zh_Hans_CN"):
        subject = _("XinQiao: a critical incident was reported")
        body = _("A critical incident was reported. Please sign in to XinQiao now and follow the emergency "
                 "plan: %(link)s", link=link)
    return subject, body


def _queue_alerts(users, incident):
    config = current_app.config
    subject, body = alert_text(incident)
    if config.get("MAIL_SERVER"):
        for user in users:
            if user.email:
                OutboundMessage.create(channel="email", recipient=user.email, subject=subject, body=body)
    if config.get("WECOM_WEBHOOK_URL") and users:
        OutboundMessage.create(channel="wecom", recipient="", subject=subject, body=body)


def open_incident(user, *, kind, school_id, village_id, happened_at, description, child_ids, made_at,
                  client_uuid):
    """Store the incident once per client_uuid (a replay by its author returns it), copy the
    plan's steps into it, and alert at once. Returns (incident, created)."""
    existing = entry_ids.earlier_entry(Incident.opened_by, client_uuid, user)
    if existing is not None:
        return existing, False
    source, steps = plan.steps_for(school_id)
    try:
        with db.atomic():
            incident = Incident.create(
                kind=kind, school=school_id, village=village_id, happened_at=happened_at, description=description,
                opened_by=user, made_at=made_at, client_uuid=client_uuid, plan_source=source,
            )
            if child_ids:
                IncidentChild.insert_many([{"incident": incident.id, "child": cid} for cid in child_ids]).execute()
            IncidentStep.insert_many([{"incident": incident.id, "position": i, "text": text[:200]}
                                      for i, text in enumerate(steps)]).execute()
            told = recipients(incident)
            _notify(told, incident)
            _queue_alerts(told, incident)
            audit.record("open_incident", incident, kind=kind, children=sorted(child_ids), told=len(told))
    except IntegrityError as error:
        return entry_ids.after_race(Incident.opened_by, client_uuid, user, error), False
    return incident, True


def tick_step(incident, position, user, now):
    """Record who did a step and when; a step is done once (a second tick changes nothing)."""
    done = (IncidentStep.update(done_by=user.id, done_at=now)
            .where((IncidentStep.incident == incident.id) & (IncidentStep.position == position)
                   & IncidentStep.done_at.is_null()).execute())
    if done:
        audit.record("incident_step", incident, step=position)
    return bool(done)


def _owners(children, fallback):
    """Each child's default follow-up owner: her head teacher, else her school's counsellor, else
    the one adding her. Two queries whatever the number of children."""
    class_ids = {c.school_class_id for c in children if c.school_class_id}
    school_ids = {c.school_id for c in children if c.school_id}
    heads, counsellors = {}, {}
    if class_ids:
        for link in (ClassTeacher.select(ClassTeacher.school_class, ClassTeacher.user).join(User)
                     .where(ClassTeacher.school_class.in_(class_ids) & User.active).order_by(ClassTeacher.user)):
            heads.setdefault(link.school_class_id, link.user_id)
    if school_ids:
        for counsellor in (User.select(User.id, User.school).where(
                (User.role == "counselor") & User.school.in_(school_ids) & User.active).order_by(User.id)):
            counsellors.setdefault(counsellor.school_id, counsellor.id)
    return {c.id: heads.get(c.school_class_id) or counsellors.get(c.school_id) or fallback.id for c in children}


def add_affected(incident, children, level, user, now, owner=None):
    """Postvention: add pupils at a level, each with a follow-up task due within the county's
    deadline for that level. Pupils already on the list stay as they are. Returns how many were added."""
    already = {fid for (fid,) in FollowUp.select(FollowUp.child).where(FollowUp.incident == incident.id).tuples()}
    fresh = [c for c in {c.id: c for c in children}.values() if c.id not in already]
    if not fresh:
        return 0
    owners = _owners(fresh, user) if owner is None else {c.id: owner.id for c in fresh}
    due = now + plan.deadline(level)
    with db.atomic():
        # A pupil someone else added at the same moment is skipped, not the whole batch.
        FollowUp.insert_many([
            {"incident": incident.id, "child": c.id, "level": level, "owner": owners[c.id], "added_by": user.id,
             "added_at": now, "due_at": due} for c in fresh
        ]).on_conflict_ignore().execute()
        added = sorted(fid for (fid,) in FollowUp.select(FollowUp.child).where(
            (FollowUp.incident == incident.id) & FollowUp.child.in_([c.id for c in fresh])
            & (FollowUp.added_by == user.id) & (FollowUp.added_at == now)).tuples())
        if added:
            audit.record("incident_postvention", incident, level=level, children=added)
    return len(added)


def class_pupils(school_class_id):
    return list(Child.select().where(Child.school_class == school_class_id))


def complete(follow_up, user, note, now):
    done = (FollowUp.update(done_by=user.id, done_at=now, note=note)
            .where((FollowUp.id == follow_up.id) & FollowUp.done_at.is_null()).execute())
    if done:
        audit.record("incident_follow_up_done", follow_up, child_id=follow_up.child_id, incident=follow_up.incident_id)
    return bool(done)


def raise_concern(follow_up, user, urgency, description, made_at, client_uuid):
    """The follow-up found more: a concern about the pupil, linked to her task (and joining her
    open case, if she has one, as every concern does)."""
    concern, created = concern_service.raise_concern(
        follow_up.child, user, urgency, description, made_at, client_uuid, source="incident",
        source_id=follow_up.id,
    )
    FollowUp.update(concern_id=concern.id).where(FollowUp.id == follow_up.id).execute()
    return concern, created


def close(incident, user, what, learned, now):
    closed = (Incident.update(status="closed", closed_by=user.id, closed_at=now, review_what=what,
                              review_learned=learned)
              .where((Incident.id == incident.id) & (Incident.status == "open")).execute())
    if closed:
        audit.record("close_incident", incident)
    return bool(closed)
