"""Who may see and do what: every scope and permission decision of the app lives here.

Views never filter by hand. They ask for a query scope (`visible_children(user)`) or a
predicate (`can(user, "manage_class", school_class)`), and every route declares the roles
that may open it with `@allow(...)` or `@public`. A route that declares nothing is closed.
Objects outside a user's scope answer 404, so ids leak nothing.
"""
from types import SimpleNamespace

from flask import abort, g, has_app_context, request
from flask_login import current_user
from peewee import OP, Expression

from .clock import to_local, today
from .models import (
    ROLES,
    Case,
    CaseMember,
    CheckIn,
    Child,
    ClassTeacher,
    Concern,
    EmergencyPlan,
    FollowUp,
    HomeVisit,
    Incident,
    Inspection,
    LinkRequest,
    Notification,
    PeerSupport,
    ProgrammeStaff,
    Rectification,
    School,
    SchoolClass,
    ScreeningResult,
    ScreeningWarning,
    Training,
    User,
    Village,
    WeeklyReport,
    WorkerVillage,
    Zone,
)
from .prepared import prepared
from .visits.rules import correctable

PUBLIC = "public"
ALL_SIGNED_IN = frozenset(ROLES)
STAFF = frozenset(ROLES) - {"committee"}
COUNSELLING = frozenset({"county", "zone", "counselor"})


def allow(*roles):
    """Declare the roles that may open a route (others get 404)."""
    allowed = frozenset(roles)
    unknown = allowed - ALL_SIGNED_IN
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def mark(view):
        view.allowed_roles = allowed
        return view

    return mark


def public(view):
    """Declare a route anyone may open, signed in or not."""
    view.allowed_roles = PUBLIC
    return view


def route_roles(view):
    """The roles a view function declared; None when it declared nothing (closed)."""
    return getattr(view, "allowed_roles", None)


def role_may_open(role, view):
    roles = route_roles(view)
    return roles == PUBLIC or (roles is not None and role in roles)


# --- who is linked to what ---------------------------------------------------------------

@prepared
def _classes_taught(slots):
    return ClassTeacher.select(ClassTeacher.school_class).where(ClassTeacher.user == slots.user_id).tuples()


@prepared
def _villages_kept(slots):
    return WorkerVillage.select(WorkerVillage.village).where(WorkerVillage.user == slots.user_id).tuples()


def class_ids_of(user):
    """Ids of the classes a head teacher (or a pupil) belongs to, in order."""
    if hasattr(user, "_class_ids"):
        return user._class_ids
    if user.role == "committee":
        return (user.child.school_class_id,) if user.child and user.child.school_class_id else ()
    if user.role != "head_teacher":
        return ()
    user._class_ids = tuple(sorted(class_id for (class_id,) in _classes_taught.rows(user_id=user.id)))
    return user._class_ids


def village_ids_of(user):
    """Ids of the villages a child worker looks after, in order."""
    if hasattr(user, "_village_ids"):
        return user._village_ids
    if user.role != "child_worker":
        return ()
    user._village_ids = tuple(sorted(village_id for (village_id,) in _villages_kept.rows(user_id=user.id)))
    return user._village_ids


class ScopeUser:
    """A user as the scopes of a prepared query (webapp.prepared) see her: her role fixed,
    her ids left open, so one rendering of the SQL serves every user of the role."""

    def __init__(self, slots):
        self.role, self.id = slots.role, slots.user_id
        self.school_id, self.zone_id = slots.school_id, slots.zone_id
        self._class_ids, self._village_ids = slots.class_ids, slots.village_ids


def scope_values(user):
    """(fixed, values) that fill a ScopeUser for `user`."""
    return {"role": user.role}, {
        "user_id": user.id, "school_id": user.school_id, "zone_id": user.zone_id,
        "class_ids": class_ids_of(user), "village_ids": village_ids_of(user),
    }


# --- query scopes --------------------------------------------------------------------------

def visible_schools(user):
    query = School.select()
    if user.role == "county":
        return query
    if user.role == "zone":
        return query.where(School.zone == user.zone_id)
    if user.role in ("counselor", "principal"):
        return query.where(School.id == user.school_id)
    if user.role == "head_teacher":
        return query.where(School.id.in_(
            SchoolClass.select(SchoolClass.school).where(SchoolClass.id.in_(class_ids_of(user)))
        ))
    return query.where(False)


def visible_classes(user):
    query = SchoolClass.select()
    if user.role == "county":
        return query
    if user.role == "zone":
        return query.join(School).where(School.zone == user.zone_id)
    if user.role in ("counselor", "principal"):
        return query.where(SchoolClass.school == user.school_id)
    if user.role == "head_teacher":
        return query.where(SchoolClass.id.in_(class_ids_of(user)))
    return query.where(False)


def visible_villages(user):
    query = Village.select()
    if user.role == "county":
        return query
    if user.role == "child_worker":
        return query.where(Village.id.in_(village_ids_of(user)))
    return query.where(False)


def visible_children(user):
    """The children a user may browse. Reporters (committee) browse nobody."""
    query = Child.select()
    role = user.role
    if role == "county":
        return query
    if role == "zone":
        return query.where(Child.school.in_(School.select(School.id).where(School.zone == user.zone_id)))
    if role in ("counselor", "principal"):
        return query.where(Child.school == user.school_id)
    if role == "head_teacher":
        return query.where(Child.school_class.in_(class_ids_of(user)))
    if role == "child_worker":
        return query.where(Child.village.in_(village_ids_of(user)))
    return query.where(False)


def manageable_users(user):
    """Accounts a user may administer: county all; a principal her school's teachers and pupils."""
    query = User.select()
    if user.role == "county":
        return query
    if user.role == "principal":
        return query.where(
            (User.school == user.school_id) & User.role.in_(("head_teacher", "committee"))
        )
    if user.role == "head_teacher":
        # Her own classes' committee members (to reset a PIN or remove one); nobody else.
        return query.where((User.role == "committee") & User.child.in_(_own_class_pupil_ids(user)))
    return query.where(False)


def _own_class_pupil_ids(user):
    return Child.select(Child.id).where(Child.school_class.in_(class_ids_of(user)))


# --- predicates ----------------------------------------------------------------------------

def _school_of(obj):
    if isinstance(obj, School):
        return obj.id
    return obj.school_id


def _in_own_school(user, obj):
    return user.role in ("counselor", "principal") and user.school_id == _school_of(obj)


def _in_own_zone(user, obj):
    school_id = _school_of(obj)
    return (
        user.role == "zone"
        and school_id is not None
        and School.select().where((School.id == school_id) & (School.zone == user.zone_id)).exists()
    )


def _read_child(user, child):
    if user.role == "county":
        return True
    if user.role == "head_teacher":
        return child.school_class_id in class_ids_of(user)
    if user.role == "child_worker":
        return child.village_id in village_ids_of(user)
    if child.school_id is None:
        return False
    return _in_own_school(user, child) or _in_own_zone(user, child)


def _manage_school(user, school):
    return user.role == "county" or (user.role == "principal" and user.school_id == school.id)


def _manage_class(user, school_class):
    if _manage_school(user, school_class.school):
        return True
    return user.role == "head_teacher" and school_class.id in class_ids_of(user)


def _manage_user(user, target):
    if user.role == "county":
        return True
    if user.role == "head_teacher":
        return (
            target.role == "committee" and target.child_id is not None
            and target.child.school_class_id in class_ids_of(user)
        )
    return (
        user.role == "principal"
        and target.school_id == user.school_id
        and target.role in ("head_teacher", "committee")
    )


# --- safeguarding: concerns and cases ------------------------------------------------------

def _child_ids_in_scope(user):
    return visible_children(user).select(Child.id)


def _about_children_in_scope(user, child_field, school_field=None):
    """Records (concerns, cases) whose `child_field` is a child in the user's scope.

    The same rows either way; only the plan differs. A zone holds tens of thousands of children
    but the county only thousands of concerns and cases, so there each record looks up its own
    child instead of the zone's children being listed first (which SQLite does for `IN`).
    `school_field`: the record's copy of its child's current school, where it keeps one
    (concerns, migration 0009): the school-based scopes then read it from an index.
    """
    if school_field is not None and user.role == "zone":
        return school_field.in_(School.select(School.id).where(School.zone == user.zone_id))
    if school_field is not None and user.role in ("counselor", "principal"):
        return school_field == user.school_id  # visible_children's rule for these roles
    if user.role == "zone":
        # Each record's child's school, by key, among the zone's schools: visible_children's
        # rule for a zone. (An EXISTS here is turned by PostgreSQL into a list of the zone's
        # children when it sits in an OR.)
        school_of_child = Child.select(Child.school).where(Child.id == child_field)
        return Expression(school_of_child, OP.IN, School.select(School.id).where(School.zone == user.zone_id))
    return child_field.in_(_child_ids_in_scope(user))


def _notified_concern_ids(user):
    return Notification.select(Notification.concern).where(
        (Notification.user == user.id) & Notification.concern.is_null(False)
    )


def visible_concerns(user):
    """Concerns a user may read: those about children in her scope (staff who browse children),
    those she raised, and those she was notified of. Record-only reporters see only their own."""
    query = Concern.select()
    if user.role == "county":
        return query
    own = (Concern.reporter == user.id) | Concern.id.in_(_notified_concern_ids(user))
    if user.role in ("committee", "child_worker"):
        return query.where(Concern.reporter == user.id)
    return query.where(_about_children_in_scope(user, Concern.child, Concern.school_id) | own)


def triage_concerns(user):
    """Concerns a user may triage: counsellor roles, for children in scope or when alerted."""
    if user.role not in COUNSELLING:
        return Concern.select().where(False)
    if user.role == "county":
        return Concern.select()
    return Concern.select().where(
        _about_children_in_scope(user, Concern.child, Concern.school_id) | Concern.id.in_(_notified_concern_ids(user))
    )


def _team_case_ids(user):
    return CaseMember.select(CaseMember.case).where(CaseMember.user == user.id)


def visible_cases(user):
    """Cases a user may open: counsellor roles and principals in scope, and every team member."""
    query = Case.select()
    if user.role == "county":
        return query
    on_team = Case.id.in_(_team_case_ids(user))
    if user.role in ("zone", "counselor", "principal"):
        return query.where(_about_children_in_scope(user, Case.child) | on_team)
    return query.where(on_team)


def is_on_team(user, case):
    if not hasattr(case, "_team_ids"):
        case._team_ids = {m.user_id for m in CaseMember.select(CaseMember.user).where(CaseMember.case == case)}
    return user.id in case._team_ids


def _counselling_in_scope(user, case):
    if user.role not in COUNSELLING:
        return False
    return user.role == "county" or visible_cases(user).where(Case.id == case.id).exists()


def _triage(user, concern):
    return triage_concerns(user).where(Concern.id == concern.id).exists()


def _read_case_notes(user, case):
    """Need to know: counsellor roles in scope and the care team read notes; principals do not."""
    return _counselling_in_scope(user, case) or is_on_team(user, case)


def _read_restricted_notes(user, case):
    """Restricted notes (心理老师's own record) stay with counsellor roles in scope."""
    return user.role in COUNSELLING and _counselling_in_scope(user, case)


def _read_note(user, note):
    if note.restricted:
        return _read_restricted_notes(user, note.case)
    return _read_case_notes(user, note.case)


def _read_triage_note(user, concern):
    return user.role in COUNSELLING and _triage(user, concern)


# --- home visits (家访) ---------------------------------------------------------------------
# A visit is read by its author, the head teachers of the child's class (the class she is in
# now), and the counsellor, principal, zone and county whose scope holds the child. Only a head
# teacher of the child's class logs one; only its author corrects it, on the day it arrived
# (visits.rules.correctable). Committee members and child workers reach none of it.
VISIT_READERS = ("county", "zone", "counselor", "principal", "head_teacher")


def visible_visits(user):
    query = HomeVisit.select()
    if user.role == "county":
        return query
    if user.role not in VISIT_READERS:
        return query.where(False)
    return query.where(HomeVisit.child.in_(_child_ids_in_scope(user)) | (HomeVisit.author == user.id))


def _log_visit(user, child):
    return user.role == "head_teacher" and child is not None and child.school_class_id in class_ids_of(user)


def _correct_visit(user, visit):
    return user.role == "head_teacher" and correctable(
        visit.author_id, user.id, to_local(visit.received_at).date(), today()
    )


def _read_class_visits(user, school_class):
    """The class's coverage, visit register and its export."""
    return user.role in VISIT_READERS and visible_classes(user).where(SchoolClass.id == school_class.id).exists()


# --- class psychology committee (心理委员): weekly class reports and peer support ---------------
# Pupils only write. What they write names classmates, so it is read by the class's head
# teacher and the school's counsellors and principal, nobody else (not even zone or county:
# what needs them reaches them as a concern).
PEER_READERS = frozenset({"head_teacher", "counselor", "principal"})


def peer_class_ids(user):
    """Ids (a subquery) of the classes whose weekly reports and peer-support entries `user` reads."""
    if user.role == "head_teacher":
        return SchoolClass.select(SchoolClass.id).where(SchoolClass.id.in_(class_ids_of(user)))
    if user.role in ("counselor", "principal"):
        return SchoolClass.select(SchoolClass.id).where(SchoolClass.school == user.school_id)
    return SchoolClass.select(SchoolClass.id).where(False)


def visible_weekly_reports(user):
    return WeeklyReport.select().where(WeeklyReport.school_class.in_(peer_class_ids(user)))


def visible_peer_support(user):
    return PeerSupport.select().where(PeerSupport.school_class.in_(peer_class_ids(user)))


def classmates(user):
    """The children a committee member may name: her own class, herself excepted."""
    if user.role != "committee" or not user.child_id:
        return Child.select().where(False)
    return Child.select().where(Child.school_class.in_(class_ids_of(user)) & (Child.id != user.child_id))


def _read_peer_record(user, record):
    """A weekly report part or a peer-support entry, by its class."""
    if user.role == "head_teacher":
        return record.school_class_id in class_ids_of(user)
    return user.role in ("counselor", "principal") and record.school_class.school_id == user.school_id


def _confirm_weekly_report(user, report):
    """Only the class's head teacher confirms (确认) its weekly report."""
    return user.role == "head_teacher" and report.school_class_id in class_ids_of(user)


# --- village child workers (童伴妈妈): left-behind children's files, check-ins, activities -----
# A worker files, checks in on and runs activities for the children of her own villages only.
# The survey file (with the ID number, shown whole to the county only) is read by the village's
# workers and the county. A check-in's contents are read by the village's workers, the county
# and the psychology teachers (counselor, zone) whose scope holds the child; head teachers and
# principals only learn that a child worker follows the child and when she last checked in.
CHECKIN_READERS = frozenset({"county", "zone", "counselor", "child_worker"})


def duty_villages(user):
    """Villages whose duty plan a user oversees: the county all; a zone the villages of the
    townships its schools serve; a worker her own."""
    query = Village.select()
    if user.role == "county":
        return query
    if user.role == "zone":
        return query.where(Village.township.in_(
            School.select(School.township).where((School.zone == user.zone_id) & School.township.is_null(False))
        ))
    if user.role == "child_worker":
        return query.where(Village.id.in_(village_ids_of(user)))
    return query.where(False)


def visible_workers(user):
    """Child workers whose monthly work log (督导日志) a user may read."""
    query = User.select().where(User.role == "child_worker")
    if user.role == "county":
        return query
    if user.role == "zone":
        return query.where(User.id.in_(
            WorkerVillage.select(WorkerVillage.user).where(WorkerVillage.village.in_(duty_villages(user).select(Village.id)))
        ))
    if user.role == "child_worker":
        return query.where(User.id == user.id)
    return query.where(False)


def visible_checkins(user):
    query = CheckIn.select()
    if user.role == "county":
        return query
    if user.role == "child_worker":
        return query.where(CheckIn.village.in_(village_ids_of(user)))
    if user.role in CHECKIN_READERS:
        return query.where(CheckIn.child.in_(_child_ids_in_scope(user)))
    return query.where(False)


def catchment_schools(user):
    """Schools a worker may name to her: those of her villages' townships (a village's children
    go to its township's schools). A pupil of any other school stays unnamed (issue 14)."""
    if user.role != "child_worker":
        return School.select(School.id).where(False)
    return School.select(School.id).where(School.township.in_(
        Village.select(Village.township).where(Village.id.in_(village_ids_of(user)))
    ))


# Who decides whether a worker's registration is a pupil outside her catchment: the county, and
# the pupil's own school (its psychology teacher and principal), who know the pupil.
LINK_DECIDERS = frozenset({"county", "counselor", "principal"})


def visible_link_requests(user):
    query = LinkRequest.select()
    if user.role == "county":
        return query
    if user.role in ("counselor", "principal"):
        return query.where(LinkRequest.child.in_(Child.select(Child.id).where(Child.school == user.school_id)))
    return query.where(False)


def _file_child(user, child):
    """Register, check in on, confirm: a worker, for a child of her own villages."""
    return user.role == "child_worker" and child is not None and child.village_id in village_ids_of(user)


def _read_village_file(user, child):
    return user.role == "county" or _file_child(user, child)


def _read_checkins_of(user, child):
    """Whether the contents of a child's check-ins show in her chronology."""
    if user.role not in CHECKIN_READERS:
        return False
    return user.role == "county" or _file_child(user, child) or (
        user.role != "child_worker" and _read_child(user, child)
    )


# --- oversight dashboards (看板) --------------------------------------------------------------
# The county sees every zone, school and class; a zone its own zone and its schools' classes; a
# principal her school and its classes. Figures are counts only: no child is named on them.
DASHBOARD_ROLES = ("county", "zone", "principal")


def visible_zones(user):
    query = Zone.select()
    if user.role == "county":
        return query
    if user.role == "zone":
        return query.where(Zone.id == user.zone_id)
    return query.where(False)


def villages_of_zone(zone_id):
    """The villages a zone oversees (as `duty_villages` decides for the zone's own users)."""
    return duty_villages(SimpleNamespace(role="zone", zone_id=zone_id))


# --- the key groups on the child (三类人群 and 有精神病史学生, 《实施方案》四、11) -------------
# Who sees a child in which group, as a label, a filter of the children list or a count. 精神病史
# stays with the psychology teachers, the zone and the county: a head teacher or principal never
# sees it named (the visit rule still counts it: her list says only "key group"). Whether a
# child is on a case or in a problem family is the school's knowledge, not the village's.
SCHOOL_SIDE = frozenset({"county", "zone", "counselor", "principal", "head_teacher"})
KEY_GROUP_READERS = {
    "mental_health": SCHOOL_SIDE, "problem_family": SCHOOL_SIDE, "left_behind": STAFF,
    "psychiatric_history": COUNSELLING, "single_parent": STAFF, "in_difficulty": STAFF,
}


def key_groups_seen(user):
    """The key groups `user` may see, in display order (children.groups.GROUPS)."""
    return tuple(group for group, readers in KEY_GROUP_READERS.items() if user.role in readers)


def _set_problem_family(user, child):
    """The class's head teacher, or a psychology teacher (school, zone, county) whose scope holds her."""
    return _log_visit(user, child) or (user.role in COUNSELLING and _read_child(user, child))


def _set_psychiatric_history(user, child):
    return user.role in COUNSELLING and _read_child(user, child)


# --- critical incidents (危机事件) and postvention ------------------------------------------
# An incident is read by its school's counsellors and principal, the zone of the school (or of
# the village's township), the county, and whoever opened it; a head teacher also reads those in
# which she owns a follow-up task. Children's names on it show only to those who may see them.
INCIDENT_WORKERS = frozenset({"county", "zone", "counselor"})  # postvention and closing


def _owned_follow_up_incidents(user):
    return FollowUp.select(FollowUp.incident).where(FollowUp.owner == user.id)


def visible_incidents(user):
    query = Incident.select()
    if user.role == "county":
        return query
    own = Incident.opened_by == user.id
    if user.role == "zone":
        schools = School.select(School.id).where(School.zone == user.zone_id)
        return query.where(Incident.school.in_(schools) | Incident.village.in_(duty_villages(user).select(Village.id))
                           | own)
    if user.role in ("counselor", "principal"):
        return query.where((Incident.school == user.school_id) | own)
    if user.role == "head_teacher":
        return query.where(own | Incident.id.in_(_owned_follow_up_incidents(user)))
    if user.role == "child_worker":
        return query.where(own)
    return query.where(False)


# Who reads every follow-up task of the incidents she reads (besides the county).
FOLLOW_UP_READERS = ("zone", "counselor", "principal")


def visible_follow_ups(user):
    """Follow-up tasks a user sees: those of the incidents a counsellor, principal or zone reads,
    and those she owns. (A head teacher or child worker who opened an incident sees its tasks
    only as counts: the pupils are not hers.)"""
    query = FollowUp.select()
    if user.role == "county":
        return query
    mine = FollowUp.owner == user.id
    if user.role in FOLLOW_UP_READERS:
        return query.where(FollowUp.incident.in_(visible_incidents(user).select(Incident.id)) | mine)
    return query.where(mine)


def follow_up_shown(user, follow_up):
    """visible_follow_ups row by row, for a task of an incident the user reads (in
    visible_incidents): the incident's page reads its tasks once and keeps those."""
    return user.role == "county" or user.role in FOLLOW_UP_READERS or follow_up.owner_id == user.id


def _work_incident(user, incident):
    """Tick a step of the plan: the school's counsellors and principal, the zone, the county, and
    the one who opened it (she is often the one standing there)."""
    return in_scope(visible_incidents, user, incident.id) and (
        user.role in ("county", "zone", "counselor", "principal") or incident.opened_by_id == user.id
    )


def _manage_incident(user, incident):
    """Add affected pupils and close the incident: psychology teachers in scope."""
    return user.role in INCIDENT_WORKERS and in_scope(visible_incidents, user, incident.id)


def _complete_follow_up(user, follow_up):
    """The task's owner, and the psychology teachers who read its incident."""
    if follow_up.owner_id == user.id:
        return True
    return user.role in INCIDENT_WORKERS and in_scope(visible_incidents, user, follow_up.incident_id)


# --- the school's programme (《实施方案》四、3–四、17, issue 19) --------------------------------
# The principal and the psychology teacher keep their school's register; head teachers log the
# lessons of their own classes; the zone and the county read (and the county sets the numbers).
PROGRAMME_READERS = ("county", "zone", "counselor", "principal")
PROGRAMME_EDITORS = ("counselor", "principal")
ACTIVITY_LOGGERS = ("counselor", "principal", "head_teacher")


def programme_classes(user):
    """Classes a user may log a lesson for: a head teacher her own, the school's editors all of
    their school's."""
    if user.role == "head_teacher":
        return SchoolClass.select().where(SchoolClass.id.in_(class_ids_of(user)))
    if user.role in PROGRAMME_EDITORS:
        return SchoolClass.select().where(SchoolClass.school == user.school_id)
    return SchoolClass.select().where(False)


def _edit_programme(user, school):
    return user.role in PROGRAMME_EDITORS and school is not None and school.id == user.school_id


def _delete_programme_activity(user, activity):
    """A wrongly logged activity: who logged it, or the school's principal or psychology teacher."""
    if user.role not in ACTIVITY_LOGGERS:
        return False
    return activity.author_id == user.id or (user.role in PROGRAMME_EDITORS and activity.school_id == user.school_id)


# --- annual screening (心理测评) ----------------------------------------------------------
# Individual results (scores, answers) are read by the psychology teachers: the school's
# counsellor, the zone, the county. A head teacher sees only that a pupil of hers has a 测评预警
# waiting and who owns it (never a score); a principal sees counts (screening.overview).
SCREENING_READERS = COUNSELLING


def _screening_school_condition(user, school_field):
    if user.role == "zone":
        return school_field.in_(School.select(School.id).where(School.zone == user.zone_id))
    if user.role == "counselor":
        return school_field == user.school_id
    return None


def visible_screening_results(user):
    query = ScreeningResult.select()
    if user.role == "county":
        return query
    condition = _screening_school_condition(user, ScreeningResult.school)
    return query.where(condition if condition is not None else False)


def visible_screening_warnings(user):
    """Warnings with their scores: the psychology teachers in scope."""
    query = ScreeningWarning.select()
    if user.role == "county":
        return query
    condition = _screening_school_condition(user, ScreeningWarning.school)
    return query.where(condition if condition is not None else False)


def class_screening_warnings(user):
    """A head teacher's pupils' open warnings: that one is waiting, and whose it is; nothing more."""
    if user.role != "head_teacher":
        return ScreeningWarning.select().where(False)
    return ScreeningWarning.select().where(
        ScreeningWarning.child.in_(Child.select(Child.id).where(Child.school_class.in_(class_ids_of(user)))))


# --- inspections (督导) and 整改, attachments (issue 19) -----------------------------------------
# The county inspects any school, a zone user the schools of her zone; the school's principal and
# counsellors read their school's inspections and report its 整改 items done; the inspector side
# (county, zone in scope) accepts them or sends them back.
INSPECTORS = ("county", "zone")
INSPECTION_READERS = ("county", "zone", "counselor", "principal")


def _school_condition(user, school_field):
    """Schools a user reads inspections of: all (county), her zone's, her own school's."""
    if user.role == "county":
        return True
    if user.role == "zone":
        return school_field.in_(School.select(School.id).where(School.zone == user.zone_id))
    if user.role in ("counselor", "principal"):
        return school_field == user.school_id
    return False


def visible_inspections(user):
    return Inspection.select().where(_school_condition(user, Inspection.school))


def visible_rectifications(user):
    return Rectification.select().where(_school_condition(user, Rectification.school))


def _inspect_school(user, school):
    return school is not None and (
        user.role == "county" or (user.role == "zone" and visible_schools(user).where(School.id == school.id).exists()))


def _report_rectification(user, item):
    """Its owner, or the school's principal and counsellors, while it waits for them."""
    return (item is not None and user.role in ("counselor", "principal") and item.status == "open"
            and in_scope(visible_rectifications, user, item.id))


def _decide_rectification(user, item):
    return user.role in INSPECTORS and item.status == "reported" and in_scope(visible_rectifications, user, item.id)


def _programme_school_id(kind, owner_id):
    if kind == "emergency_plan":
        row = EmergencyPlan.get_or_none(EmergencyPlan.id == owner_id)
        return row.school_id if row else None
    row = (ProgrammeStaff.select(ProgrammeStaff.school).join(Training, on=(Training.staff == ProgrammeStaff.id))
           .where(Training.id == owner_id).first())
    return row.school_id if row else None


def _read_programme_file(user, kind, owner_id):
    school_id = _programme_school_id(kind, owner_id)
    return (user.role in PROGRAMME_READERS and school_id is not None
            and visible_schools(user).where(School.id == school_id).exists())


def _attach_programme_file(user, kind, owner_id):
    school_id = _programme_school_id(kind, owner_id)
    return user.role in PROGRAMME_EDITORS and school_id is not None and school_id == user.school_id


def _attach_visit_photo(user, visit_id):
    """The visit's author (a head teacher) adds the signed paper form's photo."""
    return user.role == "head_teacher" and HomeVisit.select().where(
        (HomeVisit.id == visit_id) & (HomeVisit.author == user.id)).exists()


# owner kind: (who reads its files, who attaches files to it), each (user, owner id) -> bool.
ATTACHMENT_OWNERS = {
    "visit": (lambda user, i: user.role in VISIT_READERS and in_scope(visible_visits, user, i), _attach_visit_photo),
    "inspection": (lambda user, i: in_scope(visible_inspections, user, i),
                   lambda user, i: user.role in INSPECTORS and in_scope(visible_inspections, user, i)),
    "rectification": (lambda user, i: in_scope(visible_rectifications, user, i),
                      lambda user, i: _report_rectification(user, Rectification.get_or_none(Rectification.id == i))),
    "emergency_plan": (lambda user, i: _read_programme_file(user, "emergency_plan", i),
                       lambda user, i: _attach_programme_file(user, "emergency_plan", i)),
    "training": (lambda user, i: _read_programme_file(user, "training", i),
                 lambda user, i: _attach_programme_file(user, "training", i)),
}


def _read_attachment(user, attachment):
    rules = ATTACHMENT_OWNERS.get(attachment.owner_kind)
    return bool(rules and rules[0](user, attachment.owner_id))


def _attach_to(user, owner):
    """`owner`: (owner kind, owner id)."""
    kind, owner_id = owner
    rules = ATTACHMENT_OWNERS.get(kind)
    return bool(rules and rules[1](user, owner_id))


def _delete_attachment(user, attachment):
    """Who may edit its record, or who uploaded it while she still reads it; never the evidence
    of a 整改 item after it was reported (the inspector decides on what was sent)."""
    if not _read_attachment(user, attachment):
        return False
    return _attach_to(user, (attachment.owner_kind, attachment.owner_id)) or (
        attachment.uploaded_by_id == user.id and attachment.owner_kind != "rectification")


RULES = {
    "read_child": _read_child,
    "manage_org": lambda user, obj: user.role == "county",
    "manage_school": _manage_school,
    "manage_class": _manage_class,
    "manage_user": _manage_user,
    "read_concern": lambda user, concern: in_scope(visible_concerns, user, concern.id),
    "triage_concern": _triage,
    "read_triage_note": _read_triage_note,
    "read_case": lambda user, case: in_scope(visible_cases, user, case.id),
    "read_case_notes": _read_case_notes,
    "read_note": _read_note,
    "read_restricted_notes": _read_restricted_notes,
    "work_case": _read_case_notes,  # add follow-up notes and referral feedback
    "manage_case": _counselling_in_scope,  # level, team, referrals, closing
    "export_ledger": lambda user, obj: user.role in COUNSELLING,
    "log_visit": _log_visit,
    "read_visit": lambda user, visit: in_scope(visible_visits, user, visit.id),
    "correct_visit": _correct_visit,
    "read_class_visits": _read_class_visits,
    "read_weekly_report": _read_peer_record,
    "read_peer_support": _read_peer_record,
    "confirm_weekly_report": _confirm_weekly_report,
    # village child workers
    "file_child": _file_child,
    "read_village_file": _read_village_file,
    "see_full_id_card": lambda user, child: user.role == "county",
    "read_checkins_of": _read_checkins_of,
    "read_checkin": lambda user, checkin: in_scope(visible_checkins, user, checkin.id),
    "read_worklog": lambda user, worker: visible_workers(user).where(User.id == worker.id).exists(),
    "manage_duty_rules": lambda user, obj: user.role == "county",
    # key groups
    "set_problem_family": _set_problem_family,
    "set_psychiatric_history": _set_psychiatric_history,
    # critical incidents
    "read_incident": lambda user, incident: in_scope(visible_incidents, user, incident.id),
    "work_incident": _work_incident,
    "manage_incident": _manage_incident,
    "complete_follow_up": _complete_follow_up,
    # annual screening
    "read_screening_result": lambda user, result: in_scope(visible_screening_results, user, result.id),
    "follow_up_screening": lambda user, warning: in_scope(visible_screening_warnings, user, warning.id),
    # the school's programme register
    "edit_programme": _edit_programme,
    "delete_programme_activity": _delete_programme_activity,
    # inspections (督导) and 整改, attachments
    "inspect_school": _inspect_school,
    "read_inspection": lambda user, inspection: in_scope(visible_inspections, user, inspection.id),
    "report_rectification": _report_rectification,
    "decide_rectification": _decide_rectification,
    "read_attachment": _read_attachment,
    "attach_to": _attach_to,
    "delete_attachment": _delete_attachment,
}


def can(user, action, obj=None):
    """May `user` do `action` (to `obj`)? Unknown actions are refused."""
    if not getattr(user, "is_authenticated", False):
        return False
    rule = RULES.get(action)
    return bool(rule and rule(user, obj))


def refuse(kind, object_id=None):
    """404 for an object out of the user's scope (or absent), noting which for the 404 handler:
    it leaves a trace in the audit log (trust.probing). Nothing is noted for a request that is
    answered, so the checks of in-scope requests cost nothing more."""
    g.refused = (kind, object_id)
    abort(404)


def require(user, action, obj=None):
    """404 unless `can(user, action, obj)`: refusals look like absence."""
    if not can(user, action, obj):
        refuse(type(obj).__name__ if obj is not None else "", getattr(obj, "id", None))
    return obj


# scope -> (prepared lookup of one object, prepared test that it is there): made on first use.
_LOOKUPS = {}


def _lookups(scope):
    if scope not in _LOOKUPS:
        def one(slots):
            query = scope(ScopeUser(slots))
            return query.where(query.model.id == slots.object_id)

        def present(slots):
            query = scope(ScopeUser(slots))
            return query.select(query.model.id).where(query.model.id == slots.object_id).tuples()

        one.__name__, present.__name__ = f"one_of_{scope.__name__}", f"any_of_{scope.__name__}"
        _LOOKUPS[scope] = (prepared(one), prepared(present))
    return _LOOKUPS[scope]


def _seen_in_scope():
    """What this request already found in a scope: (scope, user id, object id). A page that
    fetched its object through scoped_or_404 and then asks `can` about it (which asks in_scope
    again) costs no second query. Only what was found is kept, and only for one request: the
    decision is the one taken when the request began, as for any other check."""
    if not has_app_context():
        return None
    if "seen_in_scope" not in g:
        g.seen_in_scope = set()
    return g.seen_in_scope


def in_scope(scope, user, object_id):
    """Is the object with `object_id` in `scope(user)` (a query scope of this module)? The SQL
    is made once per scope and role, not on every check."""
    seen, key = _seen_in_scope(), (scope, user.id, object_id)
    if seen is not None and key in seen:
        return True
    fixed, values = scope_values(user)
    found = _lookups(scope)[1].first(fixed, object_id=object_id, **values) is not None
    if found and seen is not None:
        seen.add(key)
    return found


def scoped_or_404(scope, user, object_id):
    """The object with `object_id` from `scope(user)`, or 404 (as get_in_scope, SQL made once)."""
    fixed, values = scope_values(user)
    found = _lookups(scope)[0].first(fixed, object_id=object_id, **values)
    if found is None:
        refuse(scope(user).model.__name__, object_id)
    seen = _seen_in_scope()
    if seen is not None:
        seen.add((scope, user.id, found.id))
    return found


def get_in_scope(query, object_id):
    """The object with `object_id` from a scoped query, or 404."""
    model = query.model
    found = query.where(model.id == object_id).get_or_none()
    if found is None:
        refuse(model.__name__, object_id)
    return found


def child_or_404(user, child_id):
    return scoped_or_404(visible_children, user, child_id)


def init_app(app, login_manager):
    """Check every request against the route's declared roles, before any view runs."""
    app.view_functions["static"].allowed_roles = PUBLIC

    @app.before_request
    def enforce_route_policy():
        if request.endpoint is None:
            return None  # no such route: Flask answers 404
        roles = route_roles(app.view_functions[request.endpoint])
        if roles == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if roles is None or current_user.role not in roles:
            refuse("route")  # her role may not open this route at all: out of scope too
        return None
