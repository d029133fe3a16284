"""`/admin/`: what the user may administer."""
from flask import Blueprint

from ..access import allow
from ..web import render

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@allow("county", "principal")
def index():
    return render("admin/index.html")
