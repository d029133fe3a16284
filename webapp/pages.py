"""Pages open to everyone: help with hotlines, the health check."""
from flask import Blueprint

from .access import public
from .db import db
from .web import render

bp = Blueprint("pages", __name__)


@bp.route("/help")
@public
def help():
    return render("pages/help.html")


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers; 503 otherwise (for the load balancer)."""
    try:
        db.execute_sql("SELECT 1").fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
