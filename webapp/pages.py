"""Pages open to everyone: help with hotlines, the health check."""
from flask import Blueprint, request
from flask_login import current_user

from .access import public
from .db import db
from .models import School
from .pwa import offline_page
from .web import render

bp = Blueprint("pages", __name__)


@bp.route("/help")
@public
@offline_page
def help():
    """Hotlines for everyone; the school's counselling mailbox and room hours for its people
    (or for anyone who follows a school's poster link, /help?school=<id>)."""
    return render("pages/help.html", school=_school_for_help())


def _school_for_help():
    school_id = request.args.get("school", type=int)
    if school_id is None and current_user.is_authenticated:
        school_id = current_user.school_id
    return School.get_or_none(School.id == school_id) if school_id else None


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers; 503 otherwise (for the load balancer)."""
    try:
        db.execute_sql("SELECT 1").fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
