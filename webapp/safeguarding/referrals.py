"""Referrals (转介) to hospitals and agencies, tracked by feedback until an outcome is recorded."""
from peewee import IntegrityError

from .. import audit, entry_ids
from ..db import db
from ..models import Referral, ReferralFeedback


def refer(case, user, institution, referred_on, guardian_informed, guardian_consented, consent_how,
          handover_notes, client_uuid):
    """Record a referral once per client_uuid; returns (referral, created)."""
    existing = entry_ids.earlier_entry(Referral.created_by, client_uuid, user)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            referral = Referral.create(
                case=case, institution=institution, referred_on=referred_on,
                guardian_informed=guardian_informed, guardian_consented=guardian_consented,
                consent_how=consent_how or "", handover_notes=handover_notes, created_by=user,
                client_uuid=client_uuid,
            )
            audit.record("create_referral", referral, child_id=case.child_id, institution=institution.id)
    except IntegrityError as error:
        return entry_ids.after_race(Referral.created_by, client_uuid, user, error), False
    return referral, True


def add_feedback(referral, user, received_on, text, is_outcome):
    """Feedback keeps the referral from showing overdue; the outcome completes it."""
    with db.atomic():
        ReferralFeedback.create(referral=referral, author=user, received_on=received_on, text=text,
                                is_outcome=is_outcome)
        referral.last_feedback_on = max(filter(None, [referral.last_feedback_on, received_on]))
        if is_outcome:
            referral.outcome = text
            referral.outcome_on = received_on
        referral.save()
        audit.record("referral_feedback", referral, child_id=referral.case.child_id, outcome=is_outcome)
