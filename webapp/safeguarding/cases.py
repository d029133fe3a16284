"""一生一策 cases: opening one with its care team, levels, notes, closing and reopening."""
from flask import current_app
from peewee import IntegrityError

from .. import audit, entry_ids
from ..clock import utcnow
from ..db import db
from ..models import (
    RISK_LEVELS,
    Case,
    CaseMember,
    CaseNote,
    Concern,
    LevelChange,
    Referral,
    School,
    User,
    WorkerVillage,
)
from . import notify
from .rules import next_review_on


class CaseAlreadyOpen(Exception):
    """The child already has an open case (`case`): one child, one plan, one team. Answered
    with a 409 that links to it."""

    def __init__(self, case):
        super().__init__(case.id)
        self.case = case


def open_case_of(child_id):
    """The child's open case, or None. One indexed lookup (the partial unique index, 0019)."""
    return Case.get_or_none((Case.child == child_id) & (Case.status == "open"))


def _refuse_if_open(child_id, error=None):
    current = open_case_of(child_id)
    if current is not None:
        raise CaseAlreadyOpen(current) from error


def _review_days():
    return current_app.config.get("REVIEW_DAYS")


def open_case(child, user, today, level, categories, goals, measures, responsible, members,
              client_uuid, concern=None, reason="", opened_at=None):
    """Open the child's plan with one responsible adult and any further team members.

    Idempotent on client_uuid. The concern it grew from (if any) moves to status "case".
    `today` is the day it is opened, from which its first review is counted; `opened_at` (naive
    UTC, default now) must fall on that day, or the case would be due for review before it began.
    Raises CaseAlreadyOpen when the child has an open case: checked here first, and held by the
    database's partial unique index when two counsellors open one at the same moment.
    """
    existing = entry_ids.earlier_entry(Case.opened_by, client_uuid, user)
    if existing is not None:
        return existing, False
    _refuse_if_open(child.id)
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
                Concern.update(status="case", risk_level=level, case_id=case.id).where(
                    Concern.id == concern.id).execute()
            audit.record("open_case", case, child_id=child.id, level=level)
    except IntegrityError as error:
        # Either this entry again (a replay that raced itself) or another case for the child
        # that was opened in between: the index refused the second open row.
        if Case.get_or_none(Case.client_uuid == client_uuid) is None:
            _refuse_if_open(child.id, error)
        return entry_ids.after_race(Case.opened_by, client_uuid, user, error), False
    return case, True


def attach_concern(concern, case):
    """A new concern about a child with an open case joins that case: it shows on the case's
    page, and the case's 责任人 is told in the app (the message names no child; it opens the
    case, whose team may read it). The concern keeps its own status: it is still acknowledged
    and triaged, and an urgent one still escalates."""
    Concern.update(case_id=case.id).where(Concern.id == concern.id).execute()
    concern.case_id = case.id
    responsible = responsible_of(case)
    if responsible is not None and responsible.id != concern.reporter_id:  # she knows what she wrote
        # Not linked to the concern itself: whoever the concern page lists as told is seen by
        # its reporter too (a pupil, for a peer concern), and must not learn of the case.
        notify.notify([responsible], "case_concern", f"case:{case.id}:concern:{concern.id}", case_id=case.id)
    audit.record("join_case", concern, child_id=concern.child_id, case=case.id)


def responsible_of(case):
    """The case's 责任人 when her account is active, else None. One query."""
    return (User.select().join(CaseMember, on=(CaseMember.user == User.id))
            .where((CaseMember.case == case.id) & CaseMember.responsible & User.active).first())


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
    """Raises CaseAlreadyOpen when the child has another open case meanwhile."""
    _refuse_if_open(case.child_id)
    try:
        _reopen(case, user, today, reason)
    except IntegrityError as error:  # another case for the child was opened in between
        _refuse_if_open(case.child_id, error)
        raise


def _reopen(case, user, today, reason):
    with db.atomic():
        case.status = "open"
        case.closed_at = None
        case.next_review_on = next_review_on(case.level, today, _review_days())
        case.save()
        LevelChange.create(case=case, from_level=case.level, to_level=case.level, changed_by=user,
                           reason=reason)
        audit.record("reopen_case", case, child_id=case.child_id)


def merge_open_cases(child_ids, user, child_id):
    """The open cases of records about to become one child (`child_ids`, e.g. a village child
    linked to a school pupil) become one, as migration 0019 merged the duplicates of before: the
    case of highest level is kept (the oldest among equals) and takes every note, level change,
    referral, team member and concern of the others, which are closed naming it. Audited as
    merge_case under `child_id`, the child they become. Returns the kept case, or None when
    there was nothing to merge. Call it inside the transaction that makes them one child."""
    open_cases = list(Case.select().where(Case.child.in_(list(child_ids)) & (Case.status == "open"))
                      .order_by(Case.opened_at, Case.id))
    if len(open_cases) < 2:
        return None
    top = max(_rank(case) for case in open_cases)
    kept = next(case for case in open_cases if _rank(case) == top)
    now = utcnow()
    for other in open_cases:
        if other.id != kept.id:
            moved = _merge_case(kept, other, now)
            audit.record("merge_case", kept, child_id=child_id, user=user, merged=other.id, level=other.level,
                         **moved)
    kept.save(only=[Case.opened_at, Case.next_review_on, Case.categories, Case.goals, Case.measures,
                    Case.concern])
    return kept


def _rank(case):
    return RISK_LEVELS.index(case.level) if case.level in RISK_LEVELS else -1


def _appended(kept_text, other_text, other_id):
    other_text = (other_text or "").strip()
    if not other_text or other_text in (kept_text or ""):
        return kept_text
    return f"{kept_text}\n\n(并入自个案 {other_id})\n{other_text}".strip()


def _merge_case(kept, other, now):
    """Move everything of `other` into `kept` (in memory for kept's own fields) and close
    `other`. Returns the counts moved, for the audit event."""
    moved = {
        "notes": CaseNote.update(case=kept.id).where(CaseNote.case == other.id).execute(),
        "level_changes": LevelChange.update(case=kept.id).where(LevelChange.case == other.id).execute(),
        "referrals": Referral.update(case=kept.id).where(Referral.case == other.id).execute(),
    }
    on_kept = {row.user_id for row in CaseMember.select(CaseMember.user).where(CaseMember.case == kept.id)}
    joined = 0
    for member in CaseMember.select().where(CaseMember.case == other.id):
        if member.user_id in on_kept:
            CaseMember.delete().where(CaseMember.id == member.id).execute()
        else:  # the kept case keeps its one 责任人; the other's joins the team
            CaseMember.update(case=kept.id, responsible=False).where(CaseMember.id == member.id).execute()
            on_kept.add(member.user_id)
            joined += 1
    moved["members"] = joined
    links = Concern.case_id == other.id
    if other.concern_id is not None:
        links |= Concern.id == other.concern_id
    moved["concerns"] = Concern.update(case_id=kept.id).where(links).execute()

    kept.opened_at = min(kept.opened_at, other.opened_at)
    reviews = [day for day in (kept.next_review_on, other.next_review_on) if day is not None]
    kept.next_review_on = min(reviews) if reviews else None
    categories = kept.category_list + [c for c in other.category_list if c not in kept.category_list]
    kept.categories = ",".join(categories)
    kept.goals = _appended(kept.goals, other.goals, other.id)
    kept.measures = _appended(kept.measures, other.measures, other.id)
    if kept.concern_id is None:
        kept.concern = other.concern_id
    Case.update(status="closed", closed_at=now, next_review_on=None,
                close_reason=f"与同一学生的进行中个案重复,全部记录已并入个案 {kept.id}。"
                ).where(Case.id == other.id).execute()
    return moved


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
