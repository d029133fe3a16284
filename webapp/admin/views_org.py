"""County pages: zones, townships, villages (with their 童伴之家) and schools."""
from flask import redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN, fn

from ..access import allow, get_in_scope, require
from ..models import School, Township, Village, Zone
from ..web import render
from . import bp
from .common import form_page, initial, save_recorded, taken, township_choices, zone_choices
from .fields import NOTHING
from .forms_org import SchoolForm, TownshipForm, VillageForm, ZoneForm


def _fetch(model, object_id):
    """The record to edit (404 when unknown), or a new one; county only either way."""
    obj = get_in_scope(model.select(), object_id) if object_id else model()
    return require(current_user, "manage_org", obj)


def _action(obj, what):
    return f"admin_{'update' if obj.id else 'create'}_{what}"


def _named_place_form(model, form_class, object_id, what, titles, list_endpoint):
    """Create or rename a place known by its name alone (a zone, a township); names are unique."""
    place = _fetch(model, object_id)
    form = form_class(data=initial(place))
    if form.validate_on_submit() and not taken(
        form.name, model.select().where((model.name == form.name.data) & (model.id != place.id))
    ):
        action = _action(place, what)
        place.name = form.name.data
        save_recorded(place, action)
        return redirect(url_for(list_endpoint))
    return form_page(form, titles[0] if place.id else titles[1], url_for(list_endpoint))


@bp.route("/zones/")
@allow("county")
def zones():
    rows = (
        Zone.select(Zone, fn.COUNT(School.id).alias("school_count"))
        .join(School, JOIN.LEFT_OUTER).group_by(Zone.id).order_by(Zone.name)
    )
    return render("admin/zones.html", zones=rows)


@bp.route("/zones/new", methods=["GET", "POST"])
@bp.route("/zones/<int:zone_id>", methods=["GET", "POST"])
@allow("county")
def zone_form(zone_id=None):
    return _named_place_form(Zone, ZoneForm, zone_id, "zone", (_l("Edit zone"), _l("New zone")), "admin.zones")


@bp.route("/townships/")
@allow("county")
def townships():
    rows = (
        Township.select(Township, fn.COUNT(Village.id).alias("village_count"))
        .join(Village, JOIN.LEFT_OUTER).group_by(Township.id).order_by(Township.name)
    )
    return render("admin/townships.html", townships=rows)


@bp.route("/townships/new", methods=["GET", "POST"])
@bp.route("/townships/<int:township_id>", methods=["GET", "POST"])
@allow("county")
def township_form(township_id=None):
    return _named_place_form(Township, TownshipForm, township_id, "township",
                             (_l("Edit township"), _l("New township")), "admin.townships")


@bp.route("/villages/")
@allow("county")
def villages():
    rows = Village.select(Village, Township).join(Township).order_by(Township.name, Village.name)
    return render("admin/villages.html", villages=rows)


@bp.route("/villages/new", methods=["GET", "POST"])
@bp.route("/villages/<int:village_id>", methods=["GET", "POST"])
@allow("county")
def village_form(village_id=None):
    village = _fetch(Village, village_id)
    form = VillageForm(data=initial(village))
    form.township.choices = township_choices()
    if form.validate_on_submit() and not taken(
        form.name,
        Village.select().where(
            (Village.township == form.township.data) & (Village.name == form.name.data)
            & (Village.id != village.id)
        ),
    ):
        action = _action(village, "village")
        village.township = form.township.data
        village.name, village.home_name = form.name.data, form.home_name.data
        save_recorded(village, action)
        return redirect(url_for("admin.villages"))
    title = _l("Edit village") if village.id else _l("New village")
    return form_page(form, title, url_for("admin.villages"))


@bp.route("/schools/")
@allow("county")
def schools():
    rows = School.select(School, Zone).join(Zone).order_by(Zone.name, School.name)
    return render("admin/schools.html", schools=rows)


@bp.route("/schools/new", methods=["GET", "POST"])
@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@allow("county")
def school_form(school_id=None):
    school = _fetch(School, school_id)
    form = SchoolForm(data=initial(school))
    form.zone.choices = zone_choices()
    form.township.choices = [NOTHING] + township_choices()
    if form.validate_on_submit() and not taken(
        form.name, School.select().where((School.name == form.name.data) & (School.id != school.id))
    ):
        action = _action(school, "school")
        for name in ("name", "stage", "zone", "township", "mailbox", "counselling_hours"):
            setattr(school, name, form[name].data)
        save_recorded(school, action)
        return redirect(url_for("admin.schools"))
    title = _l("Edit school") if school.id else _l("New school")
    links = [(url_for("admin.classes", school_id=school.id), _l("Classes"))] if school.id else []
    return form_page(form, title, url_for("admin.schools"), links=links)

