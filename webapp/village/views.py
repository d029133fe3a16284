"""`/village/children/new`: a child worker registers a left-behind child of her village, or files
the pupil the county already knows; and records the guardian's confirmation later."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import allow, catchment_schools, child_or_404, require, village_ids_of, visible_villages
from ..models import LeftBehindFile, Village
from ..pwa import offline_page
from ..web import render
from . import links, service
from .forms import ConfirmForm, RegisterForm
from .matching import pupil_matches

bp = Blueprint("village", __name__, url_prefix="/village")


def me():
    return current_user._get_current_object()


def _chosen_pupil(form, user):
    """(pupil, offered, withheld): the pupil she said is this child, or the matches still to
    decide on; and a pupil with her details she may not be shown (outside her catchment).

    The offer holds whatever she typed: both answers resubmit the whole form with `link`. Only
    an offered pupil can be chosen: any other id she sends is no answer (a withheld pupil is
    the county's to link).
    """
    offered, withheld = pupil_matches(form.name.data, form.sex.data, form.birth_date.data, village_ids_of(user),
                                      catchment_schools(user))
    decision = request.form.get("link", "")
    chosen = next((pupil for pupil in offered if str(pupil.id) == decision), None)
    if chosen:
        return chosen, [], None
    if offered and not (decision == "new" or decision.isdigit()):
        return None, offered, None  # not answered yet
    unnamed = next((pupil for pupil in withheld if str(pupil.id) == decision), None)
    return None, [], unnamed or next(iter(withheld), None)


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
        pupil, matches, unnamed = _chosen_pupil(form, user)
        if not matches:
            village = next(v for v in villages if v.id == form.village.data)
            entry = (user, village, form.name.data.strip(), form.sex.data, form.birth_date.data, form.file_data(),
                     form.device_time(), form.client_uuid.data)
            if unnamed is not None:
                # She registers the child as she found her; the county or the school links them.
                record, created = links.register_awaiting_link(*entry, pupil=unnamed)
            else:
                record, created = service.register_child(*entry, pupil=pupil)
            return render("village/registered.html", record=record, child=record.child, created=created,
                          awaiting_link=links.pending_for(record) is not None)
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
