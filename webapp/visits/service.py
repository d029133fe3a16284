"""Logging a home visit once per entry, correcting it the same day, and what it writes on the child."""
from peewee import IntegrityError

from .. import audit, entry_ids
from ..clock import utcnow
from ..db import db
from ..models import Child, HomeVisit
from ..prepared import prepared
from ..safeguarding.concerns import raise_concern
from . import rules

SOURCE = "home_visit"


def concern_uuid(visit_uuid):
    """The concern raised with a visit has an id derived from the visit's: a replay never doubles it."""
    return entry_ids.derived_id("home-visit-concern", visit_uuid)


def starting_situation(child):
    """The checklist the form starts from: what the child's record already says."""
    stored = [code for code in child.family_situation.split(",") if code]
    return rules.starting_situation(stored, child.left_behind, child.single_parent, child.problem_family)


@prepared
def _situation_on(slots):
    return Child.select(Child.family_situation_on, Child.problem_family).where(Child.id == slots.child_id).tuples()


@prepared
def _visit_of_entry(slots):
    return HomeVisit.select().where(HomeVisit.client_uuid == slots.client_uuid)


def _record_situation(child_id, codes, visited_on, visit_id):
    """Write the family situation as of this visit onto the child, unless a later visit's is there.
    问题家庭 set or cleared this way is audited as when set on the child's page."""
    recorded_on, problem_family = _situation_on.first(child_id=child_id)
    fields = rules.situation_update(codes, visited_on, recorded_on)
    if fields is not None:
        Child.update(**fields).where(Child.id == child_id).execute()
        if bool(problem_family) != fields["problem_family"]:
            audit.record("set_problem_family", object_type="Child", object_id=child_id, child_id=child_id,
                         value=fields["problem_family"], visit_id=visit_id)


def form_values(visit):
    """A stored visit as the correction form's starting values."""
    return {
        "visited_on": visit.visited_on, "mode": visit.mode, "received_by": visit.receiver_list,
        "child_present": visit.child_present, "family_situation": visit.situation_list,
        "findings": visit.findings, "guidance": visit.guidance, "follow_up": visit.follow_up,
    }


def _columns(data):
    return {
        **data,
        "received_by": ",".join(data["received_by"]),
        "family_situation": ",".join(data["family_situation"]),
    }


def log_visit(child, author, data, made_at, client_uuid, concern=None):
    """Store a visit once per client_uuid; `concern` is (urgency, text) or None.

    Returns (visit, created). Her repeated submission returns the existing visit untouched;
    anybody else's entry id is refused (entry_ids.EntryIdTaken).
    """
    existing = _visit_of_entry.first(client_uuid=client_uuid)
    if existing is not None:
        return entry_ids.same_author(existing, existing.author_id, author), False
    try:
        with db.atomic():
            visit = HomeVisit.create(
                child=child, author=author, school_class=child.school_class_id, made_at=made_at,
                client_uuid=client_uuid, **_columns(data),
            )
            _record_situation(child.id, data["family_situation"], data["visited_on"], visit.id)
            if concern is not None:
                urgency, description = concern
                raised, _ = raise_concern(child, author, urgency, description, made_at,
                                          client_uuid=concern_uuid(client_uuid), source=SOURCE,
                                          source_id=visit.id, derived=True)
                visit.concern = raised
                visit.save(only=[HomeVisit.concern])
            audit.record("create_home_visit", visit, child_id=child.id, mode=data["mode"],
                         concern_id=visit.concern_id)
    except IntegrityError as error:
        # Two copies of the same entry raced (a double tap, a replay); the other one won.
        return entry_ids.after_race(HomeVisit.author, client_uuid, author, error), False
    return visit, True


def correct_visit(visit, data):
    """The author's same-day correction (the policy checked she may). Returns the changed field names."""
    columns = _columns(data)
    changed = sorted(name for name, value in columns.items() if getattr(visit, name) != value)
    if not changed:
        return []
    with db.atomic():
        HomeVisit.update(corrected_at=utcnow(), **columns).where(HomeVisit.id == visit.id).execute()
        _record_situation(visit.child_id, data["family_situation"], data["visited_on"], visit.id)
        audit.record("correct_home_visit", visit, child_id=visit.child_id, fields=changed)
    return changed
