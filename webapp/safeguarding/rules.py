"""Rules of the safeguarding core as plain functions of plain values (tested without HTTP)."""
from datetime import timedelta

# Review cadence by risk level, in days (configurable through REVIEW_DAYS).
DEFAULT_REVIEW_DAYS = {"high": 7, "key": 14, "attention": 30}
LEDGER_LEVELS = ("key", "high")  # 重点 / 高危 go to the provincial ledger
OPEN_STATUSES = ("new", "acknowledged", "monitoring")


def escalation_due(urgency, status, received_at, escalated_at, now, after):
    """An urgent concern nobody has acknowledged within `after` escalates, once."""
    return (
        urgency == "urgent"
        and status == "new"
        and escalated_at is None
        and now - received_at >= after
    )


def next_review_on(level, from_day, review_days=None):
    """The next review date for a case at `level`, counted from `from_day`; None when the level
    asks for no scheduled review."""
    days = (review_days or DEFAULT_REVIEW_DAYS).get(level)
    return from_day + timedelta(days=days) if days else None


def review_overdue(next_review, today):
    return next_review is not None and next_review < today


def referral_overdue(referred_on, last_feedback_on, outcome_on, today, days):
    """A referral without an outcome whose last news (or the referral itself) is `days` old."""
    if outcome_on is not None:
        return False
    last_news = last_feedback_on or referred_on
    return (today - last_news).days >= days
