"""What inspections add to other pages: the home pages (the school's open 整改 items, the
inspector side's reports to accept and overdue items) and the dashboard (a count). A fixed
number of queries whatever the county's size."""
from flask_login import current_user
from peewee import JOIN

from ..access import INSPECTION_READERS, INSPECTORS, visible_rectifications
from ..clock import today
from ..models import Rectification, School
from . import service


def _with_school(query):
    return (query.select(Rectification, School.id, School.name).join(School, on=(Rectification.school == School.id))
            .switch(Rectification))


def home(user=None):
    user = user or current_user
    if user.role not in INSPECTION_READERS:
        return None
    day = today()
    scope = visible_rectifications(user)
    overdue_query = service.overdue(scope, day)
    figures = {"day": day, "overdue_total": overdue_query.count()}
    figures["overdue"] = list(_with_school(overdue_query).order_by(Rectification.due_on, Rectification.id).limit(10))
    if user.role in INSPECTORS:
        waiting = scope.where(Rectification.status == "reported")
        figures["to_decide_total"] = waiting.count()
        figures["to_decide"] = list(_with_school(waiting).order_by(Rectification.reported_at).limit(10))
    else:
        figures["open"] = list(_with_school(scope.where(Rectification.status == "open"))
                               .order_by((Rectification.owner != user.id), Rectification.due_on, Rectification.id)
                               .limit(20))
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
