"""The committee member's forms: weekly class report with named classmates, peer support, a
concern about a classmate; and the head teacher's confirmation. Classmate choices are set by
the views (own class only)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..admin.fields import optional_int
from ..bounds import in_window
from ..clock import today
from ..forms import AppForm, CheckboxesField, CreateForm, RadioChoices
from ..labels import MENTION_DAYS_LABELS, MOOD_LABELS, PEER_URGENCY_LABELS, SUPPORT_TOPIC_LABELS
from . import rules

SHORT_LIMIT = 500  # what was noticed about one classmate
TEXT_LIMIT = 1000
MAX_MENTIONS = 10
TOO_LONG = _l("That is too long: please keep it under %(max)d characters.")
NOT_A_CLASSMATE = _l("Please choose a classmate from your own class.")
NO_MOOD = _l("Please tap a face for your class's mood, or press “Nothing special this week”.")


def choices(labels):
    return [SelectChoice(code, label) for code, label in labels.items()]


def classmate_field(label):
    return SelectField(label, coerce=optional_int, validate_choice=False,
                       invalid_value_message=NOT_A_CLASSMATE, default=None)


def check_classmate(field, allowed_ids, required_message=None):
    """Own class only: anything else (another class, a made-up id) gets one clear message."""
    if field.data is None:
        if required_message:
            field.errors.append(required_message)
            return False
        return True
    if field.data not in allowed_ids:
        field.errors.append(NOT_A_CLASSMATE)
        return False
    return True


def text_of(field):
    return (field.data or "").strip()


def parse_week(value):
    """The Monday of the week a form names, or None when the value is not a date or not one in
    bounds.in_window (year 1 or 9999 would overflow the week arithmetic)."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return rules.week_start(day) if in_window(day) else None


class MentionForm(Form):
    """One named classmate in the weekly report (a repeating group; empty rows are ignored)."""

    child = classmate_field(_l("Which classmate?"))
    noticed = TextAreaField(_l("What did you notice?"), validators=[
        Optional(), Length(max=SHORT_LIMIT, message=TOO_LONG)])
    days = SelectField(_l("For how many days?"), choices=choices(MENTION_DAYS_LABELS), coerce=int, default=1)
    talked = BooleanField(_l("I have already talked with them"))
    urgency = RadioChoices(_l("How urgent is it?"), choices=choices(PEER_URGENCY_LABELS), default="normal")

    def is_empty(self):
        return self.child.data is None and not text_of(self.noticed)


class WeeklyForm(CreateForm):
    week = HiddenField()
    mood = RadioChoices(_l("How was your class this week?"), choices=choices(MOOD_LABELS), coerce=optional_int,
                      validate_choice=False)
    events = TextAreaField(_l("Did anything happen in the class this week?"), validators=[
        Optional(), Length(max=TEXT_LIMIT, message=TOO_LONG)])
    mentions = FieldList(FormField(MentionForm), min_entries=1, max_entries=MAX_MENTIONS)

    def __init__(self, *args, classmate_ids=(), supplement=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.classmate_ids = set(classmate_ids)
        self.supplement = supplement

    def monday(self):
        return parse_week(self.week.data)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        valid = self._week_is_valid() and valid
        valid = self._mentions_are_valid() and valid
        if self.mood.data is not None and self.mood.data not in MOOD_LABELS:
            self.mood.errors.append(_l("Please tap one of the faces."))
            valid = False
        named = any(not row.form.is_empty() for row in self.mentions)
        if not self.supplement and self.mood.data is None:
            self.mood.errors.append(NO_MOOD)
            valid = False
        elif self.supplement and not text_of(self.events) and not named:
            self.form_errors.append(_l("Please write what you want to add, or name a classmate."))
            valid = False
        return valid

    def _week_is_valid(self):
        monday = self.monday()
        problem = "bad" if monday is None else rules.week_problem(monday, today())
        messages = {
            "bad": _l("This form is missing its week. Please reload the page."),
            "future": _l("That week has not started yet. You can only report on this week or last week."),
            "too_old": _l("That week is too long ago. You can only report on this week or last week."),
        }
        if problem:
            self.form_errors.append(messages[problem])
            return False
        return True

    def _mentions_are_valid(self):
        valid, seen = True, set()
        for row in self.mentions:
            mention = row.form
            if mention.is_empty():
                continue
            valid = check_classmate(mention.child, self.classmate_ids, _l("Please choose which classmate.")) and valid
            if mention.child.data in seen:
                mention.child.errors.append(_l("You named this classmate twice. Please put it all in one place."))
                valid = False
            seen.add(mention.child.data)
            if not text_of(mention.noticed):
                mention.noticed.errors.append(_l("Please write what you noticed."))
                valid = False
        return valid

    def named(self):
        """The filled-in rows as plain values (child ids, not yet children)."""
        return [
            {"child": row.form.child.data, "noticed": text_of(row.form.noticed), "days": row.form.days.data,
             "talked": bool(row.form.talked.data), "urgency": row.form.urgency.data}
            for row in self.mentions if not row.form.is_empty()
        ]


class NilForm(CreateForm):
    """本周无特殊情况: one tap."""

    week = HiddenField()


class SupportForm(CreateForm):
    child = classmate_field(_l("Who did you help? (you may leave this empty)"))
    topics = CheckboxesField(_l("What was it about?"), choices=choices(SUPPORT_TOPIC_LABELS),
                             validators=[Optional()])
    about = TextAreaField(_l("Tell a little more (if you like)"), validators=[
        Optional(), Length(max=TEXT_LIMIT, message=TOO_LONG)])
    done = TextAreaField(_l("What did you do?"), validators=[
        DataRequired(message=_l("Please write what you did to help.")), Length(max=TEXT_LIMIT, message=TOO_LONG)])
    tell_teacher = BooleanField(_l("A teacher should know about this"))

    def __init__(self, *args, classmate_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.classmate_ids = set(classmate_ids)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        valid = check_classmate(self.child, self.classmate_ids) and valid
        if not self.topics.data and not text_of(self.about):
            self.topics.errors.append(_l("Please tick what it was about, or write a few words."))
            valid = False
        return valid


class PeerConcernForm(CreateForm):
    child = classmate_field(_l("Which classmate are you worried about?"))
    description = TextAreaField(_l("What happened?"), validators=[
        DataRequired(message=_l("Please tell what happened.")), Length(max=TEXT_LIMIT, message=TOO_LONG)])
    urgency = RadioChoices(_l("How urgent is it?"), choices=choices(PEER_URGENCY_LABELS), default="normal",
                         validators=[DataRequired(message=_l("Please choose how urgent it is."))])
    # Set by the second step: the pupil has read "tell the nearest teacher now" and still sends.
    confirmed = HiddenField()

    def __init__(self, *args, classmate_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.classmate_ids = set(classmate_ids)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return check_classmate(self.child, self.classmate_ids, _l("Please choose which classmate.")) and valid


class ConfirmForm(AppForm):
    remark = TextAreaField(_l("Remark (optional)"), validators=[
        Optional(), Length(max=TEXT_LIMIT, message=TOO_LONG)])
