"""`/visits/new`: pick a child of one's class and log a visit; `/visits/<id>`: read it, and correct
it the same day. The coverage pages are in overview.py, on the same blueprint."""
from datetime import timedelta

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..access import allow, can, child_or_404, get_in_scope, visible_visits
from ..bounds import page_number, record_id
from ..clock import today
from ..pwa import child_template, offline_page, roster_shown
from ..web import render

# overview: imported for its routes, the coverage pages and the register, on this blueprint.
from . import coverage, overview, service  # noqa: F401
from .blueprint import LOGGERS, READERS, bp, me
from .forms import CorrectionForm, VisitForm


@bp.app_template_global()
def may_log_visit(child=None):
    """For links: may the signed-in user log a visit (to this child)?"""
    if child is None:
        return current_user.is_authenticated and current_user.role in LOGGERS
    return can(current_user, "log_visit", child)


def _picker(text="", status=200):
    page = request.values.get("page", 1, type=page_number)
    # The unsearched roster is the one the phone keeps for offline work: a whole class (or a
    # few) on its first page, so every child of it can be recorded with no signal.
    per_page = current_app.config["CHILDREN_PER_PAGE" if text else "OFFLINE_ROSTER_SIZE"]
    rows = coverage.picker_rows(me(), text, page, per_page, today())
    return render("visits/pick.html", "visits/_pick_results.html", children=rows[:per_page],
                  has_more=len(rows) > per_page, page=page, q=text), status


@bp.route("/pick", methods=["POST"])
@allow(*LOGGERS)
def pick():
    # Search text travels in the POST body, never the URL: it may be a child's name.
    return _picker(request.form.get("q", ""))


@bp.route("/new", methods=["GET", "POST"])
@allow(*LOGGERS)
@offline_page
def new():
    if request.args.get("child") is None and request.method == "GET":
        roster_shown()
        return _picker()
    if child_template():
        # The one copy kept on the phone for every child of her roster (offline); no child in it.
        return render("visits/new.html", form=VisitForm(keep_situation="1"), child=None)
    child = child_or_404(me(), request.args.get("child", type=record_id))
    if not can(me(), "log_visit", child):
        abort(404)
    form = VisitForm(family_situation=service.starting_situation(child))
    if form.validate_on_submit():
        data = form.visit_data()
        if form.keep_situation.data and not data["family_situation"]:
            # Filled in offline, without the child's record at hand: nothing ticked keeps it.
            data["family_situation"] = service.starting_situation(child)
        visit, created = service.log_visit(child, me(), data, form.device_time(),
                                           form.client_uuid.data, concern=form.concern_data())
        # Someone else's entry id was refused (409). Her own earlier visit is shown only while
        # she may still read it (a visit just stored is hers: its author reads it).
        if not created and not can(me(), "read_visit", visit):
            abort(404)
        day = today()
        return render("visits/saved.html", visit=visit, child=visit.child, created=created,
                      next_child=coverage.next_due_in_village(me(), visit.child, day),
                      progress=coverage.head_teacher_progress(me(), day))
    status = 422 if form.is_submitted() else 200
    return render("visits/new.html", form=form, child=child), status


def _visit_or_404(visit_id):
    return get_in_scope(visible_visits(me()), visit_id)


@bp.route("/<int:visit_id>")
@allow(*READERS)
def show(visit_id):
    visit = _visit_or_404(visit_id)
    audit.record("read_home_visit", visit, child_id=visit.child_id)
    return render("visits/show.html", visit=visit, child=visit.child,
                  may_correct=can(me(), "correct_visit", visit),
                  # Sent later from the outbox: both times matter (when made, when it arrived).
                  arrived_late=visit.received_at - visit.made_at > timedelta(minutes=5),
                  may_open_concern=visit.concern_id is not None and can(me(), "read_concern", visit.concern))


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@allow(*LOGGERS)
def edit(visit_id):
    visit = _visit_or_404(visit_id)
    if not can(me(), "correct_visit", visit):
        # Readable but no longer correctable: say so rather than pretend it is not there.
        return render("visits/locked.html", visit=visit, child=visit.child), 403
    form = CorrectionForm(data=service.form_values(visit))
    if form.validate_on_submit():
        service.correct_visit(visit, form.visit_data())
        flash(_("Correction saved."))
        return redirect(url_for("visits.show", visit_id=visit.id))
    status = 422 if form.is_submitted() else 200
    return render("visits/edit.html", form=form, visit=visit, child=visit.child), status

