"""Forms of the case page: opening a case, notes, level, team, closing, referrals."""
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..clock import today
from ..concerns.forms import TEXT_LIMIT, choices
from ..forms import AppForm, CheckboxesField, CreateForm, happened
from ..labels import CASE_CATEGORY_LABELS, CONSENT_HOW_LABELS, RISK_LEVEL_LABELS

TOO_LONG = _l("Please keep it under %(max)d characters.")


def text(label, required=None):
    validators = [Length(max=TEXT_LIMIT, message=TOO_LONG)]
    validators.insert(0, DataRequired(message=required) if required else Optional())
    return TextAreaField(label, validators=validators)


def day(label):
    return DateField(label, default=today, validators=[
        InputRequired(message=_l("Please give a valid date.")), happened,
    ])


def level_field():
    return SelectField(_l("Risk level"), choices=choices(RISK_LEVEL_LABELS), validators=[DataRequired()])


class TeamFields:
    """The care team: one responsible adult (一对一) and optional others (多对一)."""

    responsible = SelectField(_l("Responsible adult"), coerce=int,
                              validators=[DataRequired(message=_l("Please choose the responsible adult."))])
    members = CheckboxesField(_l("Further team members"), coerce=int, validators=[Optional()])

    def set_candidates(self, users):
        options = [(u.id, u.display_name) for u in users]
        self.responsible.choices = options
        self.members.choices = options


class CaseForm(CreateForm, TeamFields):
    level = level_field()
    categories = CheckboxesField(
        _l("Categories"), choices=choices(CASE_CATEGORY_LABELS),
        validators=[DataRequired(message=_l("Please choose at least one category."))],
    )
    goals = text(_l("Goals"), required=_l("Please write the goals of the plan."))
    measures = text(_l("Measures"), required=_l("Please write the measures."))


class TeamForm(AppForm, TeamFields):
    pass


class NoteForm(CreateForm):
    text = text(_l("Follow-up"), required=_l("Please write what happened."))
    contacted_on = day(_l("Date of contact"))
    is_review = BooleanField(_l("This was the scheduled review"))
    restricted = BooleanField(_l("Restricted: only psychology teachers may read it"))
    # The day the case was opened, set by the view: no follow-up, and so no review, before it.
    case_opened_on = None

    def validate_contacted_on(self, field):
        if self.case_opened_on and field.data and field.data < self.case_opened_on:
            raise ValidationError(_("The date cannot be before the case was opened (%(day)s).",
                                    day=format_date(self.case_opened_on, "long")))


class LevelForm(AppForm):
    level = level_field()
    reason = text(_l("Why"), required=_l("Please say why the level changes."))


class ReasonForm(AppForm):
    reason = text(_l("Reason"), required=_l("Please give a reason."))


class ReferralForm(CreateForm):
    institution = SelectField(_l("Institution"), coerce=int,
                              validators=[DataRequired(message=_l("Please choose the institution."))])
    referred_on = day(_l("Referred on"))
    guardian_informed = BooleanField(_l("Guardian informed"))
    guardian_consented = BooleanField(_l("Guardian consented"))
    consent_how = SelectField(_l("How"), choices=[SelectChoice("", "—")] + choices(CONSENT_HOW_LABELS),
                              validators=[Optional()])
    handover_notes = text(_l("Hand-over notes"))

    def validate(self, extra_validators=None):
        # Form-level: Optional() on consent_how would skip a field validator on empty input.
        valid = super().validate(extra_validators)
        if self.guardian_consented.data and not self.consent_how.data:
            self.consent_how.errors.append(_l("Please say how the guardian consented."))
            return False
        return valid


class FeedbackForm(AppForm):
    received_on = day(_l("Feedback received on"))
    text = text(_l("Feedback"), required=_l("Please write the feedback."))
    is_outcome = BooleanField(_l("This is the outcome: the referral is complete"))
