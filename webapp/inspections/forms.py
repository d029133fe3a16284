"""The inspection's forms: the inspection (day, checklist, summary, a first finding), a finding,
the school's report that an item is done, the inspector's decision."""
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..clock import today
from ..forms import AppForm, happened
from ..labels import ROLE_LABELS

MAX_DAYS_AHEAD = 366


def _deadline(form, field):
    if field.data is None:
        return
    if field.data < today():
        raise ValidationError(_("The deadline cannot be in the past."))
    if field.data > today() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("The deadline cannot be more than a year ahead."))


class FindingFields:
    """A finding, its owner at the school and its deadline (optional on the inspection form)."""

    def set_owners(self, owners):
        self.owner.choices = [SelectChoice(0, _("Choose…"))] + [
            SelectChoice(u.id, f"{u.display_name} ({role_name(u.role)})") for u in owners]
        self._owners = {u.id for u in owners}


def role_name(role):
    return ROLE_LABELS.get(role, role)


class FindingForm(AppForm, FindingFields):
    finding = TextAreaField(_l("Finding (what must be rectified)"), validators=[
        DataRequired(message=_l("Please describe the finding.")), Length(max=1000)])
    owner = SelectField(_l("Responsible at the school"), coerce=int, validate_choice=False,
                        validators=[InputRequired(message=_l("Please choose who is responsible."))])
    due_on = DateField(_l("Deadline"), validators=[InputRequired(message=_l("Please give a valid date.")), _deadline])

    def validate_owner(self, field):
        if field.data not in self._owners:
            raise ValidationError(_("Please choose the school's principal or psychology teacher."))


class InspectionForm(AppForm, FindingFields):
    day = DateField(_l("Date of the inspection"), validators=[
        InputRequired(message=_l("Please give a valid date.")), happened])
    summary = TextAreaField(_l("Overall remarks"), validators=[Optional(), Length(max=2000)])
    finding = TextAreaField(_l("Finding (what must be rectified)"), validators=[Optional(), Length(max=1000)])
    owner = SelectField(_l("Responsible at the school"), coerce=int, validate_choice=False, default=0)
    due_on = DateField(_l("Deadline"), validators=[Optional(), _deadline])

    def validate_owner(self, field):
        if (self.finding.data or "").strip() and field.data not in self._owners:
            raise ValidationError(_("Please choose the school's principal or psychology teacher."))

    def validate_due_on(self, field):
        if (self.finding.data or "").strip() and field.data is None:
            raise ValidationError(_("Please give the deadline of the rectification."))


class ReportForm(AppForm):
    note = TextAreaField(_l("What was done"), validators=[
        DataRequired(message=_l("Please say what was done.")), Length(max=1000)])


class DecisionForm(AppForm):
    note = StringField(_l("Note (why it is sent back)"), validators=[Optional(), Length(max=300)])
