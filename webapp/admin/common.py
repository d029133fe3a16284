"""What the admin views share: the school year, choice lists, saving with an audit entry."""
from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from playhouse.shortcuts import model_to_dict

from .. import audit
from ..clock import today
from ..models import School, SchoolClass, Township, User, Village, Zone
from ..schoolyear import school_year_label, school_year_of
from ..web import render
from .fields import options

PER_PAGE = 50


def current_year():
    return school_year_of(today())


def year_choices():
    """This school year and the next, so a principal can prepare September in August."""
    year = current_year()
    return options((y, school_year_label(y)) for y in (year, year + 1))


def zone_choices():
    return options((zone.id, zone.name) for zone in Zone.select().order_by(Zone.name))


def township_choices():
    return options((town.id, town.name) for town in Township.select().order_by(Township.name))


def school_choices():
    return options((school.id, school.name) for school in School.select().order_by(School.name))


def village_choices():
    query = Village.select(Village, Township).join(Township).order_by(Township.name, Village.name)
    return options((village.id, f"{village.township.name} {village.name}") for village in query)


def class_choices(school_id, year, keep=None):
    """The school's classes of `year`, plus `keep` (a class of another year already chosen)."""
    condition = (SchoolClass.school == school_id) & (SchoolClass.school_year == year)
    if keep is not None:
        condition |= SchoolClass.id == keep
    query = SchoolClass.select().where(condition).order_by(
        SchoolClass.school_year.desc(), SchoolClass.grade, SchoolClass.number
    )
    return options((c.id, class_name(c, year)) for c in query)


def class_name(school_class, year=None):
    name = _("Grade %(grade)s class %(number)s", grade=school_class.grade, number=school_class.number)
    if year is not None and school_class.school_year != year:
        name += f" ({school_year_label(school_class.school_year)})"
    return name


def head_teacher_choices(school_id):
    query = User.select().where(
        (User.school == school_id) & (User.role == "head_teacher") & User.active
    ).order_by(User.display_name)
    return options((user.id, user.display_name) for user in query)


def initial(obj, **extra):
    """A record's values as form data (foreign keys as ids), for the first showing of a form."""
    data = model_to_dict(obj, recurse=False)
    data.update(extra)
    return data


def taken(field, query):
    """Mark `field` when `query` finds another record with the same value."""
    if query.exists():
        field.errors.append(_l("This is already in use. Please choose another."))
        return True
    return False


def save_recorded(obj, action, **ids):
    """Save, write the audit entry (ids only) and tell the user."""
    obj.save()
    audit.record(action, obj, **ids)
    flash(_("Saved."))
    return obj


def form_page(form, title, back_url, links=(), intro=None, submit=None, post_actions=()):
    """Any admin form on its own page; errors shown in place with the user's input kept.
    `post_actions` are (url, label) buttons that each POST on their own (with CSRF)."""
    return render(
        "admin/form.html", form=form, title=title, back_url=back_url, links=links, intro=intro,
        submit=submit or _l("Save"), post_actions=post_actions,
    )
