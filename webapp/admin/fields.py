"""Small form helpers shared by the admin forms: trimming, optional ids, checkbox lists."""
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice


def options(pairs):
    """(value, label) pairs as the choices WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


NOTHING = SelectChoice("", "—")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """Select values: "" (nothing chosen) becomes None, anything else an int."""
    if value in ("", None, "None"):
        return None
    return int(value)


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as checkboxes: easier than <select multiple> on a phone."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
