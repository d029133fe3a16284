"""Writing to the append-only audit log: who did what to which object, ids only."""
import json

from flask import has_request_context, request
from flask_login import current_user

from .clock import utcnow
from .models import AuditEvent
from .prepared import prepared


def client_address():
    return (request.remote_addr or "")[:64] if has_request_context() else ""


@prepared
def _append(slots):
    # Every column given, defaults included: a default worked out here would be kept in the SQL.
    return AuditEvent.insert(at=slots.at, user=slots.user_id, username=slots.username, action=slots.action,
                             object_type=slots.object_type, object_id=slots.object_id, child_id=slots.child_id,
                             address=slots.address, detail=slots.detail)


def record(action, obj=None, *, child_id=None, user=None, username=None, object_type=None, object_id=None,
           **detail):
    """Append one audit event. `detail` must hold ids and codes, never names or free text.
    `object_type` and `object_id` name an object not at hand (one refused, or absent)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    if child_id is None and obj is not None and type(obj).__name__ == "Child":
        child_id = obj.id
    _append.execute(
        at=utcnow(),
        user_id=user.id if user else None,
        username=username or (user.username if user else ""),
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else ""),
        object_id=object_id if object_id is not None else (obj.id if obj is not None else None),
        child_id=child_id,
        address=client_address(),
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else "",
    )
