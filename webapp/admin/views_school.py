"""A school's roster: classes of a school year, the class page, children (principal, county)."""
from flask import abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN, IntegrityError

from .. import entry_ids
from ..access import allow, can, get_in_scope, require, visible_children, visible_classes, visible_schools
from ..bounds import record_id
from ..db import db
from ..models import AuditEvent, Child, ClassTeacher, SchoolClass, User, Village
from ..roster import class_overview, committee_gaps, committee_required, current_classes, with_sizes
from ..schoolyear import school_year_label
from ..web import render
from . import bp
from .committee import below_grade_message, members, slot_problem
from .common import (
    class_choices,
    current_year,
    form_page,
    head_teacher_choices,
    initial,
    save_recorded,
    taken,
    village_choices,
    year_choices,
)
from .fields import NOTHING
from .forms_org import ChildForm, ClassForm, HelpInfoForm

CHILD_FIELDS = (
    "name", "sex", "birth_date", "school_class", "village", "left_behind", "single_parent", "in_difficulty",
    "guardian_name", "guardian_relation", "guardian_phone",
)


def school_or_404(school_id):
    school = get_in_scope(visible_schools(current_user), school_id)
    return require(current_user, "manage_school", school)


def class_or_404(class_id):
    school_class = get_in_scope(visible_classes(current_user).switch(SchoolClass), class_id)
    require(current_user, "manage_school", school_class.school)
    return school_class


def roster_class_or_404(class_id):
    """A class whose page and committee the user manages: county, its principal, and — for the
    committee only — its own head teacher (access "manage_class")."""
    school_class = get_in_scope(visible_classes(current_user).switch(SchoolClass), class_id)
    return require(current_user, "manage_class", school_class)


@bp.route("/schools/<int:school_id>/help", methods=["GET", "POST"])
@allow("county", "principal")
def school_help(school_id):
    """The counselling mailbox and room hours that the help page shows the school's pupils."""
    school = school_or_404(school_id)
    form = HelpInfoForm(data=initial(school))
    if form.validate_on_submit():
        school.mailbox, school.counselling_hours = form.mailbox.data, form.counselling_hours.data
        save_recorded(school, "admin_update_school_help")
        return redirect(url_for("pages.help"))
    return form_page(form, _l("Counselling mailbox and hours"), url_for("admin.index"), intro=school.name)


@bp.route("/schools/<int:school_id>/classes")
@allow("county", "principal")
def classes(school_id):
    school = school_or_404(school_id)
    this_year = current_year()
    year = request.args.get("year", this_year, type=int)
    if not this_year - 20 <= year <= this_year + 1:
        abort(404)
    query = current_classes(visible_classes(current_user).switch(SchoolClass), year)
    rows = class_overview(with_sizes(query.where(SchoolClass.school == school.id)))
    return render(
        "admin/classes.html", school=school, classes=rows, year=year, year_label=school_year_label(year),
        next_year=year + 1 if year <= this_year else None, previous_year=year - 1,
    )


@bp.route("/schools/<int:school_id>/classes/new", methods=["GET", "POST"])
@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@allow("county", "principal")
def class_form(school_id=None, class_id=None):
    if class_id:
        school_class = class_or_404(class_id)
        school = school_class.school
        teachers = [link.user_id for link in school_class.teacher_links]
        form = ClassForm(data=initial(school_class, head_teachers=teachers))
        back = url_for("admin.class_page", class_id=class_id)
    else:
        school = school_or_404(school_id)
        year = request.args.get("year", current_year(), type=int)
        school_class = SchoolClass(school=school, school_year=year)
        if school_class.school_year not in [choice.value for choice in year_choices()]:
            abort(404)
        form = ClassForm()
        back = url_for("admin.classes", school_id=school.id, year=school_class.school_year)
    form.head_teachers.choices = head_teacher_choices(school.id)
    if form.validate_on_submit() and _class_is_valid(form, school_class):
        action = "admin_update_class" if school_class.id else "admin_create_class"
        school_class.grade, school_class.number = form.grade.data, form.number.data
        with db.atomic():
            save_recorded(school_class, action)
            _set_head_teachers(school_class, form.head_teachers.data)
        return redirect(url_for("admin.class_page", class_id=school_class.id))
    year_label = school_year_label(school_class.school_year)
    title = _l("Edit class") if school_class.id else _l("New class for %(year)s", year=year_label)
    return form_page(form, title, back, intro=school.name)


def _class_is_valid(form, school_class):
    same = SchoolClass.select().where(
        (SchoolClass.school == school_class.school_id) & (SchoolClass.school_year == school_class.school_year)
        & (SchoolClass.grade == form.grade.data) & (SchoolClass.number == form.number.data)
        & (SchoolClass.id != school_class.id)
    )
    if taken(form.number, same):
        return False
    if school_class.id and not committee_required(form.grade.data) and members(school_class.id):
        form.grade.errors.append(below_grade_message(form.grade.data))
        return False
    return True


def _set_head_teachers(school_class, user_ids):
    chosen = set(user_ids)
    ClassTeacher.delete().where(
        (ClassTeacher.school_class == school_class) & ClassTeacher.user.not_in(list(chosen))
    ).execute()
    present = {link.user_id for link in school_class.teacher_links}
    for user_id in chosen - present:
        ClassTeacher.create(user=user_id, school_class=school_class)


@bp.route("/classes/<int:class_id>")
@allow("county", "principal", "head_teacher")
def class_page(class_id):
    school_class = roster_class_or_404(class_id)
    children = list(
        visible_children(current_user)
        .select(Child, Village)
        .join(Village, JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        .where(Child.school_class == school_class.id)
        .order_by(Child.name_pinyin, Child.id)
    )
    committee = members(school_class.id)
    teachers = (
        User.select(User.display_name).join(ClassTeacher).where(ClassTeacher.school_class == school_class.id)
    )
    return render(
        "admin/class.html", school_class=school_class, school=school_class.school, children=children,
        committee=committee, teachers=[t.display_name for t in teachers],
        gaps=committee_gaps(school_class.grade, {member.child.sex for member in committee}),
        member_child_ids={member.child_id for member in committee},
        needs_committee=committee_required(school_class.grade),
        may_manage_school=can(current_user, "manage_school", school_class.school),
    )


@bp.route("/schools/<int:school_id>/children/new", methods=["GET", "POST"])
@bp.route("/children/<int:child_id>", methods=["GET", "POST"])
@allow("county", "principal")
def child_form(school_id=None, child_id=None):
    if child_id:
        child = get_in_scope(visible_children(current_user), child_id)
        if child.school_id is None:
            abort(404)  # children known only to a village are the child workers' to keep
        school = require(current_user, "manage_school", child.school)
        form = ChildForm(data=initial(child))
    else:
        school = school_or_404(school_id)
        child = Child()
        form = ChildForm(school_class=request.args.get("class", type=record_id))
    form.school_class.choices = class_choices(school.id, current_year(), keep=child.school_class_id)
    form.village.choices = [NOTHING] + village_choices()
    if not child.id and form.client_uuid.data:
        # A repeated submission (e.g. replayed from the phone's outbox) finds the first one, when
        # she entered it; any other record's id is refused (409).
        existing = Child.get_or_none(Child.client_uuid == form.client_uuid.data)
        if existing is not None:
            return _after_child(entry_ids.same_author(existing, _entered_by(existing), current_user))
    if form.validate_on_submit() and _committee_allows(form, child):
        action = "admin_update_child" if child.id else "admin_create_child"
        for name in CHILD_FIELDS:
            setattr(child, name, form[name].data)
        if not child.id:
            child.client_uuid = form.client_uuid.data or None
        try:
            # The child and the audit row that names who entered her, together: a replay racing
            # this one finds both or neither.
            with db.atomic():
                save_recorded(child, action)
        except IntegrityError:
            # The same new child sent twice at once (the outbox and a double tap): the copy that won.
            existing = Child.get_or_none(Child.client_uuid == child.client_uuid) if child.client_uuid else None
            if existing is None:
                raise
            return _after_child(entry_ids.same_author(existing, _entered_by(existing), current_user))
        return _after_child(child)
    title = _l("Edit child") if child.id else _l("New child")
    return form_page(form, title, url_for("admin.classes", school_id=school.id), intro=school.name)


def _entered_by(child):
    """Who entered the child on this form: a child has no author column, the audit log keeps it."""
    return (AuditEvent.select(AuditEvent.user)
            .where((AuditEvent.child_id == child.id) & (AuditEvent.action == "admin_create_child"))
            .scalar())


def _after_child(child):
    return redirect(url_for("admin.class_page", class_id=child.school_class_id))


def _committee_allows(form, child):
    """A committee member moved to another class or recorded as the other sex must still fit."""
    if not child.id:
        return True
    account = User.get_or_none((User.child == child.id) & (User.role == "committee") & User.active)
    if account is None:
        return True
    if form.school_class.data == child.school_class_id and form.sex.data == child.sex:
        return True
    problem = slot_problem(SchoolClass.get_by_id(form.school_class.data), form.sex.data, child.id)
    if problem:
        form.school_class.errors.append(problem)
        return False
    return True
