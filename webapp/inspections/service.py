"""Recording an inspection and following its 整改 items: assigned (the owner is told in the
app), reported done by the school, accepted or sent back by the inspector side. Audited at
every step, ids and codes only."""
from peewee import IntegrityError

from .. import audit
from ..attachments.store import keep
from ..clock import today, utcnow
from ..db import db
from ..models import Inspection, InspectionCheck, Notification, Rectification, User
from ..programme import compliance

OWNER_ROLES = ("principal", "counselor")


def school_owners(school_id):
    """Who may own a 整改 item: the school's active principal and psychology teachers."""
    return list(User.select().where((User.school == school_id) & User.role.in_(OWNER_ROLES) & User.active)
                .order_by(User.role.desc(), User.display_name))


def checklist(school_id, day):
    """[(requirement, computed cell, prefilled verdict)] from the compliance of the school on `day`."""
    found = compliance.evaluate([school_id], day)
    cells = found.cells[school_id]
    prefill = {"met": "met", "missed": "not_met"}
    return [(r, cells[r.key], prefill.get(cells[r.key].state, "not_checked")) for r in found.requirements]


def _notify(item, kind, key):
    if item.owner_id is None:
        return
    try:
        with db.atomic():
            Notification.create(user=item.owner_id, kind=kind, dedupe_key=f"rectification:{item.id}:{key}",
                                rectification_id=item.id)
    except IntegrityError:
        pass


def add_finding(inspection, finding, owner_id, due_on, user):
    with db.atomic():
        item = Rectification.create(inspection=inspection, school=inspection.school_id, finding=finding,
                                    owner=owner_id, due_on=due_on)
        audit.record("add_rectification", item, inspection_id=inspection.id, owner_id=owner_id,
                     due_on=due_on.isoformat(), user=user)
        _notify(item, "rectification_assigned", "assigned")
    return item


def record_inspection(user, school, day, summary, verdicts, finding=None):
    """Store the inspection, its checklist ({key: (computed state, verdict, note)}, in order) and
    the first finding (finding text, owner id, deadline) if one was given."""
    with db.atomic():
        inspection = Inspection.create(school=school, inspector=user, day=day, summary=summary)
        if verdicts:
            InspectionCheck.insert_many([
                {"inspection": inspection.id, "requirement": key, "computed": computed, "verdict": verdict,
                 "note": note, "position": n}
                for n, (key, (computed, verdict, note)) in enumerate(verdicts.items())
            ]).execute()
        audit.record("record_inspection", inspection, school_id=school.id, day=day.isoformat(),
                     not_met=sum(v[1] == "not_met" for v in verdicts.values()), user=user)
        if finding:
            add_finding(inspection, *finding, user)
    return inspection


def report_done(item, user, note, evidence=None):
    """Reported only while open, with its evidence if any (a file from files.prepare): a second
    report racing the first changes nothing, logs nothing and keeps no file."""
    with db.atomic():
        changed = Rectification.update(status="reported", report_note=note, reported_at=utcnow(),
                                       reported_by=user.id).where(
            (Rectification.id == item.id) & (Rectification.status == "open")).execute()
        if changed:
            audit.record("report_rectification", item, late=item.due_on < today(), user=user)
            if evidence is not None:
                keep("rectification", item.id, evidence, user)
    return bool(changed)


def accept(item, user):
    with db.atomic():
        changed = Rectification.update(status="accepted", decided_at=utcnow(), decided_by=user.id).where(
            (Rectification.id == item.id) & (Rectification.status == "reported")).execute()
        if changed:
            audit.record("accept_rectification", item, user=user)
    return bool(changed)


def send_back(item, user, note):
    """Not done as asked: open again for the school, its owner told."""
    with db.atomic():
        changed = Rectification.update(status="open", decided_at=utcnow(), decided_by=user.id, return_note=note,
                                       returned_count=Rectification.returned_count + 1).where(
            (Rectification.id == item.id) & (Rectification.status == "reported")).execute()
        if changed:
            audit.record("return_rectification", item, user=user)
            item = Rectification.get_by_id(item.id)
            _notify(item, "rectification_returned", f"returned:{item.returned_count}")
    return bool(changed)


def overdue(query, day=None):
    """Items the school has not reported done by their deadline (a report waiting for the
    inspector's acceptance is not the school's delay)."""
    return query.where((Rectification.status == "open") & (Rectification.due_on < (day or today())))
