"""WTForms' widgets write their attributes with webapp.forms.attributes (write_attributes_plainly):
the same HTML as WTForms' own html_params, for every kind of field the app's forms use."""
import pytest
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms import widgets as wtforms_widgets
from wtforms.validators import DataRequired, Length
from wtforms.widgets import core as widgets_core

from webapp.forms import WTFORMS_HTML_PARAMS, attributes, write_attributes_plainly

VALUES = [
    {"id": "staff-3-name", "name": "staff-3-name", "type": "text", "value": "张老师", "required": True,
     "maxlength": 40},
    {"value": 'a "quoted" <b> & \'s', "class_": "x", "for_": "y", "data_role": "z", "aria_describedby": "h"},
    {"checked": False, "disabled": True, "value": Markup('<i>"safe"</i>'), "n": 0, "none": None},
    {},
]


@pytest.mark.parametrize("kwargs", VALUES)
def test_attributes_write_what_html_params_writes(kwargs):
    assert attributes(**kwargs) == str(WTFORMS_HTML_PARAMS(**kwargs))


class Sample(Form):
    name = StringField("姓名 <b>", validators=[DataRequired(), Length(max=40)])
    post = SelectField("岗位", choices=[("full_time", "专职"), ("part_time", 'a "兼职" <x>')], default="part_time")
    user = SelectField("账号", coerce=int, choices=[(0, "—"), (7, "周老师")])
    active = BooleanField("在岗", default=True)
    day = DateField("日期")
    hours = DecimalField("课时", places=1)
    year = IntegerField("年份")
    steps = TextAreaField("步骤", default='报告校长\n"心理老师" & <家长>')
    save = SubmitField("保存")


def _rendered():
    form = Sample()
    return [str(f.label()) + str(f(class_="c", maxlength=9) if f.type != "SubmitField" else f()) for f in form]


def test_fields_and_labels_render_as_wtforms_renders_them():
    ours = _rendered()
    try:
        widgets_core.html_params = wtforms_widgets.html_params = WTFORMS_HTML_PARAMS
        widgets_core.Input.html_params = widgets_core.Button.html_params = staticmethod(WTFORMS_HTML_PARAMS)
        theirs = _rendered()
    finally:
        write_attributes_plainly()
    assert ours == theirs
    assert widgets_core.Input.html_params is attributes
