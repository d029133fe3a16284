"""The village side of a child's page and chronology, each part only for those the policy allows."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import fn

from ..access import can, visible_checkins
from ..labels import CHECKIN_KIND_LABELS, WELLBEING_LABELS
from ..models import Activity, Attendance, CheckIn, LeftBehindFile, User, WorkerVillage
from ..timeline_entry import Entry
from . import idcard, links


def child_panel(child):
    """For the child page: who follows her in the village and when she was last checked in on
    (everyone who may open the child); her file and the ID number for those who may read it
    (masked but for the county). None when no village knows her."""
    user = current_user._get_current_object()
    if child.village_id is None:
        return None
    record = LeftBehindFile.get_or_none(LeftBehindFile.child == child.id)
    files_her = can(user, "file_child", child)
    if record is None and not files_her:
        return None
    workers = [u.display_name for u in User.select(User.display_name).join(WorkerVillage)
               .where((WorkerVillage.village == child.village_id) & User.active).order_by(User.display_name)]
    last = CheckIn.select(fn.MAX(CheckIn.day)).where(CheckIn.child == child.id).scalar()
    reads_file = record is not None and can(user, "read_village_file", child)
    id_card = ""
    if reads_file and record.id_card:
        id_card = record.id_card if can(user, "see_full_id_card", child) else idcard.masked(record.id_card)
    return {
        "record": record if reads_file else None, "on_register": record is not None, "workers": workers,
        "last_checkin": last, "files_her": files_her, "id_card": id_card,
        # Her registration may be a pupil she was not shown: say so, and that the county checks.
        "awaiting_link": reads_file and links.pending_for(record) is not None,
    }


def unconfirmed_ids(children):
    """Ids of the listed children whose file lacks the guardian's confirmation (one query)."""
    ids = [child.id for child in children]
    if not ids:
        return set()
    return {row.child_id for row in LeftBehindFile.select(LeftBehindFile.child)
            .where(LeftBehindFile.child.in_(ids) & LeftBehindFile.confirmed_on.is_null())}


def _status_line(checkin):
    parts = [f"{label}:{WELLBEING_LABELS[getattr(checkin, field)]}" for field, label in (
        ("mood", _("Mood")), ("health", _("Health")), ("study", _("Study")), ("safety", _("Safety")))]
    return " · ".join(parts)


def checkin_entries(user, child):
    """Check-ins and 童伴之家 attendances, for those who may read the contents of check-ins."""
    if not can(user, "read_checkins_of", child):
        return []
    entries = []
    for checkin in visible_checkins(user).where(CheckIn.child == child.id).order_by(CheckIn.day.desc()):
        detail = "\n".join(part for part in (_status_line(checkin), checkin.needs, checkin.notes) if part)
        entries.append(Entry(
            checkin.day, "checkin",
            _("Child worker: %(kind)s", kind=CHECKIN_KIND_LABELS.get(checkin.kind, checkin.kind)),
            detail, url_for("checkins.show", checkin_id=checkin.id),
            str(WELLBEING_LABELS["worrying"]) if checkin.worrying else "",
        ))
    attended = (Activity.select(Activity.day, Activity.title).join(Attendance)
                .where(Attendance.child == child.id).order_by(Activity.day.desc()).limit(50))
    for activity in attended:
        entries.append(Entry(activity.day, "activity", _("At the 童伴之家: %(title)s", title=activity.title)))
    return entries
