"""Forms for the county's organisation and a school's roster: zones, villages, schools,
classes, children and roster imports. Choices are filled in by the views."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..forms import UUID_PATTERN, AppForm, RadioChoices
from ..labels import SEX_LABELS, STAGE_LABELS
from .fields import CheckboxListField, optional_int, options, strip

REQUIRED = _l("Please fill this in.")
PHONE = Regexp(r"^[0-9+\- ]*$", message=_l("Use digits only, e.g. 13800000000."))


def _name(label, max_length):
    return StringField(
        label, filters=[strip], validators=[DataRequired(message=REQUIRED), Length(max=max_length)]
    )


class ZoneForm(AppForm):
    name = _name(_l("Name of the zone"), 50)


class TownshipForm(AppForm):
    name = _name(_l("Name of the township or street"), 50)


class VillageForm(AppForm):
    township = SelectField(_l("Township"), coerce=int, validators=[InputRequired(message=REQUIRED)])
    name = _name(_l("Name of the village or community"), 50)
    home_name = StringField(
        _l("Children's home"), filters=[strip], validators=[Length(max=80)]
    )


class SchoolForm(AppForm):
    name = _name(_l("Name of the school"), 80)
    stage = SelectField(_l("Stage"), choices=options(STAGE_LABELS.items()))
    zone = SelectField(_l("Zone"), coerce=int, validators=[InputRequired(message=REQUIRED)])
    township = SelectField(_l("Township"), coerce=optional_int, validators=[Optional()])
    mailbox = StringField(
        _l("Counselling mailbox"), filters=[strip], validators=[Length(max=120)],
        description=_l("The counselling e-mail address, or where pupils find the paper mailbox, "
                       "e.g. beside the library door."),
    )
    counselling_hours = StringField(
        _l("Counselling room hours"), filters=[strip], validators=[Length(max=120)],
        description=_l("e.g. Mon–Fri 12:30–13:30"),
    )



class HelpInfoForm(AppForm):
    """What the help page tells the school's pupils; the principal keeps it up to date."""

    mailbox = SchoolForm.mailbox
    counselling_hours = SchoolForm.counselling_hours

class ClassForm(AppForm):
    grade = IntegerField(
        _l("Grade"),
        validators=[InputRequired(message=REQUIRED),
                    NumberRange(1, 12, message=_l("The grade is a number from 1 to 12."))],
        render_kw={"inputmode": "numeric", "min": 1, "max": 12},
    )
    number = IntegerField(
        _l("Class number"),
        validators=[InputRequired(message=REQUIRED),
                    NumberRange(1, 99, message=_l("The class number is a number from 1 to 99."))],
        render_kw={"inputmode": "numeric", "min": 1, "max": 99},
    )
    head_teachers = CheckboxListField(_l("Head teachers"), coerce=int, render_kw={"class": "choices"})


class ChildForm(AppForm):
    # Optional here (admin is not an offline form), but a repeated submission still finds the first.
    client_uuid = HiddenField(
        validators=[Optional(), Regexp(UUID_PATTERN)], default=lambda: str(uuid.uuid4())
    )
    name = _name(_l("Full name"), 40)
    sex = RadioChoices(
        _l("Sex"), choices=options(SEX_LABELS.items()), validators=[InputRequired(message=REQUIRED)],
        render_kw={"class": "choices"},
    )
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    school_class = SelectField(_l("Class"), coerce=int, validators=[InputRequired(message=REQUIRED)])
    village = SelectField(_l("Home village"), coerce=optional_int, validators=[Optional()])
    left_behind = BooleanField(_l("Left-behind"))
    single_parent = BooleanField(_l("Single parent"))
    in_difficulty = BooleanField(_l("In difficulty"))
    # "" when the field is not sent at all (the columns hold no NULL).
    guardian_name = StringField(_l("Guardian's name"), filters=[strip], validators=[Length(max=40)], default="")
    guardian_relation = StringField(
        _l("Guardian's relation to the child"), filters=[strip], validators=[Length(max=20)], default="",
        description=_l("e.g. grandmother"),
    )
    guardian_phone = StringField(
        _l("Guardian's phone"), filters=[strip], validators=[Length(max=20), PHONE], default="",
        render_kw={"inputmode": "tel"},
    )


class ImportForm(AppForm):
    file = FileField(
        _l("File (.xlsx or .csv)"),
        validators=[
            FileRequired(message=_l("Please choose a file.")),
            FileAllowed(["xlsx", "csv"], message=_l("Please upload an .xlsx or .csv file.")),
        ],
    )
    school = SelectField(_l("School"), coerce=int)
    school_year = SelectField(_l("School year"), coerce=int)
