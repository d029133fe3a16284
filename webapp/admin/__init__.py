"""Administration: the county's organisation, schools' classes, children and accounts."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
