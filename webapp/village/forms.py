"""The child worker's forms: registering a left-behind child, the guardian's confirmation."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..clock import today
from ..concerns.forms import choices
from ..forms import AppForm, CheckboxesField, CreateForm, RadioChoices, happened
from ..labels import (
    CONSENT_HOW_LABELS,
    HEALTH_STATE_LABELS,
    HOME_FREQUENCY_LABELS,
    HOUSEHOLD_LABELS,
    INCOME_LABELS,
    LEFT_BEHIND_TYPE_LABELS,
    SEX_LABELS,
)
from . import idcard, rules

PHONE = Regexp(r"^[0-9+\- ]{5,20}$", message=_l("Please give a phone number in digits."))
BLANK = [SelectChoice("", "—")]


def short(label, max_length, required=None, validators=()):
    first = DataRequired(message=required) if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length), *validators])


def phone(label):
    return StringField(label, validators=[Optional(), PHONE])


class ConfirmationFields:
    """The guardian's confirmation of the registration: who, relation, when and how."""

    confirmed_by = short(_l("Confirmed by (name)"), 40)
    confirmed_relation = short(_l("Relation to the child"), 20)
    confirmed_on = DateField(_l("Date of confirmation"), validators=[Optional(), happened])
    # Checked below: an empty choice is allowed at registration.
    confirmed_how = RadioChoices(_l("How"), choices=choices(CONSENT_HOW_LABELS), validate_choice=False)

    def _how(self):
        return self.confirmed_how.data if self.confirmed_how.data in CONSENT_HOW_LABELS else None

    def confirmation_given(self):
        return bool((self.confirmed_by.data or "").strip() and self.confirmed_on.data and self._how())

    def check_confirmation(self, required):
        """All four or none (at registration); all four when confirming later."""
        parts = ((self.confirmed_by.data or "").strip(), self.confirmed_on.data, self._how())
        if (required or any(parts)) and not all(parts):
            self.confirmed_by.errors.append(
                _("Please give who confirmed, the date and how, or leave the confirmation empty for now.")
                if not required else _("Please give who confirmed, the date and how.")
            )
            return False
        return True

    def confirmation(self):
        if not self.confirmation_given():
            return {}
        return {
            "confirmed_by": self.confirmed_by.data.strip(),
            "confirmed_relation": (self.confirmed_relation.data or "").strip(),
            "confirmed_on": self.confirmed_on.data,
            "confirmed_how": self.confirmed_how.data,
        }


class RegisterForm(CreateForm, ConfirmationFields):
    """The national left-behind-children survey, in the order the worker asks it at the door."""

    village = SelectField(_l("Village"), coerce=int, validate_choice=False,
                          validators=[InputRequired(message=_l("Please choose the village."))])
    name = short(_l("Child's name"), 40, required=_l("Please give the child's name."))
    sex = RadioChoices(_l("Sex"), choices=choices(SEX_LABELS),
                     validators=[DataRequired(message=_l("Please choose boy or girl."))])
    birth_date = DateField(_l("Birth date"), validators=[InputRequired(message=_l("Please give a valid date."))])
    ethnicity = short(_l("Ethnicity"), 20)
    id_card = short(_l("ID card number (optional)"), 20)
    school_text = short(_l("School (if known)"), 80)
    class_text = short(_l("Class"), 20)
    health = RadioChoices(_l("Health"), choices=choices(HEALTH_STATE_LABELS), default="healthy",
                        validators=[DataRequired()])
    address = short(_l("Address"), 120)
    boarding = BooleanField(_l("Boards at school"))
    family_situation = CheckboxesField(_l("Family situation"), choices=choices(HOUSEHOLD_LABELS),
                                       validators=[Optional()])
    father_work_place = short(_l("Father works in (province, city)"), 60)
    father_home = SelectField(_l("Father comes home"), choices=BLANK + choices(HOME_FREQUENCY_LABELS),
                              validators=[Optional()])
    mother_work_place = short(_l("Mother works in (province, city)"), 60)
    mother_home = SelectField(_l("Mother comes home"), choices=BLANK + choices(HOME_FREQUENCY_LABELS),
                              validators=[Optional()])
    income = SelectField(_l("Main family income"), choices=BLANK + choices(INCOME_LABELS), validators=[Optional()])
    guardian_name = short(_l("Entrusted guardian"), 40, required=_l("Please give who looks after the child."))
    guardian_relation = short(_l("Relation to the child"), 20, required=_l("Please give the relation."))
    guardian_age = IntegerField(_l("Guardian's age"), validators=[
        Optional(), NumberRange(min=0, max=110, message=_l("Please give the age in years.")),
    ])
    guardian_phone = phone(_l("Guardian's phone"))
    guardian_able = BooleanField(_l("The guardian is able to care for the child"), default=True)
    left_behind_type = RadioChoices(_l("Left behind because"), choices=choices(LEFT_BEHIND_TYPE_LABELS),
                                  validators=[DataRequired(message=_l("Please choose why the child is left behind."))])
    contact_name = short(_l("Village contact person"), 40)
    contact_phone = phone(_l("Contact's phone"))

    def set_villages(self, villages):
        self.village.choices = [SelectChoice(v.id, v.name) for v in villages]
        if len(villages) == 1 and self.village.data is None:
            self.village.data = villages[0].id

    def validate_village(self, field):
        if field.data not in {choice.value for choice in self.village.choices}:
            raise ValidationError(_("You can only register children of your own villages."))

    def validate_birth_date(self, field):
        problem = rules.birth_date_problem(field.data, today()) if field.data else None
        if problem == "future":
            raise ValidationError(_("The birth date cannot be in the future."))
        if problem == "adult":
            raise ValidationError(_("This child is 18 or older; the register holds children under 18."))

    def validate_guardian_age(self, field):
        if rules.guardian_too_young(field.data):
            raise ValidationError(_("An entrusted guardian must be at least 16 years old."))

    def validate_id_card(self, field):
        if not (field.data or "").strip():
            return
        problem = idcard.problem(field.data, self.birth_date.data)
        if problem == "length":
            raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."))
        if problem == "check_digit":
            raise ValidationError(_("This ID number's last character does not fit; please check the number."))
        if problem == "birth_date":
            raise ValidationError(_("The birth date in this ID number is not the child's birth date."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return self.check_confirmation(required=False) and valid

    def file_data(self):
        """The survey answers as plain values for the service."""
        text = {name: (getattr(self, name).data or "").strip() for name in (
            "ethnicity", "school_text", "class_text", "address", "father_work_place", "father_home",
            "mother_work_place", "mother_home", "income", "guardian_name", "guardian_relation",
            "guardian_phone", "contact_name", "contact_phone",
        )}
        return {
            **text,
            "ethnicity": text["ethnicity"] or "汉族",
            "id_card": idcard.normalise(self.id_card.data),
            "health": self.health.data,
            "boarding": bool(self.boarding.data),
            "family_situation": ",".join(c for c in HOUSEHOLD_LABELS if c in (self.family_situation.data or [])),
            "guardian_age": self.guardian_age.data,
            "guardian_able": bool(self.guardian_able.data),
            "left_behind_type": self.left_behind_type.data,
            **self.confirmation(),
        }


class ConfirmForm(AppForm, ConfirmationFields):
    """The guardian's confirmation, given after the registration."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return self.check_confirmation(required=True) and valid
