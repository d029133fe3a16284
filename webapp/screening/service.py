"""Writing screening results and what they raise: a 测评预警 for 关注 and above or a critical
answer, with its deadline; a critical answer also raises an urgent concern, so the existing
urgent path (head teacher, principal, escalation after 30 minutes) applies as to any concern.
And the follow-up: the interview (约谈) and the outcome that alone closes a warning."""
import json

from flask_babel import force_locale
from flask_babel import gettext as _
from peewee import IntegrityError

from .. import audit, entry_ids
from ..clock import utcnow
from ..db import db
from ..models import Concern, ScreeningResult, ScreeningWarning
from ..safeguarding import cases
from ..safeguarding import concerns as concern_service
from . import instruments, settings

WARNING_LEVELS = ("attention", "key", "high")


class NoOpenCase(Exception):
    """The outcome "case" needs the child's open 一生一策 case (opened first on the case page)."""


def result_values(instrument, child, total, subscales, answers, values):
    """The computed part of a result: level and critical, from the thresholds in force."""
    critical = False
    if answers is not None:
        total, critical = instruments.score_answers(instrument, answers)
    level = instruments.level_for(instrument, total, subscales, values)
    return total, level, critical


def record_result(child, instrument, *, total=0, subscales=None, answers=None, source, taken_on, user,
                  client_uuid, screening_round=None, values=None):
    """Store a result once per client_uuid and raise what it calls for. Returns (result, created)."""
    existing = ScreeningResult.get_or_none(ScreeningResult.client_uuid == client_uuid)
    if existing is not None:
        return existing, False
    values = values if values is not None else settings.current()
    total, level, critical = result_values(instrument, child, total, subscales, answers, values)
    try:
        with db.atomic():
            result = ScreeningResult.create(
                round=screening_round, child=child.id, school=child.school_id, school_class=child.school_class_id,
                instrument=instrument.code, total=total, subscales=json.dumps(subscales or {}),
                answers=json.dumps(answers) if answers is not None else "", level=level, critical=critical,
                source=source, taken_on=taken_on, entered_by=user, client_uuid=client_uuid,
            )
            raise_warning(result, child, user, values)
            audit.record("screening_result", result, child_id=child.id, instrument=instrument.code, source=source)
    except IntegrityError:
        return ScreeningResult.get(ScreeningResult.client_uuid == client_uuid), False
    return result, True


def raise_warning(result, child, user, values, now=None):
    """A warning for a result at 关注 or above, or with a critical answer; None otherwise."""
    if result.level not in WARNING_LEVELS and not result.critical:
        return None
    now = now or utcnow()
    level = result.level if result.level in WARNING_LEVELS else "attention"
    warning = ScreeningWarning.create(
        result=result, round_id=result.round_id, child=child.id, school=child.school_id, level=level,
        critical=result.critical, raised_at=now, due_at=settings.due_at(now, level, result.critical, values),
    )
    if result.critical:
        concern, _created = concern_service.raise_concern(
            child, user, "urgent", _critical_text(result), now,
            entry_ids.derived_id("screening_critical", result.id), source="screening", source_id=result.id,
            derived=True,
        )
        warning.concern_id = concern.id
        warning.save()
    return warning


def _critical_text(result):
    """The concern's words: which instrument flagged her (no answers, no score: the concern is
    read by her head teacher too)."""
    with force_locale("zh_Hans_CN"):
        return _("Screening (%(instrument)s): an answer about harming herself needs contact today.",
                 instrument=instruments.get(result.instrument).short)


def record_interview(warning, user, interviewed_on, note):
    warning.interviewed_on, warning.interview_note = interviewed_on, note
    warning.save()
    audit.record("screening_interview", warning, child_id=warning.child_id)


def close_warning(warning, user, outcome, reason, rescreen_weeks=None, now=None):
    """Close with an outcome (排除 with its reason / 继续关注 / 一生一策 case). A warning is never
    closed without one; the outcome "case" joins the child's open case."""
    now = now or utcnow()
    if outcome not in ("excluded", "monitor", "case"):
        raise ValueError(outcome)
    if outcome == "excluded" and not reason.strip():
        raise ValueError("reason")
    case_id = None
    if outcome == "case":
        case = cases.open_case_of(warning.child_id)
        if case is None:
            raise NoOpenCase()
        case_id = case.id
    updated = ScreeningWarning.update(
        outcome=outcome, outcome_reason=reason.strip(), case_id=case_id, closed_by=user.id, closed_at=now,
        rescreen_on=(now.date() + _weeks(rescreen_weeks)) if outcome == "monitor" and rescreen_weeks else None,
    ).where((ScreeningWarning.id == warning.id) & ScreeningWarning.closed_at.is_null()).execute()
    if updated:
        audit.record("screening_close_warning", warning, child_id=warning.child_id, outcome=outcome, case=case_id)
        if warning.concern_id:  # the urgent concern of a critical answer is answered by the same interview
            Concern.update(status="acknowledged", acknowledged_by=user.id, acknowledged_at=now).where(
                (Concern.id == warning.concern_id) & (Concern.status == "new")).execute()
    return bool(updated)


def _weeks(count):
    from datetime import timedelta

    return timedelta(weeks=count)
