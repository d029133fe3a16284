"""Telling people: in-app notifications, and alerts for e-mail / WeCom without any child data."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from peewee import IntegrityError

from ..db import db
from ..models import Notification, OutboundMessage


def notify(users, kind, dedupe_key, concern=None, case_id=None):
    """Give each user one notification for this event; returns the users newly notified.

    The unique (user, dedupe_key) index makes a repeated call — a second tick, a retried
    request — a no-op instead of a second message.
    """
    fresh = []
    for user in {u.id: u for u in users}.values():
        try:
            with db.atomic():
                Notification.create(
                    user=user, kind=kind, dedupe_key=dedupe_key, concern=concern, case_id=case_id
                )
        except IntegrityError:
            continue
        fresh.append(user)
    return fresh


def queue_alerts(users, urgent_count=1):
    """Queue e-mail and WeCom alerts. Third-party channels must not hold minors' data, so they
    say only how many urgent concerns wait, and where to sign in."""
    config = current_app.config
    link = config.get("BASE_URL", "").rstrip("/") + "/concerns/"
    with force_locale("zh_Hans_CN"):
        what = _("%(count)s urgent concern(s) waiting", count=urgent_count)
        subject = _("XinQiao: %(what)s", what=what)
        body = _("%(what)s. Please sign in to XinQiao: %(link)s", what=what, link=link)
    if config.get("MAIL_SERVER"):
        for user in users:
            if user.email:
                OutboundMessage.create(channel="email", recipient=user.email, subject=subject, body=body)
    if config.get("WECOM_WEBHOOK_URL") and users:
        OutboundMessage.create(channel="wecom", recipient="", subject=subject, body=body)


def unread_count(user):
    """The badge in the navigation: one indexed count."""
    return Notification.select().where((Notification.user == user.id) & Notification.seen_at.is_null()).count()
