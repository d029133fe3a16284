"""`/village/activities/new`: a 童伴之家 activity, the children who came ticked from the village list."""
from flask import Blueprint
from flask_login import current_user

from ..access import allow, visible_children, visible_villages
from ..models import Child, Village
from ..pwa import offline_page
from ..web import render
from . import service
from .entry_forms import ActivityForm

bp = Blueprint("activities", __name__, url_prefix="/village/activities")


@bp.route("/new", methods=["GET", "POST"])
@allow("child_worker")
@offline_page
def new():
    user = current_user._get_current_object()
    villages = list(visible_villages(user).order_by(Village.name))
    # Left-behind children first: the 童伴之家 is theirs, though any child of the village may come.
    children = list(
        visible_children(user).select(Child.id, Child.name, Child.village, Child.left_behind)
        .order_by(Child.village, Child.left_behind.desc(), Child.name_pinyin, Child.id)
    )
    form = ActivityForm()
    form.set_villages(villages, children)
    if form.validate_on_submit():
        village = next(v for v in villages if v.id == form.village.data)
        activity, created = service.record_activity(
            user, village, form.activity_data(), form.children.data or [], form.device_time(), form.client_uuid.data,
        )
        count = activity.attendances.count()
        return render("village/activity_saved.html", activity=activity, village=village, created=created,
                      count=count)
    status = 422 if form.is_submitted() else 200
    return render("village/activity_new.html", form=form, villages=villages, children=children), status
