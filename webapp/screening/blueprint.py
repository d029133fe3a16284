"""The screening blueprint, on its own so the view modules can share it."""
from flask import Blueprint

bp = Blueprint("screening", __name__, url_prefix="/screening")
