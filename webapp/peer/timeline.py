"""The committee's entries in a child's chronology: being named in a weekly class report and
being helped by a committee member. Only for her class's head teacher and her school's
counsellors and principal (access.PEER_READERS); concerns raised from them show as concerns."""
from babel.lists import format_list
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..access import PEER_READERS, peer_class_ids, visible_peer_support
from ..labels import SUPPORT_TOPIC_LABELS, URGENCY_LABELS
from ..models import PeerSupport, ReportMention, WeeklyReport
from ..timeline_entry import Entry


def peer_entries(user, child):
    if user.role not in PEER_READERS:
        return []
    mentions = (
        ReportMention.select(ReportMention, WeeklyReport)
        .join(WeeklyReport)
        .where((ReportMention.child == child.id) & WeeklyReport.school_class.in_(peer_class_ids(user)))
    )
    entries = [
        Entry(m.report.received_at, "weekly_report", _("Named in the weekly class report"), m.noticed,
              url_for("peer.report", report_id=m.report_id), str(URGENCY_LABELS.get(m.urgency, m.urgency)))
        for m in mentions
    ]
    for entry in visible_peer_support(user).where(PeerSupport.child == child.id):
        topics = format_list([str(SUPPORT_TOPIC_LABELS.get(t, t)) for t in entry.topic_list],
                             style="standard-narrow", locale=get_locale())
        detail = "\n".join(part for part in (topics, entry.about, entry.done) if part)
        entries.append(Entry(entry.received_at, "peer_support", _("Helped by a psychology committee member"),
                             detail, url_for("peer.support")))
    return entries
