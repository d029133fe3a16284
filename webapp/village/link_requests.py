"""`/village/links/`: the county, or the pupil's school, decides whether a child worker's
registration is a pupil she was not shown (see links.py)."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import LINK_DECIDERS, allow, scoped_or_404, visible_link_requests
from ..models import Child, LeftBehindFile, LinkRequest, School, SchoolClass, User, Village
from ..web import render
from . import links

bp = Blueprint("links", __name__, url_prefix="/village/links")


def pending_link_requests():
    """How many requests wait on the signed-in user (for her home page); 0 for other roles."""
    user = current_user._get_current_object()
    if user.role not in LINK_DECIDERS:
        return 0
    return visible_link_requests(user).where(LinkRequest.status == "pending").count()


def _pending_rows(user):
    """Each pending request with what it takes to decide: her registration beside the pupil."""
    Registered = Child.alias("registered")
    requests = (
        visible_link_requests(user)
        .select(LinkRequest, Child, School, SchoolClass, LeftBehindFile, Registered, Village, User)
        .join(Child, on=(LinkRequest.child == Child.id))
        .join(School, on=(Child.school == School.id))
        .switch(Child).join(SchoolClass, JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
        .switch(LinkRequest).join(LeftBehindFile, on=(LinkRequest.record == LeftBehindFile.id))
        .join(Registered, on=(LeftBehindFile.child == Registered.id), attr="registered")
        .join(Village, on=(Registered.village == Village.id), attr="village")
        .switch(LinkRequest).join(User, JOIN.LEFT_OUTER, on=(LinkRequest.worker == User.id), attr="worker")
        .where(LinkRequest.status == "pending")
        .order_by(LinkRequest.received_at, LinkRequest.id)
    )
    return list(requests)


@bp.route("/")
@allow(*LINK_DECIDERS)
def index():
    user = current_user._get_current_object()
    requests = _pending_rows(user)
    # A sensitive read: the children of both sides are named on it.
    audit.record("view_link_requests", shown=len(requests))
    return render("village/link_requests.html", requests=requests)


def _request_or_404(link_id):
    return scoped_or_404(visible_link_requests, current_user._get_current_object(), link_id)


@bp.route("/<int:link_id>/confirm", methods=["POST"])
@allow(*LINK_DECIDERS)
def confirm(link_id):
    link = _request_or_404(link_id)
    try:
        decided = links.confirm(link, current_user._get_current_object())
    except links.PupilTaken:
        flash(_("This pupil has been put on a village register since; the request can only be refused."))
        return redirect(url_for("links.index"))
    flash(_("Linked: the child worker now follows the pupil.") if decided else _("This request was already decided."))
    return redirect(url_for("links.index"))


@bp.route("/<int:link_id>/refuse", methods=["POST"])
@allow(*LINK_DECIDERS)
def refuse(link_id):
    link = _request_or_404(link_id)
    decided = links.refuse(link, current_user._get_current_object())
    flash(_("Refused: the pupil and the child worker's registration stay two children.") if decided
          else _("This request was already decided."))
    return redirect(url_for("links.index"))
