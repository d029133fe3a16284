"""The supervisor's view of child workers: the monthly work log (工作日志) per worker, as a print
page and XLSX, and every worker's duty completion in the zone's or county's scope."""
from datetime import date

from flask import Blueprint, request
from flask_login import current_user
from peewee import JOIN, fn

from .. import audit
from ..access import allow, duty_villages, get_in_scope, visible_workers
from ..bounds import in_window, record_id
from ..clock import today
from ..models import Activity, Attendance, CheckIn, Child, User, Village, WorkerVillage
from ..web import render
from ..xlsx import workbook_response
from . import rules
from .duties import plan_for
from .overview import month_work
from .worklog_xlsx import build_worklog

bp = Blueprint("worklog", __name__, url_prefix="/village")
SUPERVISORS = ("county", "zone")


def me():
    return current_user._get_current_object()


def chosen_month(day):
    """The month asked for as ?month=YYYY-MM (the current one when missing, wrong, ahead or
    before the window of bounds.in_window)."""
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        first = date(year, month, 1)
    except (ValueError, OverflowError):  # a year past C's int is an OverflowError
        return day.replace(day=1)
    if not in_window(first):
        return day.replace(day=1)
    return min(first, day.replace(day=1))


def _as_of(first, day):
    """Duties of a past month are judged at its end; the current month's today."""
    return min(rules.period_of("month", first)[1], day)


def worker_log(viewer, worker, first, day):
    """One worker's month: her villages (those the viewer oversees), what she did, and how the
    duty plan of her villages stood at the month's end (or today)."""
    start, end = rules.period_of("month", first)
    villages = list(duty_villages(viewer).join(WorkerVillage, on=(WorkerVillage.village == Village.id))
                    .where(WorkerVillage.user == worker.id).order_by(Village.name))
    checkins = list(
        CheckIn.select(CheckIn, Child).join(Child, on=(CheckIn.child == Child.id))
        .where((CheckIn.worker == worker.id) & CheckIn.day.between(start, end))
        .order_by(CheckIn.day, CheckIn.id)
    )
    activities = list(
        Activity.select(Activity, fn.COUNT(Attendance.id).alias("children"))
        .join(Attendance, JOIN.LEFT_OUTER, on=(Attendance.activity == Activity.id))
        .where((Activity.worker == worker.id) & Activity.day.between(start, end))
        .group_by(Activity.id).order_by(Activity.day, Activity.id)
    )
    plan = plan_for(Village.select().where(Village.id.in_([v.id for v in villages])).order_by(Village.name),
                    _as_of(first, day))
    return {
        "worker": worker, "villages": villages, "month": first, "start": start, "end": end,
        "checkins": checkins, "activities": activities, "totals": month_work(worker, first),
        "completion": rules.completion(plan.duties), "rules": plan.rules,
        "children": len(plan.children),
    }


def _worker_from_args(viewer):
    if viewer.role == "child_worker":
        return viewer
    return get_in_scope(visible_workers(viewer), request.args.get("worker", type=record_id))


@bp.route("/worklog")
@allow("child_worker", *SUPERVISORS)
def worklog():
    viewer = me()
    worker = _worker_from_args(viewer)
    day = today()
    log = worker_log(viewer, worker, chosen_month(day), day)
    audit.record("read_worklog", worker, month=log["month"].strftime("%Y-%m"))
    return render("village/worklog.html", **log)


@bp.route("/worklog.xlsx")
@allow("child_worker", *SUPERVISORS)
def worklog_xlsx():
    viewer = me()
    worker = _worker_from_args(viewer)
    day = today()
    log = worker_log(viewer, worker, chosen_month(day), day)
    month = log["month"].strftime("%Y-%m")
    audit.record("export_worklog", worker, month=month, checkins=len(log["checkins"]))
    # The file name carries the month and an id only: no names in it (nor in logs).
    return workbook_response(build_worklog(log), f"worklog-{worker.id}-{month}.xlsx")


def completion_by_worker(viewer, day):
    """Each worker in scope with her villages, register size, completion per rule and overdue
    duties (a fixed number of queries for the whole scope)."""
    plan = plan_for(duty_villages(viewer).order_by(Village.name), day)
    workers = {u.id: u for u in visible_workers(viewer).where(User.active).order_by(User.display_name)}
    villages_of = {}
    for link in WorkerVillage.select().where(WorkerVillage.village.in_(list(plan.villages))):
        villages_of.setdefault(link.user_id, set()).add(link.village_id)
    rows = []
    for worker in workers.values():
        mine = villages_of.get(worker.id, set())
        found = [d for d in plan.duties if _village_of(d, plan) in mine]
        rows.append({
            "worker": worker, "villages": [plan.villages[v] for v in sorted(mine)],
            "children": sum(1 for c in plan.children.values() if c.village_id in mine),
            "completion": rules.completion(found), "overdue": sum(d.state == "overdue" for d in found),
        })
    return plan.rules, rows


def _village_of(duty, plan):
    return plan.children[duty.target].village_id if duty.rule.per == "child" else duty.target


@bp.route("/duties")
@allow(*SUPERVISORS)
def duties():
    day = today()
    first = chosen_month(day)
    active, rows = completion_by_worker(me(), _as_of(first, day))
    return render("village/duties.html", rules=active, rows=rows, month=first, today=day)
