"""Importing accounts from a file: all rows or none. Users are matched by username, so the
same file imported again changes nothing; the initial password only sets up a new account."""
import re

from flask_babel import lazy_gettext as _l

from .. import audit
from ..access import manageable_users
from ..auth.passwords import hash_secret, password_problem, pin_problem
from ..db import db
from ..models import ROLES, Child, ClassTeacher, School, SchoolClass, User, WorkerVillage, Zone
from ..roster import committee_sexes_by_class, committee_slot_error
from .forms_people import MIN_PASSWORD, NEEDS_SCHOOL
from .import_formats import ROLE_NAMES
from .import_formats import USER_COLUMNS as COLUMNS
from .importer import ImportFileError, Outcome, RowError, is_phone, read_table, split_list
from .links import drop_foreign_links, set_classes, set_villages
from .villages import VillageFinder

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
CLASS_LABEL = re.compile(r"^(\d{1,2})\s*(?:[-－—.]|年级)\s*(\d{1,2})\s*班?$")
PRINCIPAL_ROLES = {"head_teacher", "committee"}


class Plan:
    def __init__(self, line, username, values):
        self.line, self.username, self.values = line, username, values
        self.user = None
        self.classes = None  # class ids, or None to leave a head teacher's classes alone
        self.villages = None
        self.password = ""
        self.changes = []


def import_users(actor, school_year, filename, data, apply=True):
    """Validate every row against what `actor` may manage; write all or nothing."""
    try:
        rows = read_table(filename, data, COLUMNS)
    except ImportFileError as error:
        return Outcome(file_error=error.message)
    context = _Context(actor, school_year, rows)
    outcome = Outcome()
    plans, seen = [], {}
    for line, row in rows:
        errors = []
        plan = _plan_row(line, row, context, errors)
        if plan is not None and plan.username.lower() in seen:
            errors.append(RowError(
                line, _l("Line %(line)s: the username %(value)s is also on line %(other)s."),
                value=plan.username, other=seen[plan.username.lower()],
            ))
        outcome.errors.extend(errors)
        if plan is not None and not errors:
            seen[plan.username.lower()] = line
            plans.append(plan)
    if not rows:
        outcome.file_error = _l("The file has no rows below the column names.")
    if not outcome.ok:
        return outcome
    outcome.errors.extend(_committee_errors(plans))
    if outcome.errors:
        return outcome
    _compare(plans, school_year)
    for plan in plans:
        if plan.user is None:
            outcome.created += 1
        elif plan.changes:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    if apply:
        _write(plans, school_year, outcome)
    return outcome


class _Context:
    """Everything rows are checked against, loaded in a fixed number of queries."""

    def __init__(self, actor, school_year, rows):
        self.actor = actor
        usernames = [str(row["username"]) for _line, row in rows]
        self.users = {u.username.lower(): u for u in User.select().where(User.username.in_(usernames))}
        self.manageable = {u.id for u in manageable_users(actor).where(User.username.in_(usernames))}
        self.zones = {zone.name: zone for zone in Zone.select()}
        self.schools = {school.name: school for school in School.select()}
        self.own_school = School.get_by_id(actor.school_id) if actor.role == "principal" else None
        if self.own_school is not None:
            named = {self.own_school.id}
        else:
            texts = {str(row["school"]) for _line, row in rows}
            named = {self.schools[text].id for text in texts if text in self.schools}
        self.classes = {
            (c.school_id, c.grade, c.number): c
            for c in SchoolClass.select().where(
                (SchoolClass.school_year == school_year) & SchoolClass.school.in_(list(named))
            )
        }
        names = [str(row["display_name"]) for _line, row in rows]
        self.pupils = {}
        for child in Child.select().where(Child.name.in_(names) & Child.school_class.is_null(False)):
            self.pupils.setdefault((child.school_class_id, child.name), []).append(child)
        child_ids = [child.id for found in self.pupils.values() for child in found]
        self.accounts_by_child = {u.child_id: u for u in User.select().where(User.child.in_(child_ids))}
        self._villages = None

    @property
    def villages(self):
        if self._villages is None:
            self._villages = VillageFinder()
        return self._villages


def _plan_row(line, row, ctx, errors):
    """Check one row; a Plan when it is good, else None with the reasons added to `errors`."""

    def error(message, **params):
        errors.append(RowError(line, message, **params))

    username, name, role_text = str(row["username"]), str(row["display_name"]), str(row["role"])
    if not USERNAME.match(username):
        error(_l("Line %(line)s: the username “%(value)s” must be 2 to 40 letters, digits, dots, dashes "
                 "or underscores."), value=username)
    if not name:
        error(_l("Line %(line)s: the name is missing."))
    elif len(name) > 40:
        error(_l("Line %(line)s: the name is longer than %(count)s characters."), count=40)
    phone = str(row.get("phone", ""))
    if len(phone) > 20 or not is_phone(phone):
        error(_l("Line %(line)s: the phone “%(value)s” must hold digits only (at most 20)."), value=phone)
    role = ROLE_NAMES.get(role_text) or (role_text if role_text in ROLES else None)
    if role is None:
        error(_l("Line %(line)s: there is no role “%(value)s”."), value=role_text)
        return None
    if ctx.own_school is not None and role not in PRINCIPAL_ROLES:
        error(_l("Line %(line)s: you can import head teachers and committee members only."))
        return None
    plan = Plan(line, username, {"display_name": name, "phone": phone, "role": role, "zone": None,
                                 "school": None})
    plan.user = existing = ctx.users.get(username.lower())
    if existing is not None and existing.id not in ctx.manageable:
        error(_l("Line %(line)s: the username %(value)s is already taken."), value=username)
    elif existing is not None and (existing.role == "committee") != (role == "committee"):
        error(_l("Line %(line)s: the account %(value)s cannot change between pupil and staff."),
              value=username)
    _plan_scope(plan, row, ctx, error)
    _plan_password(plan, row, error)
    return plan


def _plan_scope(plan, row, ctx, error):
    role = plan.values["role"]
    if role == "zone":
        zone = ctx.zones.get(str(row.get("zone", "")))
        if zone is None:
            error(_l("Line %(line)s: there is no zone “%(value)s”."), value=row.get("zone", ""))
        else:
            plan.values["zone"] = zone.id
    school = None
    if role in NEEDS_SCHOOL or role == "committee":
        text = str(row.get("school", ""))
        school = ctx.own_school or ctx.schools.get(text)
        if ctx.own_school is not None and text not in ("", ctx.own_school.name):
            error(_l("Line %(line)s: you can import accounts of your own school only."))
        elif school is None:
            error(_l("Line %(line)s: there is no school “%(value)s”."), value=text)
        else:
            plan.values["school"] = school.id
    labels = split_list(row.get("classes", ""))
    if school is not None and (role == "head_teacher" and labels or role == "committee"):
        classes = _find_classes(labels, school, ctx, error)
        if role == "head_teacher":
            plan.classes = [c.id for c in classes]
        elif len(labels) != 1:
            error(_l("Line %(line)s: write the pupil's one class, e.g. 4-1."))
        elif classes:
            _plan_pupil(plan, classes[0], ctx, error)
    if role == "child_worker":
        names = split_list(row.get("villages", ""))
        if not names:
            error(_l("Line %(line)s: a child worker needs at least one village."))
        plan.villages = []
        for text in names:
            village, problem = ctx.villages.find(text)
            if problem:
                error(problem, value=text)
            else:
                plan.villages.append(village.id)


def _find_classes(labels, school, ctx, error):
    found = []
    for label in labels:
        match = CLASS_LABEL.match(label)
        school_class = match and ctx.classes.get((school.id, int(match[1]), int(match[2])))
        if not school_class:
            error(_l("Line %(line)s: %(school)s has no class “%(value)s” this school year."),
                  school=school.name, value=label)
        else:
            found.append(school_class)
    return found


def _plan_pupil(plan, school_class, ctx, error):
    name = plan.values["display_name"]
    pupils = ctx.pupils.get((school_class.id, name), [])
    if len(pupils) != 1:
        message = (
            _l("Line %(line)s: class %(class)s has no pupil called %(value)s.") if not pupils
            else _l("Line %(line)s: class %(class)s has two pupils called %(value)s; add her in the app.")
        )
        error(message, value=name, **{"class": school_class.label})
        return
    child = pupils[0]
    account = ctx.accounts_by_child.get(child.id)
    if plan.user is not None and plan.user.child_id not in (None, child.id):
        error(_l("Line %(line)s: the account %(username)s belongs to another pupil."), username=plan.username)
    elif account is not None and (plan.user is None or account.id != plan.user.id):
        error(_l("Line %(line)s: %(value)s already has an account (%(username)s)."),
              value=name, username=account.username)
    plan.values["child"] = child.id
    plan.school_class, plan.sex = school_class, child.sex


def _plan_password(plan, row, error):
    secret = str(row.get("password", ""))
    if plan.user is not None:
        return  # existing accounts keep their password; reset it in the app (audited)
    if plan.values["role"] == "committee":
        problem = pin_problem(secret)
        if problem == "not_six_digits":
            error(_l("Line %(line)s: a committee member's initial PIN must be exactly 6 digits."))
        elif problem == "trivial":
            error(_l("Line %(line)s: the initial PIN is too easy to guess (like 123456 or 111111)."))
    else:
        problem = password_problem(secret)
        if problem == "too_short":
            error(_l("Line %(line)s: the initial password needs at least %(count)s characters."),
                  count=MIN_PASSWORD)
        elif problem == "common":
            error(_l("Line %(line)s: the initial password is too easy to guess."))
    plan.password = secret


def _committee_errors(plans):
    """New committee members must fit the plan's rule, together with those already serving."""
    new = [plan for plan in plans if plan.user is None and "child" in plan.values]
    seats = committee_sexes_by_class({plan.school_class.id for plan in new})
    errors = []
    for plan in new:
        taken = seats.setdefault(plan.school_class.id, set())
        code = committee_slot_error(plan.school_class.grade, plan.sex, taken)
        label = plan.school_class.label
        if code == "below_grade":
            errors.append(RowError(plan.line, _l(
                "Line %(line)s: class %(class)s is grade %(grade)s; committee members are chosen from "
                "grade 4 up."
            ), grade=plan.school_class.grade, **{"class": label}))
        elif code == "slot_taken":
            message = (
                _l("Line %(line)s: class %(class)s already has a boy committee member.") if plan.sex == "m"
                else _l("Line %(line)s: class %(class)s already has a girl committee member.")
            )
            errors.append(RowError(plan.line, message, **{"class": label}))
        taken.add(plan.sex)
    return errors


def _compare(plans, school_year):
    """Note what each existing account would change, reading current links in two queries."""
    ids = [plan.user.id for plan in plans if plan.user is not None]
    classes, villages = {}, {}
    for user_id, class_id in (
        ClassTeacher.select(ClassTeacher.user, ClassTeacher.school_class).join(SchoolClass)
        .where(ClassTeacher.user.in_(ids) & (SchoolClass.school_year == school_year)).tuples()
    ):
        classes.setdefault(user_id, set()).add(class_id)
    for user_id, village_id in (
        WorkerVillage.select(WorkerVillage.user, WorkerVillage.village)
        .where(WorkerVillage.user.in_(ids)).tuples()
    ):
        villages.setdefault(user_id, set()).add(village_id)
    for plan in plans:
        user = plan.user
        if user is None:
            continue
        plan.changes = [key for key, value in plan.values.items() if user.__data__.get(key) != value]
        if plan.classes is not None and set(plan.classes) != classes.get(user.id, set()):
            plan.changes.append("classes")
        if plan.villages is not None and set(plan.villages) != villages.get(user.id, set()):
            plan.changes.append("villages")


def _write(plans, school_year, outcome):
    # Hashing is slow on purpose: do it before the transaction takes the write lock.
    hashes = {plan.line: hash_secret(plan.password) for plan in plans if plan.user is None}
    with db.atomic():
        for plan in plans:
            if plan.user is not None and not plan.changes:
                continue
            user = plan.user or User(username=plan.username, password_hash=hashes[plan.line])
            for key, value in plan.values.items():
                setattr(user, key, value)
            action = "admin_update_user" if user.id else "admin_create_user"
            user.save()
            drop_foreign_links(user)
            if plan.classes is not None:
                set_classes(user, school_year, plan.classes)
            if plan.villages is not None:
                set_villages(user, plan.villages)
            audit.record(action, user, role=user.role, via="import")
        audit.record("admin_import_users", None, created=outcome.created, updated=outcome.updated,
                     unchanged=outcome.unchanged)
