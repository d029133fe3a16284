"""Sign-in and profile forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..forms import AppForm
from ..i18n import LANGUAGE_NAMES


class LoginForm(AppForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("Please enter your username.")), Length(max=40)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    secret = PasswordField(
        _l("Password or PIN"),
        validators=[DataRequired(message=_l("Please enter your password or PIN.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this phone (staff only)"))
    submit = SubmitField(_l("Sign in"))


class ProfileForm(AppForm):
    locale = SelectField(
        _l("Language"), choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
    )
    submit = SubmitField(_l("Save"))
