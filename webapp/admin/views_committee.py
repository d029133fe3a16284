"""A class's psychology committee (心理委员): add a pupil with a PIN, remove her again.
The plan's rule holds here: from grade 4, at most one boy and one girl per class."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import audit
from ..access import allow, get_in_scope, manageable_users, require, visible_children
from ..auth import sessions
from ..auth.passwords import hash_secret
from ..labels import SEX_LABELS
from ..models import Child, User
from ..roster import committee_required
from . import bp
from .committee import below_grade_message, slot_problem
from .common import class_name, form_page, taken
from .fields import options
from .forms_people import CommitteeForm
from .views_school import roster_class_or_404


@bp.route("/classes/<int:class_id>/committee/new", methods=["GET", "POST"])
@allow("county", "principal", "head_teacher")
def committee_add(class_id):
    school_class = roster_class_or_404(class_id)
    members = User.select(User.child).where(
        (User.role == "committee") & User.active & User.child.is_null(False)
    )
    pupils = (
        visible_children(current_user)
        .where((Child.school_class == school_class.id) & Child.id.not_in(members))
        .order_by(Child.name_pinyin, Child.id)
    )
    form = CommitteeForm()
    form.child.choices = options((child.id, f"{child.name} ({SEX_LABELS[child.sex]})") for child in pupils)
    if not committee_required(school_class.grade):
        form.form_errors.append(below_grade_message(school_class.grade))
    elif form.validate_on_submit():
        child = Child.get_by_id(form.child.data)
        account = User.get_or_none(User.child == child.id)
        same_name = User.select().where(User.username == form.username.data)
        if account is not None:
            same_name = same_name.where(User.id != account.id)
        problem = slot_problem(school_class, child.sex, child.id)
        if problem:
            form.form_errors.append(problem)
        elif not taken(form.username, same_name):
            member = _appoint(account, child, school_class, form)
            audit.record("admin_add_committee", member, child_id=child.id, class_id=school_class.id)
            flash(_("%(name)s is now on the class's psychology committee.", name=child.name))
            return redirect(url_for("admin.class_page", class_id=school_class.id))
    back = url_for("admin.class_page", class_id=school_class.id)
    return form_page(form, _l("Add committee member"), back, intro=class_name(school_class))


def _appoint(account, child, school_class, form):
    """A new account, or the pupil's former one made active again with the new name and PIN."""
    member = account or User(role="committee", child=child)
    if account is not None:
        sessions.end_everywhere(member)
    member.role, member.active, member.school = "committee", True, school_class.school_id
    member.username = form.username.data
    member.display_name = form.display_name.data or child.name
    member.password_hash = hash_secret(form.pin.data)
    member.save()
    return member


@bp.route("/users/<int:user_id>/remove-committee", methods=["POST"])
@allow("county", "principal", "head_teacher")
def committee_remove(user_id):
    """The pupil leaves the committee: her account is switched off, her slot is free."""
    member = get_in_scope(manageable_users(current_user).where(User.role == "committee"), user_id)
    require(current_user, "manage_user", member)
    member.active = False
    member.save()
    sessions.end_everywhere(member)
    audit.record("admin_remove_committee", member, child_id=member.child_id)
    flash(_("Removed from the committee."))
    class_id = member.child.school_class_id if member.child_id else None
    if class_id is None:
        return redirect(url_for("admin.users", role="committee"))
    return redirect(url_for("admin.class_page", class_id=class_id))
