"""Setting the key groups that are someone's judgment: 问题家庭 (school) and 精神病史 (psychology
teachers). Every change is audited (ids and the new value only). The policy was checked by the
caller (access: set_problem_family, set_psychiatric_history)."""
from peewee import IntegrityError

from .. import audit
from ..access import key_groups_seen
from ..db import db
from ..models import Child, PsychiatricHistory
from . import groups


def chosen_value(raw):
    """The form's "1" / "0" as True / False; anything else None (nothing to change)."""
    return {"1": True, "0": False}.get(raw)


def set_problem_family(child, value, **detail):
    """Returns whether it changed. `detail`: where it was set from (e.g. visit_id), for the log."""
    changed = Child.update(problem_family=value).where(
        (Child.id == child.id) & (Child.problem_family != value)).execute()
    if changed:
        child.problem_family = value
        audit.record("set_problem_family", child, value=value, **detail)
    return bool(changed)


def set_psychiatric_history(child, user, value):
    """Record or remove the child's psychiatric history; returns whether it changed."""
    with db.atomic():
        if value:
            try:
                with db.atomic():
                    PsychiatricHistory.create(child=child.id, set_by=user.id)
            except IntegrityError:
                return False  # already recorded (or recorded at the same moment by someone else)
        elif not PsychiatricHistory.delete().where(PsychiatricHistory.child == child.id).execute():
            return False
        audit.record("set_psychiatric_history", child, value=value)
    return True


def shown_groups(user, child):
    """The key groups of one child that `user` may see (one query for the derived ones)."""
    seen = key_groups_seen(user)
    derived = [group for group in seen if group in groups.DERIVED]
    if derived:
        row = groups.with_derived(Child.select(Child.id), derived).where(Child.id == child.id).get()
        for group in derived:
            setattr(child, f"kg_{group}", getattr(row, f"kg_{group}"))
    return groups.groups_of(child, seen)
