"""A child's chronology: everything about her, newest first, each entry only for those who
may read it. Each capability contributes a source function (user, child) -> [timeline_entry.Entry]."""
from datetime import datetime, time

from .incidents.overview import incident_entries
from .peer.timeline import peer_entries
from .safeguarding.timeline import case_entries, concern_entries
from .screening.timeline import screening_entries
from .village.panel import checkin_entries
from .visits.timeline import visit_entries


def as_datetime(value):
    """Dates sort with datetimes as the start of their day."""
    return value if isinstance(value, datetime) else datetime.combine(value, time.min)


def sources():
    """Every capability's entries."""
    return [concern_entries, case_entries, visit_entries, checkin_entries, peer_entries, incident_entries,
            screening_entries]


def chronology(user, child, limit=200):
    entries = [entry for source in sources() for entry in source(user, child)]
    entries.sort(key=lambda entry: as_datetime(entry.when), reverse=True)
    return entries[:limit]
