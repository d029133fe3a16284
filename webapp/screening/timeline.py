"""The screening's part of a child's chronology: "参加测评" and the follow-up of a 测评预警.
Psychology teachers in scope see the instrument, the level and a link; the head teacher and the
principal only that she took part and that a follow-up waits or was done; others nothing."""
from flask import url_for
from flask_babel import gettext as _

from ..access import COUNSELLING, SCHOOL_SIDE, can
from ..labels import RISK_LEVEL_LABELS
from ..models import ScreeningResult, ScreeningWarning
from ..timeline_entry import Entry
from . import OUTCOME_LABELS, instruments


def screening_entries(user, child):
    if user.role not in SCHOOL_SIDE or not can(user, "read_child", child):
        return []
    reader = user.role in COUNSELLING
    entries = []
    results = list(ScreeningResult.select().where(ScreeningResult.child == child.id).order_by(ScreeningResult.id))
    warnings = {w.result_id: w for w in ScreeningWarning.select().where(ScreeningWarning.child == child.id)}
    for result in results:
        if reader:
            instrument = instruments.get(result.instrument)
            entries.append(Entry(result.taken_on, "screening", _("Took part in the screening: %(name)s",
                                                                 name=instrument.short if instrument else ""),
                                 badge=str(RISK_LEVEL_LABELS.get(result.level, "")),
                                 url=url_for("screening.result", result_id=result.id)))
        else:
            entries.append(Entry(result.taken_on, "screening", _("Took part in the screening")))
        warning = warnings.get(result.id)
        if warning is None:
            continue
        if warning.closed_at:
            title = (_("Screening warning followed up: %(outcome)s", outcome=OUTCOME_LABELS[warning.outcome])
                     if reader else _("Screening follow-up done"))
            entries.append(Entry(warning.closed_at, "screening", title,
                                 url=url_for("screening.warning", warning_id=warning.id) if reader else None))
        else:
            entries.append(Entry(warning.raised_at, "screening", _("Waiting for a screening follow-up"),
                                 url=url_for("screening.warning", warning_id=warning.id) if reader else None))
    return entries
