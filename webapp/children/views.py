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
from .search import search_children

bp = Blueprint("children", __name__, url_prefix="/children")


@bp.route("/", methods=["GET", "POST"])
@allow(*STAFF)
@offline_page
def index():
    # Search text travels in the POST body, never the URL: it may be a child's name.
    text = request.form.get("q", "")
    page = max(request.values.get("page", 1, type=int), 1)
    per_page = current_app.config["CHILDREN_PER_PAGE"]
    query = search_children(visible_children(current_user), text)
    rows = list(one_page(
        query.select(Child, SchoolClass, Village)
        .join(SchoolClass, join_type=JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
        .switch(Child)
        .join(Village, join_type=JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        .order_by(Child.name_pinyin, Child.id), page, per_page))
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
