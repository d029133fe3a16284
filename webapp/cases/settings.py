"""County settings of the safeguarding core: referral institutions and key periods."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from .. import audit
from ..access import allow, get_in_scope
from ..concerns.forms import choices
from ..forms import AppForm, in_date_window
from ..labels import INSTITUTION_KIND_LABELS, KEY_PERIOD_LABELS
from ..models import Institution, KeyPeriod
from ..web import render

bp = Blueprint("case_settings", __name__, url_prefix="/cases/settings")


class InstitutionForm(AppForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Please give the name.")), Length(max=100),
    ])
    kind = SelectField(_l("Kind"), choices=choices(INSTITUTION_KIND_LABELS))

    def validate_name(self, field):
        if Institution.select().where(Institution.name == field.data.strip()).exists():
            raise ValidationError(_l("This institution is already on the list."))


class KeyPeriodForm(AppForm):
    kind = SelectField(_l("Key period"), choices=choices(KEY_PERIOD_LABELS))
    starts_on = DateField(_l("From"), validators=[InputRequired(message=_l("Please give a valid date.")),
                                                  in_date_window])
    ends_on = DateField(_l("To"), validators=[InputRequired(message=_l("Please give a valid date.")), in_date_window])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end cannot be before the start."))


def _page(status=200, **forms):
    forms.setdefault("institution_form", InstitutionForm())
    forms.setdefault("period_form", KeyPeriodForm())
    for name, form in forms.items():  # both forms have a `kind`: ids institution-kind, period-kind
        form.prefix_ids(name.removesuffix("_form"))
    return render(
        "cases/settings.html",
        institutions=list(Institution.select().order_by(Institution.active.desc(), Institution.name)),
        periods=list(KeyPeriod.select().order_by(KeyPeriod.starts_on.desc()).limit(30)),
        **forms,
    ), status


@bp.route("/")
@allow("county")
def index():
    return _page()


@bp.route("/institutions", methods=["POST"])
@allow("county")
def add_institution():
    form = InstitutionForm()
    if not form.validate_on_submit():
        return _page(422, institution_form=form)
    institution = Institution.create(name=form.name.data.strip(), kind=form.kind.data)
    audit.record("create_institution", institution)
    flash(_("Saved."))
    return redirect(url_for("case_settings.index"))


@bp.route("/institutions/<int:institution_id>/toggle", methods=["POST"])
@allow("county")
def toggle_institution(institution_id):
    institution = get_in_scope(Institution.select(), institution_id)
    institution.active = not institution.active
    institution.save()
    audit.record("toggle_institution", institution, active=institution.active)
    return redirect(url_for("case_settings.index"))


@bp.route("/periods", methods=["POST"])
@allow("county")
def add_period():
    form = KeyPeriodForm()
    if not form.validate_on_submit():
        return _page(422, period_form=form)
    period = KeyPeriod.create(kind=form.kind.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                              created_by=current_user.id)
    audit.record("create_key_period", period)
    flash(_("Saved."))
    return redirect(url_for("case_settings.index"))
