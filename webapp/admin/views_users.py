"""Accounts: the county's users of every role; a principal's head teachers and committee.
Setting a new password or PIN is audited and signs the account out everywhere."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import allow, get_in_scope, manageable_users, require
from ..auth import sessions
from ..auth.passwords import hash_secret
from ..auth.throttle import forget_failures
from ..bounds import page_number
from ..db import db, one_page
from ..models import ROLES, Child, ClassTeacher, School, SchoolClass, User, Zone
from ..web import render
from . import bp
from .committee import slot_problem
from .common import (
    PER_PAGE,
    class_choices,
    current_year,
    form_page,
    initial,
    save_recorded,
    school_choices,
    taken,
    village_choices,
    zone_choices,
)
from .fields import NOTHING
from .forms_people import NEEDS_SCHOOL, NEEDS_ZONE, CommitteeEditForm, HeadTeacherForm, SecretForm, UserForm
from .links import current_class_ids, drop_foreign_links, set_classes, set_villages, village_ids

PRINCIPAL_ROLES = ("head_teacher", "committee")


def user_or_404(user_id):
    return require(current_user, "manage_user", get_in_scope(manageable_users(current_user), user_id))


@bp.route("/users/")
@allow("county", "principal")
def users():
    roles = PRINCIPAL_ROLES if current_user.role == "principal" else ROLES
    role = request.args.get("role", "")
    page = request.args.get("page", 1, type=page_number)
    query = manageable_users(current_user)
    if role in roles:
        query = query.where(User.role == role)
    rows = list(one_page(
        query.select(User, School, Zone)
        .join(School, JOIN.LEFT_OUTER, on=(User.school == School.id))
        .switch(User)
        .join(Zone, JOIN.LEFT_OUTER, on=(User.zone == Zone.id))
        .order_by(User.role, User.username), page, PER_PAGE))
    return render(
        "admin/users.html", users=rows[:PER_PAGE], roles=roles, role=role, page=page,
        has_more=len(rows) > PER_PAGE, classes=_class_labels(rows[:PER_PAGE]),
    )


def _class_labels(users):
    """{user id: ["4-1", …]}: head teachers' classes this year and pupils' own class."""
    labels = {}
    ids = [user.id for user in users]
    year = current_year()
    for user_id, grade, number in (
        ClassTeacher.select(ClassTeacher.user, SchoolClass.grade, SchoolClass.number)
        .join(SchoolClass)
        .where(ClassTeacher.user.in_(ids) & (SchoolClass.school_year == year))
        .order_by(SchoolClass.grade, SchoolClass.number)
        .tuples()
    ):
        labels.setdefault(user_id, []).append(f"{grade}-{number}")
    for user_id, grade, number in (
        User.select(User.id, SchoolClass.grade, SchoolClass.number)
        .join(Child, on=(User.child == Child.id))
        .join(SchoolClass, on=(Child.school_class == SchoolClass.id))
        .where(User.id.in_(ids))
        .tuples()
    ):
        labels.setdefault(user_id, []).append(f"{grade}-{number}")
    return labels


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow("county", "principal")
def user_form(user_id=None):
    if user_id:
        user = user_or_404(user_id)
    elif current_user.role == "principal":
        user = User(role="head_teacher", school=current_user.school_id)
    else:
        user = User(role="head_teacher")
    if user.role == "committee":
        return _committee_account(user)
    year = current_year()
    data = initial(user, classes=current_class_ids(user, year), villages=village_ids(user), password="")
    form = (HeadTeacherForm if current_user.role == "principal" else UserForm)(data=data)
    if user.id:
        del form.password
    if isinstance(form, UserForm):
        form.zone.choices = [NOTHING] + zone_choices()
        form.school.choices = [NOTHING] + school_choices()
        form.villages.choices = village_choices()
    if user.id and user.role == "head_teacher" and user.school_id:
        form.classes.choices = class_choices(user.school_id, year)
    else:
        del form.classes
    if form.validate_on_submit() and _account_is_valid(form, user):
        return _save_account(form, user, year)
    title = _l("Edit account") if user.id else _l("New account")
    return form_page(form, title, url_for("admin.users"), links=_account_links(user),
                     post_actions=_account_actions(user))


def _account_links(user):
    if not user.id:
        return []
    label = _l("Set a new PIN") if user.is_pupil else _l("Set a new password")
    return [(url_for("admin.user_secret", user_id=user.id), label)]


def _account_actions(user):
    """County-only buttons for a lost or stolen phone."""
    if not user.id or current_user.role != "county":
        return []
    actions = [(url_for("admin.sign_out_everywhere", user_id=user.id), _l("Sign out on every device"))]
    if user.totp_enabled:
        actions.append((url_for("twofactor.reset", user_id=user.id), _l("Reset two-step sign-in")))
    return actions


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@allow("county")
def sign_out_everywhere(user_id):
    """Every session and remember-me cookie of the user stops working at once."""
    user = user_or_404(user_id)
    sessions.end_everywhere(user)
    audit.record("sign_out_everywhere", user)
    flash(_("%(name)s is signed out on every device.", name=user.display_name))
    return redirect(url_for("admin.user_form", user_id=user.id))


def _account_is_valid(form, user):
    same_name = User.select().where((User.username == form.username.data) & (User.id != user.id))
    if taken(form.username, same_name):
        return False
    if user.id == current_user.id and not form.active.data:
        form.active.errors.append(_l("You cannot deactivate your own account."))
        return False
    if user.id == current_user.id and "role" in form and form.role.data != user.role:
        form.role.errors.append(_l("You cannot change your own role."))
        return False
    return True


def _save_account(form, user, year):
    created = user.id is None
    deactivated = user.active and not form.active.data
    for name in ("username", "display_name", "phone", "active"):
        setattr(user, name, form[name].data)
    if isinstance(form, UserForm):
        user.role = form.role.data
        user.zone = form.zone.data if user.role in NEEDS_ZONE else None
        user.school = form.school.data if user.role in NEEDS_SCHOOL else None
    if created:
        user.password_hash = hash_secret(form.password.data)
    with db.atomic():
        save_recorded(user, "admin_create_user" if created else "admin_update_user", role=user.role)
        if deactivated:
            sessions.end_everywhere(user)  # signed out everywhere at once, for good
        drop_foreign_links(user)
        if "classes" in form:
            set_classes(user, year, form.classes.data)
        if isinstance(form, UserForm) and user.role == "child_worker":
            set_villages(user, form.villages.data)
    if created:
        return redirect(url_for("admin.user_form", user_id=user.id))
    return redirect(url_for("admin.users"))


def _committee_account(user):
    """A pupil's account: her name and username; deactivating frees her committee slot."""
    form = CommitteeEditForm(data=initial(user))
    child = user.child
    class_id = child.school_class_id if child else None
    back = url_for("admin.class_page", class_id=class_id) if class_id else url_for("admin.users")
    if form.validate_on_submit() and _account_is_valid(form, user) and _may_return(form, user, child):
        if user.active and not form.active.data:
            sessions.end_everywhere(user)
        user.username, user.display_name, user.active = (
            form.username.data, form.display_name.data, form.active.data
        )
        save_recorded(user, "admin_update_user", role=user.role, child_id=user.child_id)
        return redirect(back)
    intro = child.name if child else None
    return form_page(form, _l("Edit committee member"), back, links=_account_links(user), intro=intro)


def _may_return(form, user, child):
    """Activating a former member again must still respect the class's committee rule."""
    if user.active or not form.active.data:
        return True
    problem = (
        slot_problem(child.school_class, child.sex, child.id)
        if child and child.school_class_id else _l("The pupil has no class.")
    )
    if problem:
        form.active.errors.append(problem)
        return False
    return True


@bp.route("/users/<int:user_id>/secret", methods=["GET", "POST"])
@allow("county", "principal", "head_teacher")
def user_secret(user_id):
    user = user_or_404(user_id)  # a head teacher: only her own class's committee members
    form = SecretForm(pupil=user.is_pupil)
    back = url_for("admin.user_form", user_id=user.id)
    if current_user.role == "head_teacher":
        back = url_for("admin.class_page", class_id=user.child.school_class_id)
    if form.validate_on_submit():
        user.password_hash = hash_secret(form.secret.data)
        user.save()
        # Old sessions end, whoever knew the old secret is out; one's own browser signs in anew.
        sessions.end_everywhere(user)
        forget_failures(user.username)  # a locked pupil or colleague signs in at once with it
        audit.record("reset_secret", user)
        flash(_("The new PIN is set.") if user.is_pupil else _("The new password is set."))
        return redirect(back)
    title = _l("New PIN") if user.is_pupil else _l("New password")
    intro = _("For %(name)s (%(username)s).", name=user.display_name, username=user.username)
    return form_page(form, title, back, intro=intro)
