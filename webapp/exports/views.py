"""`/exports/ledger.xlsx`: the provincial ledger for the user's scope, audited."""
from flask import Blueprint
from flask_login import current_user

from .. import audit
from ..access import allow, require
from ..clock import today
from ..xlsx import file_response
from .ledger import build_ledger

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.route("/ledger.xlsx")
@allow("county", "zone", "counselor")
def ledger():
    require(current_user, "export_ledger")
    spool, count = build_ledger(current_user)
    audit.record("export_ledger", rows=count)
    # The file name carries the date only: no school or child names in it (nor in logs).
    return file_response(spool, f"ledger-{today().isoformat()}.xlsx")
