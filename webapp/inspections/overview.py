"""What inspections add to other pages: the home pages (the school's open 整改 items, the
inspector side's reports to accept and overdue items) and the dashboard (a count). A fixed
number of queries whatever the county's size."""
from flask_login import current_user
from peewee import JOIN, SQL, fn

from ..access import INSPECTION_READERS, INSPECTORS, ScopeUser, scope_values, visible_rectifications
from ..clock import today
from ..models import Rectification, School
from ..prepared import prepared
from . import service

OVERDUE_SHOWN = 10
TO_DECIDE_SHOWN = 10
OPEN_SHOWN = 20


def _with_school(query):
    return (query.select(Rectification, School.id, School.name).join(School, on=(Rectification.school == School.id))
            .switch(Rectification))


def _counted(query):
    """The rows with, on each, how many there are before the LIMIT (a window count): one
    statement for the home page's list and its total."""
    return query.select_extend(fn.COUNT(SQL("*")).over().alias("total"))


# Asked on every reading of a home page, so prepared (webapp/prepared.py) with the user's scope.

@prepared
def _overdue(slots):
    return _counted(_with_school(service.overdue(visible_rectifications(ScopeUser(slots)), slots.day))
                    .order_by(Rectification.due_on, Rectification.id).limit(OVERDUE_SHOWN))


@prepared
def _to_decide(slots):
    waiting = visible_rectifications(ScopeUser(slots)).where(Rectification.status == "reported")
    return _counted(_with_school(waiting).order_by(Rectification.reported_at).limit(TO_DECIDE_SHOWN))


@prepared
def _open(slots):
    still_open = visible_rectifications(ScopeUser(slots)).where(Rectification.status == "open")
    return (_with_school(still_open).order_by((Rectification.owner != slots.user_id), Rectification.due_on,
                                              Rectification.id).limit(OPEN_SHOWN))


def _total(rows):
    return rows[0].total if rows else 0


def home(user=None):
    user = user or current_user
    if user.role not in INSPECTION_READERS:
        return None
    day = today()
    fixed, values = scope_values(user)
    overdue = _overdue.rows(fixed, day=day, **values)
    figures = {"day": day, "overdue_total": _total(overdue), "overdue": overdue}
    if user.role in INSPECTORS:
        figures["to_decide"] = _to_decide.rows(fixed, **values)
        figures["to_decide_total"] = _total(figures["to_decide"])
    else:
        figures["open"] = _open.rows(fixed, **values)
    return figures


def dashboard_figures(level, unit, day=None):
    """Overdue 整改 items at a dashboard level (count only)."""
    query = Rectification.select(Rectification.id)
    if level == "zone":
        query = query.join(School, JOIN.INNER, on=(Rectification.school == School.id)).where(School.zone == unit.id)
    elif level == "school":
        query = query.where(Rectification.school == unit.id)
    elif level != "county":
        return None
    return {"overdue": service.overdue(query, day).count(),
            "waiting": query.where(Rectification.status == "reported").count()}
