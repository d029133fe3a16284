"""Forms of the screening: opening a round, the county's numbers, an import, the follow-up."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import AppForm, CheckboxesField, RadioChoices, in_date_window
from . import OUTCOME_LABELS, instruments


class RoundForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Please give the name.")), Length(max=60)])
    opens_on = DateField(_l("From"), validators=[InputRequired(message=_l("Please give a valid date.")),
                                                 in_date_window])
    closes_on = DateField(_l("To"), validators=[InputRequired(message=_l("Please give a valid date."))])
    grades = CheckboxesField(_l("Grades"), coerce=int, choices=[SelectChoice(g, str(g)) for g in range(1, 13)],
                             validators=[DataRequired(message=_l("Please choose at least one."))])
    instruments = CheckboxesField(_l("Instruments"), choices=[],  # in the reader's language: RoundForm.build
                                  validators=[DataRequired(message=_l("Please choose at least one."))])

    @classmethod
    def build(cls):
        form = cls()
        form.instruments.choices = [SelectChoice(i.code, i.name) for i in instruments.all_instruments()]
        return form

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The end cannot be before the start."))


class ImportForm(AppForm):
    file = FileField(_l("File (.xlsx or .csv)"), validators=[
        FileRequired(message=_l("Please choose a file.")),
        FileAllowed(["xlsx", "csv"], message=_l("Please upload an .xlsx or .csv file.")),
    ])


class InterviewForm(AppForm):
    interviewed_on = DateField(_l("Interview date"), validators=[
        InputRequired(message=_l("Please give a valid date.")), in_date_window])
    note = TextAreaField(_l("What was found"), validators=[Length(max=2000)])


class CloseForm(AppForm):
    outcome = RadioChoices(_l("Outcome"), choices=[SelectChoice(code, label) for code, label in OUTCOME_LABELS.items()],
                           validators=[InputRequired(message=_l("Please choose the outcome."))])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=1000)])
    rescreen_weeks = IntegerField(_l("Screen again after (weeks)"), validators=[Optional(), NumberRange(1, 52)])

    def validate_reason(self, field):
        if self.outcome.data == "excluded" and not (field.data or "").strip():
            raise ValidationError(_l("Please say why it was a false alarm."))
