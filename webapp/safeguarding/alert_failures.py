"""Alerts that did not get through, for the county (发送失败的提醒 on its home page): an alert
is never lost silently. Each row says the channel, when it was queued and last tried, how many
tries, the kind of error and whether it will be tried again; alerts carry no child data, and
neither does this list (not even the recipient's address)."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..models import OutboundMessage

SHOWN = 20  # the latest ones; a mail server that is down fails them all alike

CHANNEL_LABELS = {"email": _l("E-mail"), "wecom": _l("WeCom group robot")}
FAILURE_LABELS = {
    "deferred": _l("Mail server refused for now"),
    "rejected": _l("Refused by the receiving server"),
    "recipient_refused": _l("Recipient address refused"),
    "server_error": _l("The receiving server failed"),
    "timeout": _l("No answer in time"),
    "unreachable": _l("Could not connect"),
    "not_configured": _l("Channel not set up"),
    "bad_answer": _l("Unexpected answer"),
    "other": _l("Other error"),
}


def failing_alerts():
    """Unsent alerts that have failed at least once, newest first, in one query: given up
    (after OUTBOUND_MAX_ATTEMPTS tries) or waiting for their next try."""
    limit = current_app.config["OUTBOUND_MAX_ATTEMPTS"]
    rows = (
        OutboundMessage.select(
            OutboundMessage.id, OutboundMessage.channel, OutboundMessage.created_at, OutboundMessage.attempts,
            OutboundMessage.last_attempt_at, OutboundMessage.next_attempt_at, OutboundMessage.failure,
        )
        .where(OutboundMessage.sent_at.is_null() & (OutboundMessage.attempts > 0))
        .order_by(OutboundMessage.id.desc())
        .limit(SHOWN)
    )
    return [
        {
            "channel": CHANNEL_LABELS.get(row.channel, row.channel),
            "queued_at": row.created_at,
            "tried_at": row.last_attempt_at,
            "attempts": row.attempts,
            "failure": FAILURE_LABELS.get(row.failure or "other", FAILURE_LABELS["other"]),
            "given_up": row.attempts >= limit,
            "next_at": row.next_attempt_at,
        }
        for row in rows
    ]
