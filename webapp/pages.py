"""Pages open to everyone: help with hotlines, the health check."""
import re

from flask import Blueprint, current_app, request
from flask_login import current_user

from .access import public
from .bounds import record_id
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
    school = _school_for_help()
    return render("pages/help.html", school=school, mailbox_address=mailbox_address(school),
                  county_aid=county_aid())


# The plan's 心理咨询电子邮箱 (《实施方案》四、18): a school's mailbox may be an e-mail address
# (then /help links to it) or where its paper box hangs.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def mailbox_address(school):
    """The school's counselling e-mail address, or None when its mailbox is a paper box."""
    mailbox = (school.mailbox or "").strip() if school else ""
    return mailbox if EMAIL.fullmatch(mailbox) else None


def county_aid():
    """The county centre's own hotline, WeChat official account and website (四、18), from the
    configuration; a website that is not http(s) is not linked."""
    config = current_app.config
    website = config.get("COUNTY_AID_WEBSITE", "")
    return {"hotline": config.get("COUNTY_AID_HOTLINE", ""), "wechat": config.get("COUNTY_AID_WECHAT", ""),
            "website": website if website.startswith(("https://", "http://")) else ""}


def _school_for_help():
    school_id = request.args.get("school", type=record_id)
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
