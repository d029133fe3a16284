"""`/children/`: the children in the user's scope, with live search; `/children/<id>`."""
from flask import Blueprint, current_app, request
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import STAFF, allow, child_or_404, visible_children
from ..chronology import chronology
from ..db import one_page
from ..models import Child, SchoolClass, Village
from ..pwa import offline_page
from ..web import render
from .search import in_pinyin_order

bp = Blueprint("children", __name__, url_prefix="/children")


@bp.route("/", methods=["GET", "POST"])
@allow(*STAFF)
@offline_page
def index():
    # Search text travels in the POST body, never the URL: it may be a child's name.
    text = request.form.get("q", "")
    page = max(request.values.get("page", 1, type=int), 1)
    per_page = current_app.config["CHILDREN_PER_PAGE"]
    ids = [child_id for (child_id,) in
           one_page(in_pinyin_order(visible_children(current_user), text), page, per_page).tuples()]
    rows = list(  # the page's children, in the same order, with what the list shows of them
        Child.select(Child, SchoolClass, Village)
        .join(SchoolClass, join_type=JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
        .switch(Child)
        .join(Village, join_type=JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        .where(Child.id.in_(ids)).order_by(Child.name_pinyin, Child.id)) if ids else []
    return render(
        "children/index.html",
        "children/_results.html",
        children=rows[:per_page],
        has_more=len(rows) > per_page,
        page=page,
        q=text,
    )


@bp.route("/<int:child_id>")
@allow(*STAFF)
def show(child_id):
    child = child_or_404(current_user, child_id)
    audit.record("read_child", child)
    return render("children/show.html", child=child, entries=chronology(current_user, child))
