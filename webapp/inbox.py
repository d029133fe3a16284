"""The in-app inbox: notifications for the signed-in user, and the unread badge htmx polls."""
from flask import Blueprint
from flask_login import current_user

from .access import STAFF, allow
from .models import Notification
from .safeguarding.notify import unread_count
from .web import render

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.route("/")
@allow(*STAFF)
def index():
    notifications = list(
        Notification.select().where(Notification.user == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(100)
    )
    return render("inbox/index.html", notifications=notifications)


@bp.route("/badge")
@allow(*STAFF)
def badge():
    """One indexed count, polled by htmx every minute."""
    count = unread_count(current_user)
    return render("inbox/_badge.html", count=count)
