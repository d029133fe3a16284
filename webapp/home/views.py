"""`/`: a home page made for the signed-in user's role."""
from flask import Blueprint
from flask_login import current_user
from peewee import JOIN, SQL, fn
from peewee import Case as SqlCase

from ..access import (
    ALL_SIGNED_IN,
    COUNSELLING,
    PEER_READERS,
    ScopeUser,
    allow,
    scope_values,
    triage_concerns,
    visible_children,
    visible_classes,
    visible_concerns,
    visible_schools,
)
from ..clock import today
from ..models import Child, Concern, School, SchoolChildren, SchoolClass, Zone
from ..peer.overview import committee_home, teacher_home
from ..prepared import prepared
from ..pwa import offline_page, roster_shown
from ..roster import class_overview, current_classes, with_sizes
from ..safeguarding.alert_failures import failing_alerts
from ..safeguarding.rules import OPEN_STATUSES
from ..schoolyear import school_year_of
from ..trust import probing
from ..village.overview import worker_home
from ..visits.coverage import head_teacher_progress
from ..web import render

bp = Blueprint("home", __name__)


ROWS = fn.COUNT(SQL("*"))  # counted from the index alone, without reading each child's id
CHILDREN = fn.COALESCE(SchoolChildren.children, 0)  # the school's counter (migration 0008)


@prepared
def _children_per_village(slots):
    return visible_children(ScopeUser(slots)).select(Child.village, ROWS).group_by(Child.village).tuples()


def _schools_context(user):
    """A zone's schools with their children, in one query whatever the county's size."""
    schools = list(
        # Only what the list shows: name, stage, zone name, children.
        visible_schools(user)
        .select(School.id, School.name, School.stage, School.zone, Zone.id, Zone.name,
                CHILDREN.alias("children"))
        .join(Zone)
        .switch(School).join(SchoolChildren, JOIN.LEFT_OUTER, on=(SchoolChildren.school == School.id))
        .order_by(Zone.name, School.name)
    )
    counts = {school.id: school.children for school in schools}
    return {"schools": schools, "child_counts": counts, "child_total": sum(counts.values())}


def _county_context(user):
    """The county's zones, each with its schools and children: hundreds of schools would not
    fit a phone screen, and the zones lead on to them (dashboards drill down further)."""
    rows = (School.select(School.zone, ROWS, fn.SUM(CHILDREN))
            .join(SchoolChildren, JOIN.LEFT_OUTER, on=(SchoolChildren.school == School.id))
            .group_by(School.zone).tuples())
    counts = {zone_id: (schools, int(children or 0)) for zone_id, schools, children in rows}
    zones = []
    for zone in Zone.select(Zone.id, Zone.name).order_by(Zone.name):
        schools, children = counts.get(zone.id, (0, 0))
        zones.append({"zone": zone, "schools": schools, "children": children})
    return {"zones": zones, "school_total": sum(zone["schools"] for zone in zones),
            "child_total": sum(zone["children"] for zone in zones),
            "probing": probing.warnings(),  # accounts seen walking through ids they may not see
            "failed_alerts": failing_alerts()}  # e-mail / WeCom alerts that did not get through


@prepared
def _current_classes(slots):
    return with_sizes(current_classes(visible_classes(ScopeUser(slots)).switch(SchoolClass), slots.year))


def _classes_context(user):
    year = school_year_of(today())
    fixed, values = scope_values(user)
    return {"classes": class_overview(_current_classes.rows(fixed, year=year, **values)), "school_year": year}


def _village_context(user):
    # Her duties (due this week, overdue): a fixed number of queries. Her villages are her
    # plan's (duty_villages and visible_villages say the same for a child worker).
    home = worker_home(user, today(), shown=("overdue", "this_week"))  # what the home lists
    fixed, values = scope_values(user)
    counts = dict(_children_per_village.rows(fixed, **values))
    return {"villages": list(home["plan"].villages.values()), "child_counts": counts, **home}


CONTEXT_BY_ROLE = {
    "county": _county_context,
    "zone": _schools_context,
    "principal": _classes_context,
    "counselor": _classes_context,
    "head_teacher": _classes_context,
    "child_worker": _village_context,
    "committee": committee_home,
}


# An urgent concern nobody acknowledged in time, which the tick sent on to the zone and the county.
ESCALATED = fn.SUM(SqlCase(None, [(Concern.escalated_at.is_null(False) & (Concern.status == "new"), 1)], 0))


@prepared
def _open_concerns_by_urgency(slots):
    user = ScopeUser(slots)
    base = triage_concerns(user) if user.role in COUNSELLING else visible_concerns(user)
    return (
        base.select(Concern.urgency, fn.COUNT(Concern.id), ESCALATED)
        .where(Concern.status.in_(OPEN_STATUSES))
        .group_by(Concern.urgency)
        .tuples()
    )


def _waiting_concerns(user):
    """Open concerns by urgency: what waits for triage (counsellor roles) or, for others,
    the concerns about their children that are still open; and how many of them went on to the
    zone and the county unacknowledged. One grouped query."""
    fixed, values = scope_values(user)
    rows = _open_concerns_by_urgency.rows(fixed, **values)
    return {urgency: count for urgency, count, _escalated in rows}, sum(int(escalated or 0) for *_, escalated in rows)


@bp.route("/")
@allow(*ALL_SIGNED_IN)
@offline_page
def index():
    user = current_user._get_current_object()
    roster_shown()  # the phone keeps her role's forms too (pwa.ROSTER_FORMS)
    context = CONTEXT_BY_ROLE[user.role](user)
    if user.role != "committee":
        context["waiting"], context["escalated"] = _waiting_concerns(user)
    if user.role == "head_teacher":
        context["visit_progress"] = head_teacher_progress(user, today())  # her 家访 coverage, one query
    if user.role in PEER_READERS:
        context.update(teacher_home(user))  # weekly class reports: to confirm, missing
    return render(f"home/{user.role}.html", **context)
