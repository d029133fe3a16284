"""Forms of critical incidents: opening one (short, for a phone), postvention, closing, settings."""
from datetime import UTC, date

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..clock import LOCAL_TZ, local_now
from ..concerns.forms import TEXT_LIMIT, choices
from ..forms import DEVICE_CLOCK_SLACK, AppForm, CreateForm, RadioChoices
from ..labels import AFFECTED_LEVEL_LABELS, INCIDENT_KIND_LABELS, URGENCY_LABELS
from .plan import RULE_LIMITS

SHORT_TEXT = 1000
EARLIEST_DAY = date(2000, 1, 1)  # before it, a time is a typing slip (as bounds.EARLIEST_DAY)


class ChildIds(SelectMultipleField):
    """Ids of children ticked in a picker: whatever was posted, as numbers. The view keeps only
    those the user may see (a picker's list changes with each search, so no fixed choices)."""

    def pre_validate(self, form):
        pass

    def process_formdata(self, valuelist):
        self.data = sorted({int(v) for v in valuelist if v.isdigit() and len(v) < 10})


class IncidentForm(CreateForm):
    kind = RadioChoices(_l("What happened?"), choices=choices(INCIDENT_KIND_LABELS),
                        validators=[DataRequired(message=_l("Please choose what happened."))])
    place = SelectField(_l("Where?"), validators=[DataRequired(message=_l("Please choose where."))])
    happened_at = DateTimeLocalField(_l("When?"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                     validators=[InputRequired(message=_l("Please give the time."))])
    description = TextAreaField(_l("Briefly, what happened"), validators=[
        DataRequired(message=_l("Please say briefly what happened.")),
        Length(max=SHORT_TEXT, message=_l("Please keep it under %(max)d characters.")),
    ])
    children = ChildIds(_l("Children directly involved"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.happened_at.data is None and not self.is_submitted():
            self.happened_at.data = local_now().replace(tzinfo=None, second=0, microsecond=0)

    def validate_happened_at(self, field):
        # A phone's clock may run a little fast; more than that is a typing slip.
        if field.data is not None and field.data.replace(tzinfo=LOCAL_TZ) > local_now() + DEVICE_CLOCK_SLACK:
            raise ValidationError(_l("The time cannot be in the future."))
        if field.data is not None and field.data.date() < EARLIEST_DAY:
            raise ValidationError(_l("Please give the time."))

    def happened_utc(self):
        """The local time typed, as the naive UTC the database keeps."""
        return self.happened_at.data.replace(tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


class AffectedForm(AppForm):
    level = RadioChoices(_l("How close to what happened?"), choices=choices(AFFECTED_LEVEL_LABELS), default="close",
                         validators=[DataRequired(message=_l("Please choose a level."))])
    children = ChildIds(_l("Pupils affected"), coerce=int)


class FollowUpForm(AppForm):
    note = TextAreaField(_l("What did the follow-up find?"), validators=[
        DataRequired(message=_l("Please write a short note.")),
        Length(max=SHORT_TEXT, message=_l("Please keep it under %(max)d characters.")),
    ])


class FollowUpConcernForm(CreateForm):
    urgency = RadioChoices(_l("How urgent is it?"), choices=choices(URGENCY_LABELS), default="normal",
                           validators=[DataRequired(message=_l("Please choose how urgent it is."))])
    description = TextAreaField(_l("What did you see or hear?"), validators=[
        DataRequired(message=_l("Please describe what you saw or heard.")),
        Length(max=TEXT_LIMIT, message=_l("Please keep it under %(max)d characters.")),
    ])


class CloseForm(AppForm):
    review_what = TextAreaField(_l("Review: what happened and what was done"), validators=[
        DataRequired(message=_l("Please write what happened and what was done.")),
        Length(max=TEXT_LIMIT, message=_l("Please keep it under %(max)d characters.")),
    ])
    review_learned = TextAreaField(_l("Review: what was learned"), validators=[
        DataRequired(message=_l("Please write what was learned.")),
        Length(max=TEXT_LIMIT, message=_l("Please keep it under %(max)d characters.")),
    ])


def _limits(name, label):
    low, high = RULE_LIMITS[name]
    message = _l("Please give a number from %(low)d to %(high)d.", low=low, high=high)
    return IntegerField(label, validators=[InputRequired(message=message), NumberRange(low, high, message=message)])


class PlanForm(AppForm):
    steps = TextAreaField(_l("Emergency plan steps, one per line"), validators=[
        DataRequired(message=_l("Please give at least one step.")), Length(max=4000),
    ])
    close_hours = _limits("close_hours", _l("First contact for close pupils within (hours)"))
    general_days = _limits("general_days", _l("First contact for other pupils within (days)"))

    def step_list(self):
        return [line.strip()[:200] for line in (self.steps.data or "").splitlines() if line.strip()][:30]
