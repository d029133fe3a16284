"""The school's register: staff and their trainings, the room, the emergency plan. Every write
is audited (ids and codes only)."""
from peewee import JOIN, IntegrityError, fn

from .. import audit, entry_ids
from ..clock import utcnow
from ..db import db
from ..models import (
    CounsellingRoom,
    EmergencyPlan,
    PlanStep,
    ProgrammeActivity,
    ProgrammeStaff,
    School,
    SchoolClass,
    Training,
    User,
)
from ..prepared import prepared


@prepared
def _staff_with_trainings(slots):
    # A row per training (one with none for a member never trained), its member beside it.
    return (ProgrammeStaff.select(ProgrammeStaff, Training)
            .join(Training, JOIN.LEFT_OUTER, on=(Training.staff == ProgrammeStaff.id), attr="training")
            .where(ProgrammeStaff.school == slots.school_id)
            .order_by(ProgrammeStaff.active.desc(), ProgrammeStaff.post, ProgrammeStaff.name, ProgrammeStaff.id,
                      Training.day.desc()))


def staff_of(school_id):
    """The school's staff, active first, with their trainings ({staff id: [Training]}, newest
    first): one query."""
    staff, trainings = {}, {}
    for row in _staff_with_trainings.rows(school_id=school_id):
        staff.setdefault(row.id, row)
        if row.training is not None:
            trainings.setdefault(row.id, []).append(row.training)
    return list(staff.values()), trainings


@prepared
def _school_accounts(slots):
    return (User.select(User.id, User.display_name)
            .where((User.school == slots.school_id) & User.active & (User.role != "committee"))
            .order_by(User.display_name))


def school_accounts(school_id):
    """Accounts of the school a staff record may be linked to (any staff role)."""
    return _school_accounts.rows(school_id=school_id)


@prepared
def _room_plan_steps(slots):
    # One row per step of the plan (one row when there is none): the room and the plan beside it.
    return (School.select(School.id, CounsellingRoom, EmergencyPlan, PlanStep.text)
            .join(CounsellingRoom, JOIN.LEFT_OUTER, on=(CounsellingRoom.school == School.id), attr="room")
            .switch(School)
            .join(EmergencyPlan, JOIN.LEFT_OUTER, on=(EmergencyPlan.school == School.id), attr="plan")
            .switch(School)
            .join(PlanStep, JOIN.LEFT_OUTER, on=(PlanStep.school == School.id), attr="step")
            .where(School.id == slots.school_id)
            .order_by(PlanStep.position))


def room_plan_steps(school_id):
    """(room or None, plan or None, the plan's steps) of the register page: one query for what
    room_of, plan_of and plan_steps read apart."""
    rows = _room_plan_steps.rows(school_id=school_id)
    if not rows:
        return None, None, []
    return rows[0].room, rows[0].plan, [row.step.text for row in rows if row.step is not None]


def save_staff(school, staff, data):
    """Add (staff None) or change a staff record."""
    values = {"name": data["name"], "post": data["post"], "qualification": data["qualification"],
              "user": data["user"] or None, "active": data["active"]}
    with db.atomic():
        if staff is None:
            staff = ProgrammeStaff.create(school=school, **values)
        else:
            ProgrammeStaff.update(**values).where(ProgrammeStaff.id == staff.id).execute()
        audit.record("save_programme_staff", staff, school_id=school.id, post=values["post"],
                     active=values["active"])
    return staff


def add_training(staff, data):
    with db.atomic():
        training = Training.create(staff=staff, **data)
        audit.record("add_training", training, staff_id=staff.id, level=data["level"])
    return training


def room_of(school_id):
    return CounsellingRoom.get_or_none(CounsellingRoom.school == school_id)


def save_room(school, data):
    with db.atomic():
        try:
            with db.atomic():
                room = CounsellingRoom.create(school=school, **data)
        except IntegrityError:
            CounsellingRoom.update(**data).where(CounsellingRoom.school == school.id).execute()
            room = room_of(school.id)
        audit.record("save_counselling_room", room, school_id=school.id, built=data["built"],
                     standard=data["standard"])
    return room


def plan_of(school_id):
    return EmergencyPlan.get_or_none(EmergencyPlan.school == school_id)


def plan_steps(school_id):
    return [s.text for s in PlanStep.select(PlanStep.text).where(PlanStep.school == school_id)
            .order_by(PlanStep.position)]


def save_plan(school, data, steps):
    """The plan on file; its steps (when given) become the school's own list, which the critical-
    incident checklist uses instead of the county's default (incidents.plan.steps_for)."""
    values = {**data, "updated_at": utcnow()}
    with db.atomic():
        try:
            with db.atomic():
                plan = EmergencyPlan.create(school=school, **values)
        except IntegrityError:
            EmergencyPlan.update(**values).where(EmergencyPlan.school == school.id).execute()
            plan = plan_of(school.id)
        PlanStep.delete().where(PlanStep.school == school.id).execute()
        if steps:
            PlanStep.insert_many([{"school": school.id, "position": n, "text": text}
                                  for n, text in enumerate(steps)]).execute()
        audit.record("save_emergency_plan", plan, school_id=school.id, steps=len(steps))
    return plan


def record_activity(author, school_id, school_class, data, made_at, client_uuid):
    """A logged activity; a replay of the same entry returns it. Returns (activity, created)."""
    existing = entry_ids.earlier_entry(ProgrammeActivity.author, client_uuid, author)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            activity = ProgrammeActivity.create(school=school_id, school_class=school_class, author=author,
                                                made_at=made_at, client_uuid=client_uuid, **data)
            audit.record("log_programme_activity", activity, school_id=school_id, kind=data["kind"])
    except IntegrityError as error:
        return entry_ids.after_race(ProgrammeActivity.author, client_uuid, author, error), False
    return activity, True


def delete_activity(activity, user):
    """A wrongly logged activity, gone from the counts; the audit keeps its kind and school."""
    with db.atomic():
        ProgrammeActivity.delete().where(ProgrammeActivity.id == activity.id).execute()
        audit.record("delete_programme_activity", activity, user=user, school_id=activity.school_id,
                     kind=activity.kind, class_id=activity.school_class_id)


@prepared
def _recent_activities(slots):
    return _activities_between(slots.school_id, slots.first, slots.last).limit(slots.limit)


def _activities_between(school_id, first, last):
    return (ProgrammeActivity.select(ProgrammeActivity, SchoolClass)
            .join(SchoolClass, JOIN.LEFT_OUTER, on=(ProgrammeActivity.school_class == SchoolClass.id))
            .where((ProgrammeActivity.school == school_id) & ProgrammeActivity.day.between(first, last))
            .order_by(ProgrammeActivity.day.desc(), ProgrammeActivity.id.desc()))


def recent_activities(school_id, first, last, limit):
    """activities(school_id, first, last, limit=limit), its SQL made once (the register's list)."""
    return _recent_activities.rows(school_id=school_id, first=first, last=last, limit=limit)


def activities(school_id, first, last, kinds=None, class_ids=None, limit=None):
    """The school's activities between two days, newest first, with their class: one query."""
    query = _activities_between(school_id, first, last)
    if kinds is not None:
        query = query.where(ProgrammeActivity.kind.in_(list(kinds)))
    if class_ids is not None:
        query = query.where(ProgrammeActivity.school_class.in_(list(class_ids)))
    if limit:
        query = query.limit(limit)
    return list(query)


def lessons_per_class(class_ids, first, last, kind="lesson"):
    """{class id: lessons between two days}: one grouped query."""
    if not class_ids:
        return {}
    return dict(ProgrammeActivity.select(ProgrammeActivity.school_class, fn.COUNT(ProgrammeActivity.id))
                .where(ProgrammeActivity.school_class.in_(list(class_ids)) & (ProgrammeActivity.kind == kind)
                       & ProgrammeActivity.day.between(first, last))
                .group_by(ProgrammeActivity.school_class).tuples())
