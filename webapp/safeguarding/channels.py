"""Delivering queued alerts (OutboundMessage) by e-mail or to a WeCom group robot."""
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app


class ChannelError(Exception):
    """A channel refused or could not take a message; the tick retries it later."""

    def __init__(self, text, kind="rejected"):
        super().__init__(text)
        self.kind = kind


def send_email(message):
    """Send one alert through the configured SMTP server (STARTTLS/SMTPS and login optional)."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        raise ChannelError("MAIL_SERVER is not set", "not_configured")
    mail = EmailMessage()
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    mail.set_content(message.body)
    port, timeout = config.get("MAIL_PORT", 25), config.get("MAIL_TIMEOUT", 10)
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(server, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(server, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(mail)


def send_wecom(message):
    """Post one alert as a text message to the WeCom group robot's webhook."""
    config = current_app.config
    url = config.get("WECOM_WEBHOOK_URL", "")
    # urlopen also opens file:// and ftp:// URLs; a webhook is only ever HTTP(S).
    if not url.startswith(("https://", "http://")):
        raise ChannelError("WECOM_WEBHOOK_URL is not an http(s) URL", "not_configured")
    payload = {"msgtype": "text", "text": {"content": message.subject + "\n" + message.body}}
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    # A non-2xx answer raises HTTPError; the robot also answers 200 with an errcode on refusal.
    with urllib.request.urlopen(request, timeout=config.get("WECOM_TIMEOUT", 5)) as response:
        raw = response.read(64 * 1024)
    try:
        reply = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ChannelError("WeCom answered something that is not JSON", "bad_answer") from exc
    errcode = reply.get("errcode", 0) if isinstance(reply, dict) else None
    if errcode != 0:
        raise ChannelError(f"WeCom errcode {errcode}")


SENDERS = {"email": send_email, "wecom": send_wecom}


def send(message):
    """Deliver `message` through its channel; raises on any failure."""
    sender = SENDERS.get(message.channel)
    if sender is None:
        raise ChannelError(f"unknown channel {message.channel!r}", "not_configured")
    sender(message)


def failure_kind(exc):
    """The kind of a sending failure, as a short code the county is shown (alert_failures.py):
    what to look at (the mail server, the network, the settings), without any message content."""
    if isinstance(exc, ChannelError):
        return exc.kind
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "recipient_refused"
    if isinstance(exc, smtplib.SMTPResponseException):
        # 4xx: "try again later" (greylisting, a full queue); 5xx: a refusal.
        return "deferred" if 400 <= exc.smtp_code < 500 else "rejected"
    if isinstance(exc, urllib.error.HTTPError):
        return "server_error" if exc.code >= 500 else "rejected"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "timeout"
    if isinstance(reason, (OSError, smtplib.SMTPException)):
        return "unreachable"
    return "other"
