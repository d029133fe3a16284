"""The safeguarding core's entries in a child's chronology, filtered by the policy module."""
from flask import url_for
from flask_babel import gettext as _

from ..access import can, visible_cases, visible_concerns
from ..labels import CONCERN_STATUS_LABELS, RISK_LEVEL_LABELS, URGENCY_LABELS
from ..models import Case, CaseNote, Concern, Institution, LevelChange, Referral
from ..timeline_entry import Entry


def _status(concern):
    status = str(CONCERN_STATUS_LABELS[concern.status])
    # Joined the child's open case (at once, or at triage): its status goes on, and says so.
    return f"{status} · {_('Joined a case')}" if concern.case_id is not None else status


def concern_entries(user, child):
    concerns = visible_concerns(user).where(Concern.child == child.id).order_by(Concern.received_at.desc())
    return [
        Entry(
            concern.received_at, "concern",
            _("Concern: %(urgency)s", urgency=URGENCY_LABELS[concern.urgency]),
            concern.description, url_for("concerns.show", concern_id=concern.id),
            _status(concern),
        )
        for concern in concerns
    ]


def case_entries(user, child):
    """Level changes for whoever may open the case; notes and referrals only for those who
    may read them (principals see the level, not the notes; restricted notes stay with the
    psychology teachers)."""
    entries = []
    for case in visible_cases(user).where(Case.child == child.id):
        url = url_for("cases.show", case_id=case.id)
        for change in case.level_changes.order_by(LevelChange.changed_at):
            entries.append(Entry(change.changed_at, "level", _("Case level: %(level)s",
                                  level=RISK_LEVEL_LABELS.get(change.to_level, change.to_level)), url=url))
        if not can(user, "read_case_notes", case):
            continue
        restricted_too = can(user, "read_restricted_notes", case)  # once per case, not per note
        for note in case.notes.order_by(CaseNote.contacted_on):
            if note.restricted and not restricted_too:
                continue
            entries.append(Entry(note.contacted_on, "note", _("Follow-up"), note.text, url))
        for referral in case.referrals.select(Referral, Institution).join(Institution).order_by(Referral.referred_on):
            entries.append(Entry(referral.referred_on, "referral",
                                  _("Referred to %(place)s", place=referral.institution.name), url=url))
    return entries
