"""`/village/children/new`: a child worker registers a left-behind child of her village, or files
the pupil the county already knows; and records the guardian's confirmation later."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import allow, child_or_404, require, village_ids_of, visible_villages
from ..models import LeftBehindFile, Village
from ..pwa import offline_page
from ..web import render
from . import service
from .forms import ConfirmForm, RegisterForm
from .matching import pupil_matches

bp = Blueprint("village", __name__, url_prefix="/village")


def me():
    return current_user._get_current_object()


def _chosen_pupil(form, user):
    """(pupil, matches): the pupil she said is this child, or the matches still to decide on.

    The offer holds whatever she typed: both answers resubmit the whole form with `link`.
    """
    matches = pupil_matches(form.name.data, form.sex.data, form.birth_date.data, village_ids_of(user))
    decision = request.form.get("link", "")
    if not matches or decision == "new":
        return None, []
    chosen = next((pupil for pupil in matches if str(pupil.id) == decision), None)
    return chosen, ([] if chosen else matches)


@bp.route("/children/new", methods=["GET", "POST"])
@allow("child_worker")
@offline_page
def register():
    user = me()
    villages = list(visible_villages(user).order_by(Village.name))
    form = RegisterForm()
    form.set_villages(villages)
    matches = []
    if form.validate_on_submit():
        pupil, matches = _chosen_pupil(form, user)
        if not matches:
            village = next(v for v in villages if v.id == form.village.data)
            record, created = service.register_child(
                user, village, form.name.data.strip(), form.sex.data, form.birth_date.data, form.file_data(),
                form.device_time(), form.client_uuid.data, pupil=pupil,
            )
            return render("village/registered.html", record=record, child=record.child, created=created)
    # The link offer is not an error, but nothing is saved until she answers it: an entry
    # replayed from the offline outbox must stay there ("needs attention"), hence 422 too.
    status = 422 if form.is_submitted() else 200
    return render("village/register.html", form=form, matches=matches), status


def _file_or_404(child_id):
    child = child_or_404(me(), child_id)
    require(me(), "file_child", child)
    record = LeftBehindFile.get_or_none(LeftBehindFile.child == child.id)
    if record is None:
        abort(404)
    return child, record


@bp.route("/children/<int:child_id>/confirm", methods=["GET", "POST"])
@allow("child_worker")
def confirm(child_id):
    """The guardian's confirmation, when it came after the registration."""
    child, record = _file_or_404(child_id)
    form = ConfirmForm()
    if record.confirmed:
        flash(_("The guardian's confirmation is already recorded."))
        return redirect(url_for("children.show", child_id=child.id))
    if form.validate_on_submit():
        service.confirm_guardian(record, form.confirmation())
        flash(_("Saved. The guardian's confirmation is recorded."))
        return redirect(url_for("children.show", child_id=child.id))
    status = 422 if form.is_submitted() else 200
    return render("village/confirm.html", form=form, child=child), status
