"""`/children/`: the children in the user's scope, with live search; `/children/<id>`."""
from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import COUNSELLING, STAFF, allow, can, child_or_404, key_groups_seen, require, visible_children
from ..bounds import page_number
from ..chronology import chronology
from ..db import one_page
from ..models import Child, SchoolClass, Village
from ..pwa import offline_page
from ..web import render
from . import groups, marking
from .search import in_pinyin_order

bp = Blueprint("children", __name__, url_prefix="/children")


@bp.app_template_global()
def may_see_key_group(group):
    """For pages that name a key group elsewhere (a case's categories): may the user see it?"""
    return group in key_groups_seen(current_user)


@bp.app_template_global()
def key_groups_of(child, case_ids=None, history_ids=None):
    """The key groups of `child` the signed-in user may see (children.groups.groups_of)."""
    return groups.groups_of(child, key_groups_seen(current_user), case_ids, history_ids)


@bp.route("/", methods=["GET", "POST"])
@allow(*STAFF)
@offline_page
def index():
    # Search text travels in the POST body, never the URL: it may be a child's name.
    text = request.form.get("q", "")
    page = request.values.get("page", 1, type=page_number)
    per_page = current_app.config["CHILDREN_PER_PAGE"]
    seen = key_groups_seen(current_user)
    # A key group the viewer may not see is no filter at all: the whole list, as if none was asked.
    group = request.values.get("group", "")
    group = group if group in seen else ""
    scope = visible_children(current_user)
    if group:
        scope = scope.where(groups.condition(group))
    ids = [child_id for (child_id,) in one_page(in_pinyin_order(scope, text), page, per_page).tuples()]
    rows = list(  # the page's children, in the same order, with what the list shows of them
        groups.with_derived(Child.select(Child, SchoolClass, Village), seen)
        .join(SchoolClass, join_type=JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
        .switch(Child)
        .join(Village, join_type=JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        .where(Child.id.in_(ids)).order_by(Child.name_pinyin, Child.id)) if ids else []
    for child in rows:
        child.shown_groups = groups.groups_of(child, seen)
    return render(
        "children/index.html",
        "children/_results.html",
        children=rows[:per_page],
        has_more=len(rows) > per_page,
        page=page,
        q=text,
        group=group,
        groups_seen=seen,
    )


@bp.route("/<int:child_id>")
@allow(*STAFF)
def show(child_id):
    child = child_or_404(current_user, child_id)
    audit.record("read_child", child)
    return render("children/show.html", child=child, entries=chronology(current_user, child),
                  key_groups=marking.shown_groups(current_user, child),
                  may_set={"problem_family": can(current_user, "set_problem_family", child),
                           "psychiatric_history": can(current_user, "set_psychiatric_history", child)})


@bp.route("/<int:child_id>/problem-family", methods=["POST"])
@allow("county", "zone", "counselor", "head_teacher")
def problem_family(child_id):
    """问题家庭 on or off (《实施方案》四、11): the class's head teacher or a psychology teacher."""
    child = require(current_user, "set_problem_family", child_or_404(current_user, child_id))
    value = marking.chosen_value(request.form.get("value"))
    if value is not None and marking.set_problem_family(child, value):
        flash(_("Marked as a problem family.") if value else _("No longer marked as a problem family."))
    return redirect(url_for("children.show", child_id=child.id))


@bp.route("/<int:child_id>/psychiatric-history", methods=["POST"])
@allow(*COUNSELLING)
def psychiatric_history(child_id):
    """精神病史 on or off: psychology teachers, the zone and the county only (others get 404)."""
    child = require(current_user, "set_psychiatric_history", child_or_404(current_user, child_id))
    value = marking.chosen_value(request.form.get("value"))
    if value is not None and marking.set_psychiatric_history(child, current_user._get_current_object(), value):
        flash(_("Psychiatric history recorded.") if value else _("Psychiatric history removed."))
    return redirect(url_for("children.show", child_id=child.id))
