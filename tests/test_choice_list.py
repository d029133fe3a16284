"""Radio buttons and checkboxes are written by ChoiceList, exactly as WTForms would write them."""
import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget, RadioInput

from webapp.forms import CheckboxesField, RadioChoices


def _forms():
    """Every form class of the app (the app's modules are imported by the `app` fixture)."""
    found, todo = [], [Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("webapp."):
            found.append(cls)
    return found


def _choice_fields():
    """(form name, field name, unbound field) of every radio or checkbox list in the app."""
    fields = {}
    for form in _forms():
        for name in dir(form):
            unbound = getattr(form, name)
            if getattr(unbound, "field_class", None) in (RadioChoices, CheckboxesField):
                fields[(form.__name__, name)] = unbound
    return fields


def _as_wtforms_writes_it(field_class):
    """The same field with WTForms' own list and option widgets."""
    if issubclass(field_class, RadioField):
        return type("Reference", (field_class,), {"widget": ListWidget(prefix_label=False),
                                                    "option_widget": RadioInput()})
    return type("Reference", (field_class,), {"widget": ListWidget(prefix_label=False),
                                               "option_widget": CheckboxInput()})


def _render_both(unbound, formdata, **render_kw):
    kwargs = dict(unbound.kwargs)
    if not kwargs.get("choices"):
        kwargs["choices"] = [SelectChoice(1, "第一"), SelectChoice(2, "第二 <b>&</b>")]  # set by the view
    ours = type("Ours", (Form,), {"f": unbound.field_class(*unbound.args, **kwargs)})(formdata)
    theirs = type("Theirs", (Form,), {"f": _as_wtforms_writes_it(unbound.field_class)(*unbound.args, **kwargs)})(
        formdata)
    return str(ours.f(**render_kw)), str(theirs.f(**render_kw))


def test_every_choice_list_of_the_app_is_written_as_wtforms_writes_it(app):
    fields = _choice_fields()
    assert len(fields) >= 15  # the visit, concern, case, peer, village and admin forms
    with app.test_request_context():
        for (form, name), unbound in fields.items():
            choices = unbound.kwargs.get("choices") or [SelectChoice(1)]
            first = str(choices[0].value)
            for formdata in (None, MultiDict(), MultiDict([("f", first)]), MultiDict([("f", first), ("f", "2")])):
                ours, theirs = _render_both(unbound, formdata, class_="choices inline")
                assert ours == theirs, (form, name, formdata)


@pytest.mark.parametrize("field_class", [RadioChoices, CheckboxesField])
def test_flags_render_kw_and_odd_labels_are_kept(app, field_class):
    choices = [SelectChoice("a", "甲 <i>"), SelectChoice("b&c", ""), SelectChoice("d", "丁", {"data-y": "2"})]
    unbound = field_class("选择", choices=choices, validators=[DataRequired()],
                          render_kw={"data-x": "1", "title": Markup('say "hi" & <go>')})
    with app.test_request_context():
        for formdata in (None, MultiDict([("f", "b&c")])):
            ours, theirs = _render_both(unbound, formdata, id="custom")
            assert ours == theirs
            assert "required" in ours and 'data-x="1"' in ours and "&lt;i&gt;" in ours and "&quot;hi&quot;" in ours


def test_the_reference_is_wtforms_own_list():
    # A guard on the test itself: the reference must not be ChoiceList under another name.
    assert isinstance(_as_wtforms_writes_it(RadioChoices).widget, ListWidget)
    assert isinstance(_as_wtforms_writes_it(CheckboxesField).widget, ListWidget)
    assert issubclass(CheckboxesField, SelectMultipleField)
