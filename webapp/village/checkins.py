"""`/checkins/`: the child worker's home (due this week, overdue, done this month);
`/checkins/new?child=<id>`: a check-in; `/checkins/<id>`: one check-in, for those who may read it."""
from flask import Blueprint, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..access import CHECKIN_READERS, allow, child_or_404, get_in_scope, require, visible_checkins
from ..bounds import record_id
from ..clock import today
from ..labels import DUTY_KIND_LABELS, translated
from ..models import LeftBehindFile
from ..pwa import child_template, offline_page, roster_shown
from ..web import render
from . import service
from .entry_forms import CheckInForm
from .overview import month_work, worker_home

bp = Blueprint("checkins", __name__, url_prefix="/checkins")


@bp.app_template_global()
def duty_row_words():
    """What every duty row links to and says, worked out once per page (a page lists several
    buckets): (new check-in, new activity, {duty kind: label}, "no file", "not confirmed")."""
    if "duty_row_words" not in g:
        g.duty_row_words = (url_for("checkins.new"), url_for("activities.new"), translated(DUTY_KIND_LABELS),
                            _("No file yet"), _("Guardian not yet confirmed"))
    return g.duty_row_words


def me():
    return current_user._get_current_object()


@bp.route("/")
@allow("child_worker")
@offline_page
def index():
    user, day = me(), today()
    roster_shown()  # her children, so the phone keeps the check-in form for each of them
    return render("village/checkins.html", **worker_home(user, day), work=month_work(user, day))


@bp.route("/new", methods=["GET", "POST"])
@allow("child_worker")
@offline_page
def new():
    user = me()
    if child_template():
        # The one copy kept on the phone for every child of her roster (offline); no child in it.
        return render("village/checkin_new.html", form=CheckInForm(), child=None, unconfirmed=False)
    child = child_or_404(user, request.args.get("child", type=record_id))
    require(user, "file_child", child)
    form = CheckInForm()
    if form.validate_on_submit():
        urgency, text = form.concern_urgency.data, (form.concern.data or "").strip()
        checkin, created = service.record_checkin(
            user, child, form.checkin_data(), form.device_time(), form.client_uuid.data,
            urgency=urgency, concern_text=text,
        )
        return render("village/checkin_saved.html", checkin=checkin, child=child, created=created)
    status = 422 if form.is_submitted() else 200
    unconfirmed = LeftBehindFile.select().where(
        (LeftBehindFile.child == child.id) & LeftBehindFile.confirmed_on.is_null()).exists()
    return render("village/checkin_new.html", form=form, child=child, unconfirmed=unconfirmed), status


@bp.route("/<int:checkin_id>")
@allow(*CHECKIN_READERS)
def show(checkin_id):
    checkin = get_in_scope(visible_checkins(me()), checkin_id)
    audit.record("read_checkin", checkin, child_id=checkin.child_id)
    return render("village/checkin_show.html", checkin=checkin, child=checkin.child)
