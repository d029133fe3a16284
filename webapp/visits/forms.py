"""The home visit form (家访), short enough for a phone at the family's door, and its correction."""
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..cases.forms import TOO_LONG
from ..clock import today
from ..concerns.forms import TEXT_LIMIT, OptionalConcern, choices
from ..forms import AppForm, CheckboxesField, CreateForm, RadioChoices
from ..labels import FAMILY_SITUATION_LABELS, RECEIVER_LABELS, VISIT_MODE_LABELS
from ..schoolyear import school_year_of
from . import rules


def in_this_school_year(form, field):
    """Not in the future, and not before the school year began (an older visit belongs to
    last year's register, kept on paper)."""
    if field.data is None:
        return
    problem = rules.date_problem(field.data, today())
    if problem == "future":
        raise ValidationError(_("The date cannot be in the future."))
    if problem == "before_year":
        start = rules.year_bounds(school_year_of(today()))[0]
        raise ValidationError(_("This school year began on %(start)s; the date cannot be earlier.",
                                start=format_date(start, "long")))


def text(label, required=None):
    first = DataRequired(message=required) if required else Optional()
    return TextAreaField(label, validators=[first, Length(max=TEXT_LIMIT, message=TOO_LONG)])


class VisitFields:
    """What the head teacher records about the visit itself."""

    visited_on = DateField(_l("Date of the visit"), default=today, validators=[
        InputRequired(message=_l("Please give a valid date.")), in_this_school_year,
    ])
    mode = RadioChoices(_l("How"), choices=choices(VISIT_MODE_LABELS), default="on_site",
                      validators=[DataRequired(message=_l("Please choose how the visit took place."))])
    received_by = CheckboxesField(_l("Who received the visit"), choices=choices(RECEIVER_LABELS),
                                  validators=[DataRequired(message=_l("Please tick who received the visit."))])
    child_present = BooleanField(_l("The child was present"))
    family_situation = CheckboxesField(_l("Family situation"), choices=choices(FAMILY_SITUATION_LABELS),
                                       validators=[Optional()])
    findings = text(_l("What did you find?"), required=_l("Please write down what you found."))
    guidance = text(_l("Guidance given to the family"))
    follow_up = BooleanField(_l("Follow-up needed"))

    def visit_data(self):
        """The visit as plain values for the service."""
        return {
            "visited_on": self.visited_on.data,
            "mode": self.mode.data,
            "received_by": [code for code in RECEIVER_LABELS if code in self.received_by.data],
            "child_present": bool(self.child_present.data),
            "family_situation": [code for code in FAMILY_SITUATION_LABELS if code in self.family_situation.data],
            "findings": (self.findings.data or "").strip(),
            "guidance": (self.guidance.data or "").strip(),
            "follow_up": bool(self.follow_up.data),
        }


class VisitForm(OptionalConcern, CreateForm, VisitFields):
    """A new visit, with an optional concern for the safeguarding core."""

    # Set on the form's offline copy, which cannot tick the child's family situation from her
    # record: with nothing ticked, the server keeps what the record says.
    keep_situation = HiddenField()


class CorrectionForm(AppForm, VisitFields):
    """A same-day correction by the author. A concern is raised from the child's page instead."""
