"""Forms for accounts: staff users (county), head teachers and committee members (principal),
and the new password or PIN. Choices are filled in by the views."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp

from ..auth.passwords import MIN_STAFF_PASSWORD, password_problem, pin_problem
from ..forms import AppForm
from ..labels import ROLE_LABELS
from ..models import STAFF_ROLES
from .fields import CheckboxListField, optional_int, options, strip
from .forms_org import PHONE, REQUIRED

MIN_PASSWORD = MIN_STAFF_PASSWORD
USERNAME = Regexp(
    r"^[A-Za-z0-9_.\-]{2,40}$",
    message=_l("2 to 40 letters, digits, dots, dashes or underscores, e.g. wang.li"),
)
# Which scope field each role needs (policy §1: scope comes from the role and its links).
NEEDS_ZONE = {"zone"}
NEEDS_SCHOOL = {"counselor", "principal", "head_teacher"}


def password_error(secret):
    problem = password_problem(secret)
    if problem == "too_short":
        return _l("A password needs at least %(count)s characters.", count=MIN_PASSWORD)
    if problem == "common":
        return _l("This password is too easy to guess. Please choose another.")
    return None


def pin_error(pin):
    problem = pin_problem(pin)
    if problem == "not_six_digits":
        return _l("A PIN is exactly 6 digits.")
    if problem == "trivial":
        return _l("This PIN is too easy to guess (like 123456 or 111111). Please choose another.")
    return None


def username_field():
    return StringField(
        _l("Username"), filters=[strip],
        validators=[DataRequired(message=REQUIRED), Length(max=40), USERNAME],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )


def password_field():
    return PasswordField(
        _l("Initial password"), validators=[Length(max=128)], render_kw={"autocomplete": "new-password"},
        description=_l("At least 10 characters. Tell it to the user in person."),
    )


def active_field():
    return BooleanField(_l("Account active (may sign in)"), default=True)


class AccountForm(AppForm):
    """What every account has; subclasses add scope fields, then the password and active flag
    (declared last so they come last on the page)."""

    username = username_field()
    display_name = StringField(
        _l("Name shown in the app"), filters=[strip],
        validators=[DataRequired(message=REQUIRED), Length(max=40)],
    )
    phone = StringField(
        _l("Mobile phone"), filters=[strip], validators=[Length(max=20), PHONE],
        render_kw={"inputmode": "tel"},
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if "password" in self:
            error = password_error(self.password.data)
            if error:
                self.password.errors.append(error)
                valid = False
        return valid


class UserForm(AccountForm):
    """The county's form for any staff account; scope fields depend on the role."""

    role = SelectField(_l("Role"), choices=options((role, ROLE_LABELS[role]) for role in STAFF_ROLES))
    zone = SelectField(
        _l("Zone"), coerce=optional_int, validators=[Optional()],
        description=_l("For zone psychology teachers."),
    )
    school = SelectField(
        _l("School"), coerce=optional_int, validators=[Optional()],
        description=_l("For school psychology teachers, principals and head teachers."),
    )
    classes = CheckboxListField(
        _l("Classes this school year"), coerce=int, render_kw={"class": "choices"},
        description=_l("For head teachers."),
    )
    villages = SelectMultipleField(
        _l("Villages"), coerce=int, render_kw={"size": 6},
        description=_l("For child workers. Hold Ctrl (or tap) to choose several."),
    )
    password = password_field()
    active = active_field()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        role = self.role.data
        if role in NEEDS_ZONE and not self.zone.data:
            self.zone.errors.append(_l("A zone psychology teacher needs a zone."))
            valid = False
        if role in NEEDS_SCHOOL and not self.school.data:
            self.school.errors.append(_l("This role needs a school."))
            valid = False
        if role == "child_worker" and not self.villages.data:
            self.villages.errors.append(_l("A child worker needs at least one village."))
            valid = False
        return valid


class HeadTeacherForm(AccountForm):
    """A principal's form for a head teacher of her school."""

    classes = CheckboxListField(_l("Classes this school year"), coerce=int, render_kw={"class": "choices"})
    password = password_field()
    active = active_field()


class CommitteeForm(AppForm):
    """A pupil joins her class's psychology committee: an account with a 6-digit PIN."""

    child = SelectField(_l("Pupil"), coerce=int, validators=[InputRequired(message=REQUIRED)])
    username = username_field()
    display_name = StringField(
        _l("Name shown in the app"), filters=[strip], validators=[Length(max=40)],
        description=_l("Leave empty to use the pupil's name."),
    )
    pin = StringField(
        _l("PIN (6 digits)"), filters=[strip], validators=[DataRequired(message=REQUIRED)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6},
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.pin.data and pin_error(self.pin.data):
            self.pin.errors.append(pin_error(self.pin.data))
            valid = False
        return valid


class CommitteeEditForm(AppForm):
    username = username_field()
    display_name = AccountForm.display_name
    active = active_field()


class SecretForm(AppForm):
    """A new password (staff) or PIN (pupils), typed twice."""

    secret = PasswordField(
        _l("New password"), validators=[DataRequired(message=REQUIRED), Length(max=128)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The same again"),
        validators=[EqualTo("secret", message=_l("The two entries differ."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, pupil=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        if pupil:
            self.secret.label.text = _l("New PIN (6 digits)")
            self.secret.render_kw = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 6}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.secret.data:
            error = pin_error(self.secret.data) if self.pupil else password_error(self.secret.data)
            if error:
                self.secret.errors.append(error)
                valid = False
        return valid
