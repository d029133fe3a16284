"""The visits blueprint and who may use it, on their own so views.py and overview.py can share
them without importing each other."""
from flask import Blueprint
from flask_login import current_user

bp = Blueprint("visits", __name__, url_prefix="/visits")
LOGGERS = ("head_teacher",)
READERS = ("county", "zone", "counselor", "principal", "head_teacher")


def me():
    return current_user._get_current_object()
