"""Form pieces shared by every create form: the client_uuid and the time made on the device."""
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from babel import support
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, RadioField, SelectMultipleField
from wtforms import widgets as wtforms_widgets
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, RadioInput
from wtforms.widgets import core as widgets_core
from wtforms.widgets.core import clean_key

from .bounds import EARLIEST_DAY, latest_day
from .clock import today, utcnow

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# A device clock may run a little fast; more than this and we trust the server's time instead.
DEVICE_CLOCK_SLACK = timedelta(minutes=10)


QUOTE, QUOTE_ENTITY = Markup('"'), Markup("&quot;")  # a Markup value keeps its quotes; html_params escapes them


def attributes(**kwargs):
    """wtforms.widgets.html_params, the same output, written with plain string formatting
    instead of a Markup.format per attribute."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(key)
        elif value is not False:
            params.append(f'{escape(key)}="{escape(value).replace(QUOTE, QUOTE_ENTITY)}"')
    return " ".join(params)


WTFORMS_HTML_PARAMS = widgets_core.html_params  # WTForms' own, kept for tests/test_form_attributes.py


def write_attributes_plainly():
    """Every WTForms widget writes its attributes with `attributes` instead of html_params: the
    same text, without a Markup.format per attribute. A school's programme register has about
    ninety labels, controls and options; html_params was a fifth of its template's time. (Input
    and Button keep html_params as a class attribute; Label reads it from wtforms.widgets.)"""
    widgets_core.html_params = wtforms_widgets.html_params = attributes
    widgets_core.Input.html_params = widgets_core.Button.html_params = staticmethod(attributes)


write_attributes_plainly()


class ChoiceList:
    """The list of radio buttons or checkboxes WTForms' ListWidget writes, written straight from
    the choices: the same HTML, without a field object and two attribute renderings per option
    (a visit form has two dozen options; they cost more than the rest of the page)."""

    def __init__(self, option_widget):
        # The option widget WTForms would use: its input type and validation attributes.
        self.input_type, self.validation_attrs = option_widget.input_type, option_widget.validation_attrs

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        # Each option's input gets what WTForms' option field would give it: the field's
        # render_kw first, then id, type and value, then its validation flags (required…).
        base = {clean_key(k): v for k, v in (field.render_kw or {}).items()}
        flags = {name: getattr(field.flags, name) for name in dir(field.flags) if name in self.validation_attrs}
        html = [f"<ul {attributes(**kwargs)}>"]
        for index, (value, label, selected, _render_kw) in enumerate(field.iter_choices()):
            params = dict(base)
            if selected:
                params.setdefault("checked", True)
            params.setdefault("id", f"{field.id}-{index}")
            params.setdefault("type", self.input_type)
            params.setdefault("value", str(value))
            for name, flag in flags.items():
                params.setdefault(name, flag() if callable(flag) else flag)
            html.append(f"<li><input {attributes(name=field.name, **params)}> "
                        f"<label for=\"{escape(params['id'])}\">{escape(label or value)}</label></li>")
        html.append("</ul>")
        return Markup("".join(html))


class RadioChoices(RadioField):
    widget = ChoiceList(RadioInput())


class CheckboxesField(SelectMultipleField):
    widget = ChoiceList(CheckboxInput())


class AppForm(FlaskForm):
    """Every form of the app: Flask-WTF's, with WTForms' own messages ("Not a valid date value")
    read once per language; Flask-WTF reads that catalog from disk again for each request."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_catalog(str(get_locale()))

    def hidden_tag(self, *fields):
        """Flask-WTF's hidden fields, without ids: nothing labels or looks them up by id (the
        outbox finds them by name), and a page with two forms would repeat csrf_token's."""
        hidden = (getattr(self, f, None) if isinstance(f, str) else f for f in fields or self)
        return Markup("\n".join(str(f(id=False)) for f in hidden
                                 if f is not None and isinstance(f.widget, HiddenInput)))

    def prefix_ids(self, prefix):
        """Give every field the id `prefix-name` (its name, posted and read by the outbox, stays):
        a page with several forms then has no two controls with one id, and each label's `for`
        names its own control. Returns the form, for use in a view or a template loop."""
        for f in self:
            f.id = f"{prefix}-{f.name}"
            if f.label.field_id:  # a list of radio buttons has a label for none of them
                f.label.field_id = f.id
        return self


@lru_cache(maxsize=16)
def _wtforms_catalog(locale):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class CreateForm(AppForm):
    """Base of every form that creates a record, online or replayed from the offline outbox.

    The browser sets client_uuid (crypto.randomUUID) and made_at at submit time; the values
    rendered by the server are the no-JavaScript fallback.
    """

    client_uuid = HiddenField(validators=[
        DataRequired(message=_l("This form is missing its entry id. Please reload the page.")),
        Regexp(UUID_PATTERN, message=_l("This form is missing its entry id. Please reload the page.")),
    ], default=lambda: str(uuid.uuid4()))
    made_at = HiddenField()

    def device_time(self):
        """When the entry was made on the device (naive UTC); the server's time if unknown."""
        now = utcnow()
        try:
            made = datetime.fromisoformat((self.made_at.data or "").replace("Z", "+00:00"))
        except ValueError:
            return now
        if made.tzinfo is not None:
            made = made.astimezone(UTC).replace(tzinfo=None)
        if made > now + DEVICE_CLOCK_SLACK or made < now - timedelta(days=60):
            return now
        return made


def _not_before_earliest(day):
    if day < EARLIEST_DAY:
        raise ValidationError(_("The date cannot be before %(day)s.", day=format_date(EARLIEST_DAY, "long")))


def happened(form, field):
    """The validator of every date on which something was done (a visit, a check-in, a note, a
    referral): not before EARLIEST_DAY and not after today in the county. An entry made offline
    days ago and sent now is in the past, so it passes; year 1 or 9999 is a typing slip."""
    if field.data is None:
        return
    _not_before_earliest(field.data)
    if field.data > today():
        raise ValidationError(_("The date cannot be in the future."))


def in_date_window(form, field):
    """The validator of a date that names a span to look at or to plan (a search filter, a key
    period): EARLIEST_DAY to a year ahead, the days the app's records and plans can hold."""
    if field.data is None:
        return
    _not_before_earliest(field.data)
    if field.data > latest_day():
        raise ValidationError(_("The date cannot be after %(day)s.", day=format_date(latest_day(), "long")))
