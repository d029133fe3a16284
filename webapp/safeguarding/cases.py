"""一生一策 cases: opening one with its care team, levels, notes, closing and reopening."""
from flask import current_app
from peewee import IntegrityError

from .. import audit, entry_ids
from ..clock import utcnow
from ..db import db
from ..models import Case, CaseMember, CaseNote, Concern, LevelChange, School, User, WorkerVillage
from .rules import next_review_on


def _review_days():
    return current_app.config.get("REVIEW_DAYS")


def open_case(child, user, today, level, categories, goals, measures, responsible, members,
              client_uuid, concern=None, reason="", opened_at=None):
    """Open the child's plan with one responsible adult and any further team members.

    Idempotent on client_uuid. The concern it grew from (if any) moves to status "case".
    `today` is the day it is opened, from which its first review is counted; `opened_at` (naive
    UTC, default now) must fall on that day, or the case would be due for review before it began.
    """
    existing = entry_ids.earlier_entry(Case.opened_by, client_uuid, user)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            case = Case.create(
                child=child, concern=concern, level=level, categories=",".join(categories),
                goals=goals, measures=measures, opened_by=user, client_uuid=client_uuid,
                next_review_on=next_review_on(level, today, _review_days()), opened_at=opened_at or utcnow(),
            )
            CaseMember.create(case=case, user=responsible, responsible=True)
            for member in members:
                if member.id != responsible.id:
                    CaseMember.create(case=case, user=member, responsible=False)
            LevelChange.create(case=case, from_level=None, to_level=level, changed_by=user, reason=reason)
            if concern is not None:
                Concern.update(status="case", risk_level=level).where(Concern.id == concern.id).execute()
            audit.record("open_case", case, child_id=child.id, level=level)
    except IntegrityError as error:
        return entry_ids.after_race(Case.opened_by, client_uuid, user, error), False
    return case, True


def change_level(case, user, today, level, reason):
    """Record the new level in the history and reschedule the next review."""
    if level == case.level:
        return False
    with db.atomic():
        LevelChange.create(case=case, from_level=case.level, to_level=level, changed_by=user, reason=reason)
        case.level = level
        case.next_review_on = next_review_on(level, today, _review_days())
        case.save()
        audit.record("change_case_level", case, child_id=case.child_id, level=level)
    return True


def add_note(case, user, text, restricted, is_review, contacted_on, made_at, client_uuid, today):
    """A follow-up note; a review note also schedules the next review. Idempotent."""
    existing = entry_ids.earlier_entry(CaseNote.author, client_uuid, user)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            note = CaseNote.create(
                case=case, author=user, text=text, restricted=restricted, is_review=is_review,
                contacted_on=contacted_on, made_at=made_at, client_uuid=client_uuid,
            )
            if is_review:
                case.next_review_on = next_review_on(case.level, today, _review_days())
                case.save()
            audit.record("add_case_note", note, child_id=case.child_id, restricted=restricted)
    except IntegrityError as error:
        return entry_ids.after_race(CaseNote.author, client_uuid, user, error), False
    return note, True


def set_team(case, responsible, members):
    """Replace the care team: one responsible adult, any number of further members."""
    with db.atomic():
        CaseMember.delete().where(CaseMember.case == case).execute()
        CaseMember.create(case=case, user=responsible, responsible=True)
        for member in members:
            if member.id != responsible.id:
                CaseMember.create(case=case, user=member, responsible=False)
        audit.record("set_case_team", case, child_id=case.child_id)
    if hasattr(case, "_team_ids"):
        del case._team_ids


def close_case(case, now, reason):
    case.status = "closed"
    case.closed_at = now
    case.close_reason = reason
    case.next_review_on = None
    case.save()
    audit.record("close_case", case, child_id=case.child_id)


def reopen_case(case, user, today, reason):
    with db.atomic():
        case.status = "open"
        case.closed_at = None
        case.next_review_on = next_review_on(case.level, today, _review_days())
        case.save()
        LevelChange.create(case=case, from_level=case.level, to_level=case.level, changed_by=user,
                           reason=reason)
        audit.record("reopen_case", case, child_id=case.child_id)


def team_of(case):
    """(responsible user, [other members]) in one query."""
    responsible, others = None, []
    links = (CaseMember.select(CaseMember.responsible, User.id, User.display_name)
             .join(User, on=(CaseMember.user == User.id)).where(CaseMember.case == case))
    for link in links:
        if link.responsible:
            responsible = link.user
        else:
            others.append(link.user)
    return responsible, others


def team_candidates(child):
    """Adults who may join a child's care team: her school's staff, her zone's psychology
    teachers, her village's child workers, and the county centre. One query."""
    condition = User.role == "county"
    if child.school_id is not None:
        condition |= (User.school == child.school_id) & User.role.in_(("counselor", "principal", "head_teacher"))
        condition |= (User.role == "zone") & User.zone.in_(
            School.select(School.zone).where(School.id == child.school_id)
        )
    if child.village_id is not None:
        condition |= (User.role == "child_worker") & User.id.in_(
            WorkerVillage.select(WorkerVillage.user).where(WorkerVillage.village == child.village_id)
        )
    # Sorted here: they are a few dozen, and an ORDER BY role would have SQLite walk the role
    # index over every account of the county instead of looking up each part of the condition.
    found = User.select(User.id, User.role, User.display_name).where(condition & User.active)
    return sorted(found, key=lambda user: (user.role, user.display_name))
