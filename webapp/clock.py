"""The one clock of the app, so tests can move time (config CLOCK is a callable returning UTC)."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow():
    """Naive UTC now: what the database stores."""
    if has_app_context() and current_app.config.get("CLOCK"):
        return current_app.config["CLOCK"]()
    return datetime.now(UTC).replace(tzinfo=None)


def local_now():
    return utcnow().replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def today():
    """Today's date in the county (Asia/Shanghai)."""
    return local_now().date()


def to_local(value):
    """A stored naive-UTC datetime as county local time."""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ)
