"""Out-of-scope 404s leave a trace, and an account that meets many of them is shown to the county.

Records outside a user's scope answer 404 like absent ones, so ids leak nothing; but a hostile
insider walking through ids (`/children/1`, `/children/2`, …) should not go unseen. Each 404
answered to a signed-in user is counted here (anonymous ones are not: they see only the sign-in
page). The audit log gets at most one `out_of_scope` row per account, kind of object and minute,
so a prober cannot flood it; every 404 still counts toward the warning: an account that meets
PROBING_THRESHOLD different refused ids within PROBING_WINDOW gets one `probing_suspected` row,
which the county's home and audit pages show. All of it runs only when a 404 is answered.
"""
import json

from flask import current_app, g, request
from flask_login import current_user
from peewee import SQL, CharField, DateTimeField, IntegerField, fn

from .. import audit
from ..clock import utcnow
from ..models import AuditEvent, BaseModel

OUT_OF_SCOPE = "out_of_scope"
PROBING = "probing_suspected"
# The audit log's object_id column is a 32-bit integer; larger ids are nobody's.
LARGEST_ID = 2**31 - 1


class ScopeMiss(BaseModel):
    """One 404 answered to a signed-in user, kept only as long as the probing window (migration
    0017). Not the audit log: rows older than the window are deleted."""

    user_id = IntegerField()
    at = DateTimeField(index=True)
    target = CharField(max_length=80)  # "Child:105", or a route's endpoint

    class Meta:
        indexes = ((("user_id", "at"), False),)


def note_not_found():
    """From the 404 handler: count the refusal of the signed-in user, if any."""
    if request.endpoint is None or not current_user.is_authenticated:
        return  # no such route (nothing to probe), or nobody to name
    kind, object_id = g.pop("refused", ("", None))
    if not kind:
        kind, object_id = _from_path()
    try:
        _count(current_user._get_current_object(), kind, object_id)
    except Exception:  # noqa: BLE001 - the 404 is still answered; the failure is logged
        current_app.logger.exception("an out-of-scope 404 could not be counted")


def _from_path():
    """A view's own 404 (`abort(404)`): the kind from the path's `<int:…_id>`, else the page."""
    for name, value in (request.view_args or {}).items():
        if name.endswith("_id") and isinstance(value, int):
            return "".join(part.title() for part in name[:-3].split("_")), value
    return "page", None


def _count(user, kind, object_id):
    config = current_app.config
    now = utcnow()
    since = now - config["PROBING_WINDOW"]
    target = f"{kind}:{object_id}" if object_id is not None else f"{kind}:{request.endpoint}"
    ScopeMiss.insert(user_id=user.id, at=now, target=target[:80]).execute()
    ScopeMiss.delete().where(ScopeMiss.at <= since).execute()  # only the window is ever read
    kind = kind[:30]
    if not _recorded_since(user, OUT_OF_SCOPE, now - config["PROBING_AUDIT_EVERY"], kind):
        in_range = isinstance(object_id, int) and 0 <= object_id <= LARGEST_ID
        audit.record(OUT_OF_SCOPE, user=user, object_type=kind, object_id=object_id if in_range else None,
                     endpoint=request.endpoint, method=request.method)
    misses = (ScopeMiss.select(fn.COUNT(ScopeMiss.target.distinct()))
              .where((ScopeMiss.user_id == user.id) & (ScopeMiss.at > since)).scalar())
    if misses >= config["PROBING_THRESHOLD"] and not _recorded_since(user, PROBING, since):
        audit.record(PROBING, user=user, misses=misses, minutes=_minutes(config["PROBING_WINDOW"]))


def _recorded_since(user, action, since, object_type=None):
    query = AuditEvent.select(AuditEvent.id).where(
        (AuditEvent.action == action) & (AuditEvent.user == user.id) & (AuditEvent.at > since))
    if object_type is not None:
        query = query.where(AuditEvent.object_type == object_type)
    return query.exists()


def _minutes(delta):
    return int(delta.total_seconds() // 60)


# The action written into the SQL, not sent as a value: PostgreSQL plans a repeated statement once
# for any value, and for "some action" that plan walks the time index through every event of the
# days shown; knowing the action is this rare one, it goes to its rows by an action index.
_PROBING_LITERAL = SQL("'{}'".format(PROBING.replace("'", "''")))


def recent_probing(since):
    return (AuditEvent.select(AuditEvent.at, AuditEvent.username, AuditEvent.detail)
            .where((AuditEvent.action == _PROBING_LITERAL) & (AuditEvent.at > since))
            .order_by(AuditEvent.at.desc()).limit(20))


def warnings():
    """Accounts seen probing lately, newest first: for the county's home and audit pages."""
    events = recent_probing(utcnow() - current_app.config["PROBING_SHOWN"])
    return [{"at": event.at, "username": event.username, **_counts(event.detail)} for event in events]


def _counts(detail):
    try:
        values = json.loads(detail)
    except ValueError:
        values = {}
    return {"misses": values.get("misses", 0), "minutes": values.get("minutes", 0)}
