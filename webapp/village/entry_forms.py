"""The worker's everyday entries: a check-in on a child and a 童伴之家 activity."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..cases.forms import text
from ..clock import today
from ..concerns.forms import OptionalConcern, choices
from ..forms import CheckboxesField, CreateForm, RadioChoices, happened
from ..labels import CHECKIN_KIND_LABELS, WELLBEING_LABELS


def wellbeing(label):
    # A routine check-in is mostly "good": the default saves four taps, and one tap changes it.
    return RadioChoices(label, choices=choices(WELLBEING_LABELS), default="good",
                      validators=[DataRequired(message=_l("Please choose good, so-so or worrying."))])


def entry_day(label):
    return DateField(label, default=today, validators=[
        InputRequired(message=_l("Please give a valid date.")), happened,
    ])


class CheckInForm(OptionalConcern, CreateForm):
    day = entry_day(_l("Date"))
    kind = RadioChoices(_l("What kind of contact"), choices=choices(CHECKIN_KIND_LABELS), default="home_visit",
                      validators=[DataRequired(message=_l("Please choose the kind of contact."))])
    mood = wellbeing(_l("Mood"))
    health = wellbeing(_l("Health"))
    study = wellbeing(_l("Study"))
    safety = wellbeing(_l("Safety"))
    parents_contacted = BooleanField(_l("I spoke with the parents"))
    needs = text(_l("What does the child need? (optional)"))
    notes = text(_l("Notes (optional)"))
    def checkin_data(self):
        return {
            "day": self.day.data, "kind": self.kind.data, "mood": self.mood.data, "health": self.health.data,
            "study": self.study.data, "safety": self.safety.data,
            "parents_contacted": bool(self.parents_contacted.data),
            "needs": (self.needs.data or "").strip(), "notes": (self.notes.data or "").strip(),
        }


class ActivityForm(CreateForm):
    village = SelectField(_l("Village"), coerce=int, validate_choice=False,
                          validators=[InputRequired(message=_l("Please choose the village."))])
    title = StringField(_l("What did you do?"), validators=[
        DataRequired(message=_l("Please give the activity a title.")), Length(max=80),
    ])
    day = entry_day(_l("Date"))
    minutes = IntegerField(_l("How long (minutes)"), default=60, validators=[
        InputRequired(message=_l("Please give the duration in minutes.")),
        NumberRange(min=5, max=600, message=_l("Please give between 5 and 600 minutes.")),
    ])
    # Checked against the chosen village below, with a message the worker understands.
    children = CheckboxesField(_l("Children who came"), coerce=int, validate_choice=False)
    notes = text(_l("Notes (optional)"))

    def set_villages(self, villages, children):
        """Her villages, and the children of each (their ids are what may be ticked)."""
        self.village.choices = [SelectChoice(v.id, v.name) for v in villages]
        if len(villages) == 1 and self.village.data is None:
            self.village.data = villages[0].id
        self.children.choices = [SelectChoice(c.id, c.name) for c in children]
        self._village_of = {c.id: c.village_id for c in children}

    def validate_village(self, field):
        if field.data not in {choice.value for choice in self.village.choices}:
            raise ValidationError(_("You can only record activities of your own villages."))

    def validate_children(self, field):
        if any(self._village_of.get(child_id) != self.village.data for child_id in field.data or []):
            raise ValidationError(_("Some of the ticked children are not of this village. Please untick them."))

    def activity_data(self):
        return {"title": self.title.data.strip(), "day": self.day.data, "minutes": self.minutes.data,
                "notes": (self.notes.data or "").strip()}
