"""`/admin/`: the sections the signed-in user may administer; the admin routes register here."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import allow
from ..web import render
from . import bp, views_committee, views_import, views_org, views_school, views_users  # noqa: F401 - routes

FROM_FILE = _l("From an XLSX or CSV file")


def _county_sections():
    return [
        (_l("The county"), [
            (url_for("admin.zones"), _l("Zones"), _l("Zones and their schools")),
            (url_for("admin.schools"), _l("Schools"), _l("Name, stage, zone, counselling mailbox and hours")),
            (url_for("admin.townships"), _l("Townships"), None),
            (url_for("admin.villages"), _l("Villages"), _l("Each with its children's home")),
        ]),
        (_l("People"), [
            (url_for("admin.users"), _l("Accounts"), _l("Every role; set a new password or PIN")),
            (url_for("admin.import_users"), _l("Import accounts"), FROM_FILE),
            (url_for("admin.import_children"), _l("Import classes and children"), _l("Into one school")),
        ]),
        (_l("Oversight and safeguarding"), [
            (url_for("audit_log.index"), _l("Audit log"), _l("Sign-ins, every write, every sensitive read")),
            (url_for("case_settings.index"), _l("Safeguarding settings"), _l("Referral institutions and key periods")),
        ]),
    ]


def _principal_sections():
    school_id = current_user.school_id
    return [
        (_l("My school"), [
            (url_for("admin.classes", school_id=school_id), _l("Classes"),
             _l("Children, head teachers and the psychology committee of each class")),
            (url_for("admin.child_form", school_id=school_id), _l("New child"), None),
            (url_for("admin.import_children"), _l("Import classes and children"), FROM_FILE),
            (url_for("admin.school_help", school_id=school_id), _l("Counselling mailbox and hours"),
             _l("Shown to your pupils on the help page")),
        ]),
        (_l("People"), [
            (url_for("admin.users"), _l("Head teachers and committee members"),
             _l("Accounts of your school; set a new password or PIN")),
            (url_for("admin.import_users"), _l("Import accounts"), FROM_FILE),
        ]),
    ]


@bp.route("/")
@allow("county", "principal")
def index():
    sections = _county_sections() if current_user.role == "county" else _principal_sections()
    return render("admin/index.html", sections=sections)
