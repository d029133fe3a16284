"""The programme's forms: one activity form for every kind, and the register's small forms."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..concerns.forms import choices
from ..forms import AppForm, CheckboxesField, CreateForm, RadioChoices, happened
from ..models import CLASS_KINDS
from ..village.entry_forms import entry_day
from .labels import (
    ACTIVITY_KIND_LABELS,
    EQUIPMENT_LABELS,
    PER_LABELS,
    PERIOD_LABELS,
    POST_LABELS,
    TRAINING_LEVEL_LABELS,
)
from .rules import PACE_DAYS

YEAR_MESSAGE = _l("Please give a year from 2000 to 2100.")


class ActivityForm(CreateForm):
    kind = RadioChoices(_l("What"), choices=choices(ACTIVITY_KIND_LABELS), default="lesson",
                        validators=[DataRequired(message=_l("Please choose what was held."))])
    school_class = SelectField(_l("Class"), coerce=int, validate_choice=False, validators=[Optional()])
    day = entry_day(_l("Date"))
    topic = StringField(_l("Topic"), validators=[
        DataRequired(message=_l("Please give the topic.")), Length(max=80),
    ])

    def set_scope(self, kinds, classes):
        """The kinds this user logs and the classes she may name (her own, or her school's)."""
        self.kind.choices = [c for c in self.kind.choices if c.value in kinds]
        if self.kind.data not in kinds and not self.is_submitted():
            self.kind.data = kinds[0]
        self.school_class.choices = [SelectChoice(c.id, c.label) for c in classes]
        if self.school_class.data is None and classes:
            self.school_class.data = classes[0].id
        self._classes = {c.id: c for c in classes}

    def validate_school_class(self, field):
        if self.kind.data in CLASS_KINDS and field.data not in self._classes:
            raise ValidationError(_("Please choose one of your classes."))

    def chosen_class(self):
        return self._classes.get(self.school_class.data) if self.kind.data in CLASS_KINDS else None


class StaffForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Please give the name.")), Length(max=40)])
    post = RadioChoices(_l("Post"), choices=choices(POST_LABELS), default="part_time",
                        validators=[DataRequired(message=_l("Please choose full-time or part-time."))])
    qualification = StringField(_l("Qualification (optional)"), validators=[Optional(), Length(max=80)])
    user = SelectField(_l("Account (optional)"), coerce=int, validate_choice=False, validators=[Optional()])
    active = BooleanField(_l("Still teaching here"), default=True)

    def set_accounts(self, accounts):
        self.user.choices = [SelectChoice(0, "—")] + [SelectChoice(u.id, u.display_name) for u in accounts]
        self._accounts = {u.id for u in accounts}

    def validate_user(self, field):
        if field.data and field.data not in self._accounts:
            raise ValidationError(_("Please choose an account of this school."))


class TrainingForm(AppForm):
    title = StringField(_l("Training"), validators=[DataRequired(message=_l("Please name the training.")),
                                                    Length(max=80)])
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Please give a valid date.")), happened])
    hours = DecimalField(_l("Hours"), places=1, validators=[
        InputRequired(message=_l("Please give the hours.")),
        NumberRange(min=0.5, max=999, message=_l("Please give between 0.5 and 999 hours.")),
    ])
    level = RadioChoices(_l("Level"), choices=choices(TRAINING_LEVEL_LABELS), default="county",
                         validators=[DataRequired(message=_l("Please choose the level."))])


def _year(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=2000, max=2100, message=YEAR_MESSAGE)])


class RoomForm(AppForm):
    built = BooleanField(_l("The counselling room is built"))
    built_year = _year(_l("Year built"))
    standard = BooleanField(_l("It meets the standard"))
    standard_year = _year(_l("Year the standard was reached"))
    equipment = CheckboxesField(_l("Equipment"), choices=choices(EQUIPMENT_LABELS))

    def validate_standard(self, field):
        if field.data and not self.built.data:
            raise ValidationError(_("A room that is not built cannot meet the standard."))


class PlanForm(AppForm):
    approved_on = DateField(_l("Approved or last reviewed on"), validators=[
        InputRequired(message=_l("Please give a valid date.")), happened])
    last_drill_on = DateField(_l("Last drill (optional)"), validators=[Optional(), happened])
    steps = TextAreaField(_l("The plan's steps, one per line (empty: the county's default steps)"),
                          validators=[Optional(), Length(max=4000)])

    def step_list(self):
        return [line.strip()[:200] for line in (self.steps.data or "").splitlines() if line.strip()][:30]


class PaceField:
    """A requirement's pace (《实施方案》四、9: one lesson every two weeks), on the line that edits
    it and on the form that adds one."""

    # Text, not IntegerField: "abc" and "3" get the same clear message (WTForms' own says only
    # "not a valid integer"), and what was typed stays in the box.
    pace_days = StringField(_l("At least one every … days (blank: no pace)"),
                            filters=[lambda s: "" if s is None else str(s).strip()])

    def validate_pace_days(self, field):
        low, high = PACE_DAYS
        if field.data and not (field.data.isdecimal() and low <= int(field.data) <= high):
            raise ValidationError(_("Please give a number of days from %(low)d to %(high)d, or leave it blank for "
                                    "no pace.", low=low, high=high))

    def pace(self):
        """The pace typed, in days, or None for no pace."""
        return int(self.pace_days.data) if self.pace_days.data else None


class RequirementForm(AppForm, PaceField):
    key = HiddenField()
    count = IntegerField(_l("How many"), validators=[
        InputRequired(message=_l("Please give a number from 1 to 99.")),
        NumberRange(min=1, max=99, message=_l("Please give a number from 1 to 99.")),
    ])
    period = SelectField(_l("Period"), choices=choices({k: v for k, v in PERIOD_LABELS.items() if k}),
                         validators=[Optional()])
    active = BooleanField(_l("In use"), default=True)


class NewRequirementForm(AppForm, PaceField):
    kind = SelectField(_l("Activity"), choices=choices(ACTIVITY_KIND_LABELS),
                       validators=[DataRequired()])
    per = SelectField(_l("For"), choices=choices(PER_LABELS), validators=[DataRequired()])
    period = SelectField(_l("Period"), choices=choices({k: v for k, v in PERIOD_LABELS.items() if k}),
                         validators=[DataRequired()])
    count = IntegerField(_l("How many"), default=1, validators=[
        InputRequired(message=_l("Please give a number from 1 to 99.")),
        NumberRange(min=1, max=99, message=_l("Please give a number from 1 to 99.")),
    ])
    section = StringField(_l("Plan section"), validators=[DataRequired(), Length(max=12)])

    def validate_per(self, field):
        if field.data == "class" and self.kind.data not in CLASS_KINDS:
            raise ValidationError(_("Only lessons are counted per class."))
