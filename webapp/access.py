"""Who may see and do what: every scope and permission decision of the app lives here.

Views never filter by hand. They ask for a query scope (`visible_children(user)`) or a
predicate (`can(user, "manage_class", school_class)`), and every route declares the roles
that may open it with `@allow(...)` or `@public`. A route that declares nothing is closed.
Objects outside a user's scope answer 404, so ids leak nothing.
"""
from flask import abort, request
from flask_login import current_user

from .models import (
    ROLES,
    Case,
    CaseMember,
    Child,
    ClassTeacher,
    Concern,
    Notification,
    School,
    SchoolClass,
    User,
    Village,
    WorkerVillage,
)

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

def class_ids_of(user):
    """Ids of the classes a head teacher (or a pupil) belongs to."""
    if user.role == "committee":
        return {user.child.school_class_id} if user.child and user.child.school_class_id else set()
    if user.role != "head_teacher":
        return set()
    if not hasattr(user, "_class_ids"):
        user._class_ids = {
            row.school_class_id
            for row in ClassTeacher.select(ClassTeacher.school_class).where(ClassTeacher.user == user)
        }
    return user._class_ids


def village_ids_of(user):
    """Ids of the villages a child worker looks after."""
    if user.role != "child_worker":
        return set()
    if not hasattr(user, "_village_ids"):
        user._village_ids = {
            row.village_id
            for row in WorkerVillage.select(WorkerVillage.village).where(WorkerVillage.user == user)
        }
    return user._village_ids


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
            SchoolClass.select(SchoolClass.school).where(SchoolClass.id.in_(list(class_ids_of(user))))
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
        return query.where(SchoolClass.id.in_(list(class_ids_of(user))))
    return query.where(False)


def visible_villages(user):
    query = Village.select()
    if user.role == "county":
        return query
    if user.role == "child_worker":
        return query.where(Village.id.in_(list(village_ids_of(user))))
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
        return query.where(Child.school_class.in_(list(class_ids_of(user))))
    if role == "child_worker":
        return query.where(Child.village.in_(list(village_ids_of(user))))
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
    return query.where(False)


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
    return (
        user.role == "principal"
        and target.school_id == user.school_id
        and target.role in ("head_teacher", "committee")
    )


# --- safeguarding: concerns and cases ------------------------------------------------------

def _child_ids_in_scope(user):
    return visible_children(user).select(Child.id)


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
    return query.where(Concern.child.in_(_child_ids_in_scope(user)) | own)


def triage_concerns(user):
    """Concerns a user may triage: counsellor roles, for children in scope or when alerted."""
    if user.role not in COUNSELLING:
        return Concern.select().where(False)
    if user.role == "county":
        return Concern.select()
    return Concern.select().where(
        Concern.child.in_(_child_ids_in_scope(user)) | Concern.id.in_(_notified_concern_ids(user))
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
        return query.where(Case.child.in_(_child_ids_in_scope(user)) | on_team)
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


def _read_note(user, note):
    if note.restricted:
        return user.role in COUNSELLING and _counselling_in_scope(user, note.case)
    return _read_case_notes(user, note.case)


def _read_triage_note(user, concern):
    return user.role in COUNSELLING and _triage(user, concern)


RULES = {
    "read_child": _read_child,
    "manage_org": lambda user, obj: user.role == "county",
    "manage_school": _manage_school,
    "manage_class": _manage_class,
    "manage_user": _manage_user,
    "read_concern": lambda user, concern: visible_concerns(user).where(Concern.id == concern.id).exists(),
    "triage_concern": _triage,
    "read_triage_note": _read_triage_note,
    "read_case": lambda user, case: visible_cases(user).where(Case.id == case.id).exists(),
    "read_case_notes": _read_case_notes,
    "read_note": _read_note,
    "work_case": _read_case_notes,  # add follow-up notes and referral feedback
    "manage_case": _counselling_in_scope,  # level, team, referrals, closing
    "export_ledger": lambda user, obj: user.role in COUNSELLING,
}


def can(user, action, obj=None):
    """May `user` do `action` (to `obj`)? Unknown actions are refused."""
    if not getattr(user, "is_authenticated", False):
        return False
    rule = RULES.get(action)
    return bool(rule and rule(user, obj))


def require(user, action, obj=None):
    """404 unless `can(user, action, obj)`: refusals look like absence."""
    if not can(user, action, obj):
        abort(404)
    return obj


def get_in_scope(query, object_id):
    """The object with `object_id` from a scoped query, or 404."""
    model = query.model
    found = query.where(model.id == object_id).get_or_none()
    if found is None:
        abort(404)
    return found


def child_or_404(user, child_id):
    return get_in_scope(visible_children(user), child_id)


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
            abort(404)
        return None
