"""Home visits in a child's chronology, for those the policy lets read them."""
from flask import url_for
from flask_babel import gettext as _

from ..access import visible_visits
from ..labels import VISIT_MODE_LABELS
from ..models import HomeVisit
from ..timeline_entry import Entry


def visit_entries(user, child):
    visits = visible_visits(user).where(HomeVisit.child == child.id).order_by(HomeVisit.visited_on.desc())
    return [
        Entry(
            visit.visited_on, "home_visit",
            _("Home visit: %(mode)s", mode=VISIT_MODE_LABELS.get(visit.mode, visit.mode)),
            visit.findings, url_for("visits.show", visit_id=visit.id),
            _("Follow-up needed") if visit.follow_up else "",
        )
        for visit in visits
    ]
