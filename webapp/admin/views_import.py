"""Importing rosters from XLSX or CSV, and the templates to fill in. All rows or none: every
bad row comes back with its line number and reason; importing again changes nothing."""
from flask import Response
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import allow
from ..models import School
from ..web import render
from . import bp
from .common import current_year, school_choices, year_choices
from .forms_org import ImportForm
from .import_children import import_children
from .import_formats import CHILD_COLUMNS, CHILD_NOTES, USER_COLUMNS, USER_NOTES, USER_TEMPLATE_ROLES
from .import_users import import_users
from .templates_xlsx import COMMON_NOTES, ROLES_TITLE, SCHOOLS_TITLE, SHEET_TITLE, template_workbook
from .views_school import school_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_page(kind, form, outcome=None):
    titles = {"children": _l("Import classes and children"), "users": _l("Import accounts")}
    return render("admin/import.html", kind=kind, title=titles[kind], form=form, outcome=outcome)


def _read_upload(form):
    upload = form.file.data
    return upload.filename, upload.read()


@bp.route("/import/children", methods=["GET", "POST"], endpoint="import_children")
@allow("county", "principal")
def import_children_page():
    form = ImportForm(school_year=current_year())
    form.school_year.choices = year_choices()
    if current_user.role == "county":
        form.school.choices = school_choices()
    else:
        del form.school
    outcome = None
    if form.validate_on_submit():
        school = school_or_404(form.school.data if "school" in form else current_user.school_id)
        outcome = import_children(school, form.school_year.data, *_read_upload(form))
        outcome.school = school
    return _import_page("children", form, outcome)


@bp.route("/import/users", methods=["GET", "POST"], endpoint="import_users")
@allow("county", "principal")
def import_users_page():
    form = ImportForm()
    del form.school, form.school_year
    outcome = None
    if form.validate_on_submit():
        outcome = import_users(current_user._get_current_object(), current_year(), *_read_upload(form))
    return _import_page("users", form, outcome)


@bp.route("/import/children/template.xlsx")
@allow("county", "principal")
def children_template():
    data = template_workbook(CHILD_COLUMNS, SHEET_TITLE, COMMON_NOTES + CHILD_NOTES)
    return _download(data, "children-template.xlsx")


@bp.route("/import/users/template.xlsx")
@allow("county", "principal")
def users_template():
    schools = (
        [school.name for school in School.select().order_by(School.name)]
        if current_user.role == "county" else []
    )
    roles = USER_TEMPLATE_ROLES[current_user.role]
    choices = [(ROLES_TITLE, roles)] + ([(SCHOOLS_TITLE, schools)] if schools else [])
    data = template_workbook(USER_COLUMNS, SHEET_TITLE, COMMON_NOTES + USER_NOTES, choices=choices)
    return _download(data, "users-template.xlsx")


def _download(data, filename):
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
    })
