"""What incidents add to other pages: the home pages (the report button, follow-up tasks with the
overdue ones first), the dashboard (counts only), a child's chronology, the incident's timeline.
Each is a fixed number of queries whatever the county's size."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN, SQL, fn

from ..access import (
    STAFF,
    ScopeUser,
    can,
    scope_values,
    visible_children,
    visible_follow_ups,
    visible_incidents,
)
from ..clock import today, utcnow
from ..labels import INCIDENT_KIND_LABELS
from ..models import Child, FollowUp, Incident, IncidentChild, IncidentStep, School, SchoolClass, User
from ..prepared import prepared
from ..pwa import records_shown
from ..schoolyear import school_year_of
from ..timeline_entry import Entry

OVERSEERS = ("county", "zone", "counselor", "principal")


def _open_follow_ups(query):
    """Tasks not yet done, of incidents still open (a closed incident's tasks wait for no one)."""
    open_incidents = Incident.select(Incident.id).where(Incident.status == "open")
    return query.where(FollowUp.done_at.is_null() & FollowUp.incident.in_(open_incidents))


TASKS_SHOWN = 20  # her own tasks on the home page
OVERDUE_SHOWN = 10  # the scope's overdue tasks on the home page

# The home page asks these on every reading, so they are prepared (webapp/prepared.py): for a zone
# peewee took longer to write their SQL (the scope's nested subqueries) than PostgreSQL to answer.


@prepared
def _my_tasks(slots):
    return (_open_follow_ups(FollowUp.select(FollowUp, Child.id, Child.name)
                             .join(Child, on=(FollowUp.child == Child.id)))
            .where(FollowUp.owner == slots.user_id).order_by(FollowUp.due_at, FollowUp.id).limit(TASKS_SHOWN))


def my_tasks(user):
    """Her open follow-up tasks, the soonest due (so the overdue) first, with the pupil's name:
    she is the adult named to follow the pupil up."""
    return _my_tasks.rows(user_id=user.id)


@prepared
def _open_incidents(slots):
    return visible_incidents(ScopeUser(slots)).select(fn.COUNT(Incident.id)).where(Incident.status == "open").tuples()


@prepared
def _overdue_in_scope(slots):
    # The total rides on each row (a window count, taken before the LIMIT): one statement, not two.
    return (_open_follow_ups(visible_follow_ups(ScopeUser(slots))).where(FollowUp.due_at < slots.now)
            .select(FollowUp, User.id, User.display_name, fn.COUNT(SQL("*")).over().alias("total"))
            .join(User, JOIN.LEFT_OUTER, on=(FollowUp.owner == User.id))
            .order_by(FollowUp.due_at, FollowUp.id).limit(OVERDUE_SHOWN))


def overdue_in_scope(user, now):
    """For the counsellor (and principal, zone, county): overdue follow-ups of the incidents in
    her scope, whoever owns them, and how many there are."""
    fixed, values = scope_values(user)
    rows = _overdue_in_scope.rows(fixed, now=now, **values)
    return (rows[0].total if rows else 0), rows


def home(user):
    """The incident part of a staff member's home page."""
    if user.role not in STAFF:
        return None
    now = utcnow()
    figures = {"now": now, "tasks": my_tasks(user)}
    if user.role in OVERSEERS:
        fixed, values = scope_values(user)
        figures["open_incidents"] = _open_incidents.scalar(fixed, **values)
        figures["overdue_total"], figures["overdue"] = overdue_in_scope(user, now)
        shown = {row.child_id for row in figures["overdue"]}
        figures["names"] = visible_names(user, shown)
    return figures


@prepared
def _names(slots):
    return visible_children(ScopeUser(slots)).select(Child.id, Child.name).where(Child.id.in_(slots.child_ids)).tuples()


def visible_names(user, child_ids):
    """{child id: name} for the children among `child_ids` the user may see; the others stay
    unnamed ("a pupil")."""
    if not child_ids:
        return {}
    fixed, values = scope_values(user)
    return dict(_names.rows(fixed, child_ids=sorted(child_ids), **values))


def dashboard_figures(level, unit, now=None):
    """Open incidents and overdue follow-ups for a dashboard level (counts only)."""
    now = now or utcnow()
    incidents = Incident.select(Incident.id).where(Incident.status == "open")
    if level == "zone":
        incidents = incidents.where(Incident.school.in_(School.select(School.id).where(School.zone == unit.id)))
    elif level == "school":
        incidents = incidents.where(Incident.school == unit.id)
    elif level == "class":
        return None
    open_count = incidents.count()
    overdue = FollowUp.select().where(FollowUp.incident.in_(incidents) & FollowUp.done_at.is_null()
                                      & (FollowUp.due_at < now)).count()
    return {"open": open_count, "overdue": overdue}


def incident_entries(user, child):
    """The incidents the child was involved in or affected by, for those who may read them."""
    involved = IncidentChild.select(IncidentChild.incident).where(IncidentChild.child == child.id)
    affected = FollowUp.select(FollowUp.incident).where(FollowUp.child == child.id)
    rows = visible_incidents(user).where(Incident.id.in_(involved) | Incident.id.in_(affected))
    return [
        Entry(incident.happened_at, "incident",
              _("Critical incident: %(kind)s", kind=INCIDENT_KIND_LABELS.get(incident.kind, incident.kind)),
              url=url_for("incidents.show", incident_id=incident.id))
        for incident in rows
    ]


def timeline(incident, steps, follow_ups, people):
    """Opened, steps done, pupils added, tasks done, closed: newest last. Pupils are counted, not
    named (the list above names those the reader may see)."""
    events = [(incident.received_at, _("Opened by %(name)s", name=people.get(incident.opened_by_id, "—")))]
    for step in steps:
        if step.done_at:
            events.append((step.done_at, _("Step done: %(step)s (%(name)s)", step=step.text,
                                           name=people.get(step.done_by_id, "—"))))
    added = {}
    for row in follow_ups:
        key = (row.added_at, row.added_by_id, row.level)
        added[key] = added.get(key, 0) + 1
        if row.done_at:
            events.append((row.done_at, _("Follow-up done (%(name)s)", name=people.get(row.done_by_id, "—"))))
    for (at, by, level), count in added.items():
        words = _("%(count)d close pupils added", count=count) if level == "close" else \
            _("%(count)d other pupils added", count=count)
        events.append((at, f"{words} ({people.get(by, '—')})"))
    if incident.closed_at:
        closer = people.get(incident.closed_by_id, "—")
        events.append((incident.closed_at, _("Closed with a review (%(name)s)", name=closer)))
    return sorted(events, key=lambda event: event[0])


# The incident page reads these on every visit (a class's follow-ups and the people who act):
# prepared (webapp/prepared.py), so peewee writes their SQL once, not on each reading.

@prepared
def _people(slots):
    return User.select(User.id, User.display_name).where(User.id.in_(slots.ids)).tuples()


def people_named(ids):
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    return dict(_people.rows(ids=ids))


@prepared
def _steps(slots):
    return IncidentStep.select().where(IncidentStep.incident == slots.incident_id).order_by(IncidentStep.position)


def steps_of(incident):
    return _steps.rows(incident_id=incident.id)


@prepared
def _involved(slots):
    return IncidentChild.select(IncidentChild.child).where(IncidentChild.incident == slots.incident_id).tuples()


def involved_ids(incident):
    """The children directly involved, by id."""
    return [child_id for (child_id,) in _involved.rows(incident_id=incident.id)]


@prepared
def _follow_ups(slots):
    return (FollowUp.select().where(FollowUp.incident == slots.incident_id)
            .order_by(FollowUp.done_at.is_null(False), FollowUp.due_at, FollowUp.id))


def follow_ups_of(incident):
    """Every task of the incident, open ones first, the soonest due first."""
    return _follow_ups.rows(incident_id=incident.id)


@prepared
def _classes(slots):
    return (SchoolClass.select().where((SchoolClass.school == slots.school_id)
                                       & (SchoolClass.school_year == slots.year))
            .order_by(SchoolClass.grade, SchoolClass.number))


def classes_for_postvention(incident):
    """The classes of the incident's school this year, for "the whole class in two taps"."""
    if incident.school_id is None:
        return []
    return _classes.rows(school_id=incident.school_id, year=school_year_of(today()))


def current_user_home():
    """The template global: the home page's incident part for the signed-in user."""
    figures = home(current_user._get_current_object()) if current_user.is_authenticated else None
    if figures and (figures["tasks"] or figures.get("overdue")):
        records_shown()  # pupils' names with their follow-ups: the home is not kept on the phone
    return figures


def may(action, obj):
    return can(current_user, action, obj)
