"""Forms for raising and triaging a concern."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import AppForm, CreateForm, RadioChoices
from ..labels import RISK_LEVEL_LABELS, URGENCY_LABELS

TEXT_LIMIT = 2000


def choices(labels):
    return [SelectChoice(code, label) for code, label in labels.items()]


class ConcernForm(CreateForm):
    urgency = RadioChoices(
        _l("How urgent is it?"), choices=choices(URGENCY_LABELS), default="normal",
        validators=[DataRequired(message=_l("Please choose how urgent it is."))],
    )
    description = TextAreaField(
        _l("What did you see or hear?"),
        validators=[
            DataRequired(message=_l("Please describe what you saw or heard.")),
            Length(max=TEXT_LIMIT, message=_l("Please keep it under %(max)d characters.")),
        ],
    )


class TriageForm(AppForm):
    risk_level = SelectField(_l("Risk level"), choices=choices(RISK_LEVEL_LABELS),
                             validators=[DataRequired()])
    decision = RadioChoices(
        _l("Decision"),
        choices=[
            SelectChoice("monitor", _l("Keep monitoring")),
            SelectChoice("case", _l("Open a case (一生一策)")),
            SelectChoice("close", _l("Close with a note")),
        ],
        validators=[DataRequired(message=_l("Please choose what happens next."))],
    )
    note = TextAreaField(_l("Note"), validators=[
        Optional(), Length(max=TEXT_LIMIT, message=_l("Please keep it under %(max)d characters.")),
    ])

    def offer_joining(self):
        """The child has an open case: "case" means joining it, not opening another."""
        self.decision.choices = [
            SelectChoice("case", _l("Join her open case (一生一策)")) if choice.value == "case" else choice
            for choice in self.decision.choices
        ]

    def validate(self, extra_validators=None):
        # A form-level check: the field's Optional() would stop a field validator on empty input.
        valid = super().validate(extra_validators)
        if self.decision.data == "close" and not (self.note.data or "").strip():
            self.note.errors.append(_l("Please say why the concern can be closed."))
            return False
        return valid


class OptionalConcern:
    """An optional concern sent with another entry (a home visit, a check-in): how urgent, and
    what worries the writer. Mixed into a AppForm ahead of it."""

    concern_urgency = RadioChoices(
        _l("How urgent is it?"), choices=choices(URGENCY_LABELS), default="normal",
        validators=[DataRequired(message=_l("Please choose how urgent it is."))],
    )
    concern = TextAreaField(_l("Anything that worries you about the child (optional)"), validators=[
        Optional(), Length(max=TEXT_LIMIT, message=_l("Please keep it under %(max)d characters.")),
    ])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # A raised urgency with no words is a slip of the finger; never send an empty concern.
        if self.concern_urgency.data in ("soon", "urgent") and not (self.concern.data or "").strip():
            self.concern.errors.append(_l("Please describe what worries you, or set the urgency back."))
            return False
        return valid

    def concern_data(self):
        """(urgency, words) when there is a concern to raise, else None."""
        words = (self.concern.data or "").strip()
        return (self.concern_urgency.data, words) if words else None
