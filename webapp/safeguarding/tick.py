"""Timed work, run every minute: escalations, reminders, alerts, tallies, old sign-in attempts.
Cron runs it with `flask --app wsgi tick`; the demo (and production with RUN_TIMED_WORK=1) runs
it in-process (timed_work.py).

One tick at a time does the work: each takes the "tick" lease (webapp/lease.py) and a tick that
finds it held does nothing. Behind the lease every job is still idempotent and safe when two
ticks overlap (a holder slower than its lease): one-off events are claimed with a conditional
UPDATE (only the tick whose UPDATE changed the row acts), each alert is claimed before it is
sent, and notifications are deduplicated by the unique (user, dedupe_key) index.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from peewee import fn

from .. import audit, lease
from ..auth import throttle
from ..clock import to_local, utcnow
from ..dashboard.tallied import fill_day
from ..db import db
from ..models import (
    Case,
    CaseMember,
    Child,
    Concern,
    KeyPeriod,
    Notification,
    OutboundMessage,
    Referral,
    User,
)
from ..programme import kept as kept_matrix
from . import channels, notify
from .concerns import zone_and_county
from .rules import escalation_due, referral_overdue

CLAIM_FOR = timedelta(minutes=5)  # one message's claim: far longer than its slowest send
LEASE = "tick"
KEY_CHUNK = 400  # dedupe keys per existence query, well under SQLite's variable limit


@dataclass
class TickReport:
    escalated: int = 0
    review_reminders: int = 0
    key_periods: int = 0
    referral_reminders: int = 0
    tallies: int = 0
    sent: int = 0
    failed: int = 0
    failed_jobs: list = field(default_factory=list)
    skipped: bool = False  # another tick held the lease: this one did nothing

    def summary(self):
        if self.skipped:
            return "another tick is running (it holds the lease); nothing done"
        text = (
            f"escalated {self.escalated} concern(s); review reminders {self.review_reminders}; "
            f"key periods announced {self.key_periods}; referral reminders {self.referral_reminders}; "
            f"alerts sent {self.sent}, failed {self.failed}; dashboard tallies computed {self.tallies}"
        )
        if self.failed_jobs:
            text += "; jobs failed: " + ", ".join(self.failed_jobs)
        return text


def _active_members(cases_query, responsible_only=False):
    """(case id, user) for the active care-team members of the cases selected, in one query."""
    query = (
        CaseMember.select(CaseMember.case, User)
        .join(User)
        .where(CaseMember.case.in_(cases_query) & User.active)
    )
    if responsible_only:
        query = query.where(CaseMember.responsible)
    return [(link.case_id, link.user) for link in query.order_by(CaseMember.case, User.id)]


def _already_told(pairs):
    """The (user id, dedupe key) pairs among `pairs` that already have their notification."""
    keys = sorted({key for _user_id, key in pairs})
    user_ids = {user_id for user_id, _key in pairs}
    found = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start:start + KEY_CHUNK]
        rows = Notification.select(Notification.user, Notification.dedupe_key).where(
            Notification.dedupe_key.in_(chunk) & Notification.user.in_(list(user_ids))
        )
        found.update((row.user_id, row.dedupe_key) for row in rows)
    return found & set(pairs)


def _notify_groups(groups, kind):
    """groups: {(dedupe key, case id): [users]}. Skips those already told (so a tick every
    minute does not retry thousands of inserts), returns how many were newly notified."""
    told = _already_told([(user.id, key) for (key, _case_id), users in groups.items() for user in users])
    count = 0
    for (key, case_id), users in groups.items():
        fresh = [user for user in users if (user.id, key) not in told]
        if fresh:
            count += len(notify.notify(fresh, kind, key, case_id=case_id))
    return count


def escalate_concerns(now, report):
    """Urgent concerns nobody acknowledged in time go to the zone and the county, once."""
    after = current_app.config["ESCALATE_AFTER"]
    due = (
        Concern.select(Concern, Child)
        .join(Child)
        .where(
            (Concern.urgency == "urgent") & (Concern.status == "new") & Concern.escalated_at.is_null()
            & (Concern.received_at <= now - after)
        )
        .order_by(Concern.id)
    )
    # list(): on SQLite an unfinished SELECT keeps a read snapshot open, and a write on a
    # stale snapshot fails at once instead of waiting for the other tick's transaction.
    for concern in list(due):
        if not escalation_due(concern.urgency, concern.status, concern.received_at, None, now, after):
            continue
        # Claim and tell in one transaction: if telling fails the claim is undone and the next
        # tick tries again; a concurrent tick waits on the row and then finds it claimed.
        with db.atomic():
            claimed = (
                Concern.update(escalated_at=now)
                .where(
                    (Concern.id == concern.id) & Concern.escalated_at.is_null() & (Concern.status == "new")
                )
                .execute()
            )
            if claimed != 1:
                continue
            told = notify.notify(
                zone_and_county(concern.child), "concern_escalated", f"concern:{concern.id}:escalated",
                concern=concern,
            )
            notify.queue_alerts(told, urgent_count=1)
            audit.record("escalate_concern", concern, child_id=concern.child_id, user=None)
        report.escalated += 1


def remind_reviews(today, report):
    """Care teams of open cases whose review is due hear of it once per review date."""
    due = (
        CaseMember.select(Case.id, Case.next_review_on, User)
        .join_from(CaseMember, Case)
        .join_from(CaseMember, User)
        .where((Case.status == "open") & (Case.next_review_on <= today) & User.active)
    )
    groups = defaultdict(list)
    for link in due:
        case = link.case
        groups[(f"case:{case.id}:review:{case.next_review_on.isoformat()}", case.id)].append(link.user)
    report.review_reminders += _notify_groups(groups, "case_review_due")


def announce_key_periods(now, today, report):
    """A key period that has begun is announced once to every care team of an open case."""
    starting = KeyPeriod.select(KeyPeriod.id).where(
        (KeyPeriod.starts_on <= today) & (KeyPeriod.ends_on >= today) & KeyPeriod.announced_at.is_null()
    )
    for period in list(starting):
        with db.atomic():
            claimed = (
                KeyPeriod.update(announced_at=now)
                .where((KeyPeriod.id == period.id) & KeyPeriod.announced_at.is_null())
                .execute()
            )
            if claimed != 1:
                continue
            open_cases = Case.select(Case.id).where(Case.status == "open")
            users = [user for _case_id, user in _active_members(open_cases)]
            notify.notify(users, "key_period", f"keyperiod:{period.id}")
        report.key_periods += 1


def remind_referrals(today, report):
    """The responsible adult hears when a referral without an outcome has had no news for
    REFERRAL_FEEDBACK_DAYS; again only after fresh news goes stale."""
    days = current_app.config["REFERRAL_FEEDBACK_DAYS"]
    cutoff = today - timedelta(days=days)
    stale_query = (
        Referral.select(Referral.id, Referral.case, Referral.referred_on, Referral.last_feedback_on)
        .join(Case)
        .where(
            (Case.status == "open") & Referral.outcome_on.is_null()
            & (fn.COALESCE(Referral.last_feedback_on, Referral.referred_on) <= cutoff)
        )
    )
    stale = [r for r in stale_query if referral_overdue(r.referred_on, r.last_feedback_on, None, today, days)]
    if not stale:
        return
    responsible = dict(_active_members(stale_query.select(Referral.case), responsible_only=True))
    groups = defaultdict(list)
    for referral in stale:
        if referral.case_id in responsible:
            last_news = referral.last_feedback_on or referral.referred_on
            key = f"referral:{referral.id}:overdue:{last_news.isoformat()}"
            groups[(key, referral.case_id)].append(responsible[referral.case_id])
    report.referral_reminders += _notify_groups(groups, "referral_overdue")


def _pending(now):
    """Unsent, not claimed by a sender, and not waiting out a backoff."""
    return (
        OutboundMessage.sent_at.is_null()
        & (OutboundMessage.claimed_until.is_null() | (OutboundMessage.claimed_until < now))
        & (OutboundMessage.next_attempt_at.is_null() | (OutboundMessage.next_attempt_at <= now))
    )


def retry_delay(attempts, config):
    """How long a message that has failed `attempts` times waits: base · 2^(attempts − 1), capped
    (1, 2, 4, … minutes), so a mail server that is down is not hammered every minute."""
    base, cap = config["OUTBOUND_RETRY_BASE"], config["OUTBOUND_RETRY_CAP"]
    return min(base * 2 ** min(max(attempts - 1, 0), 30), cap)


def send_alerts(now, report):
    """Send queued alerts; a failure is recorded and the message waits out its backoff, never
    raised. After OUTBOUND_MAX_ATTEMPTS tries it is left unsent and shown to the county
    (alert_failures.py)."""
    config = current_app.config
    batch = (
        OutboundMessage.select()
        .where(_pending(now) & (OutboundMessage.attempts < config["OUTBOUND_MAX_ATTEMPTS"]))
        .order_by(OutboundMessage.id)
        .limit(config["OUTBOUND_BATCH"])
    )
    for message in list(batch):
        # Claimed from this moment, not from the tick's start: a slow batch must not reach its
        # last messages with claims already run out. Only the sender whose UPDATE changed the
        # row sends it.
        claimed_at = max(utcnow(), now)
        claimed = (
            OutboundMessage.update(claimed_until=claimed_at + CLAIM_FOR)
            .where((OutboundMessage.id == message.id) & _pending(claimed_at))
            .execute()
        )
        if claimed != 1:
            continue  # another sender has it
        try:
            channels.send(message)
        except Exception as exc:  # noqa: BLE001 - any channel failure must leave the row for a retry
            # The error names the failure only: alerts hold no child data, and neither may this.
            error = f"{type(exc).__name__}: {exc}"[:300]
            failed_at = max(utcnow(), now)
            attempts = message.attempts + 1
            OutboundMessage.update(
                attempts=OutboundMessage.attempts + 1, last_error=error, claimed_until=None,
                failure=channels.failure_kind(exc), last_attempt_at=failed_at,
                next_attempt_at=failed_at + retry_delay(attempts, config),
            ).where(OutboundMessage.id == message.id).execute()
            current_app.logger.warning("alert %s via %s failed: %s", message.id, message.channel,
                                       type(exc).__name__)
            report.failed += 1
            continue
        OutboundMessage.update(sent_at=now, last_error="", failure="", last_attempt_at=now).where(
            OutboundMessage.id == message.id
        ).execute()
        report.sent += 1


def fill_tallies(today, report):
    """Have the day's dashboard tallies and the county's compliance matrix ready before the first
    reader (a new day has none)."""
    report.tallies = fill_day(today)[0]
    kept_matrix.fill_day(today)  # not in report.tallies: those are the dashboards'


def run_tick(now=None):
    """Run every job once, if no other tick is running; returns a TickReport (skipped when
    another tick holds the lease). One job failing does not stop the others."""
    now = now or utcnow()
    with lease.held(LEASE, now, current_app.config["TICK_LEASE"]) as holder:
        if holder is None:
            return TickReport(skipped=True)
        return _run_jobs(now)


def _run_jobs(now):
    today = to_local(now).date()
    report = TickReport()
    jobs = (
        ("escalate", lambda: escalate_concerns(now, report)),
        ("reviews", lambda: remind_reviews(today, report)),
        ("key_periods", lambda: announce_key_periods(now, today, report)),
        ("referrals", lambda: remind_referrals(today, report)),
        ("alerts", lambda: send_alerts(now, report)),  # soon, so this tick's escalations go out now
        ("tallies", lambda: fill_tallies(today, report)),
        ("sign_in_attempts", lambda: throttle.forget_old(now)),
    )
    for name, job in jobs:
        try:
            job()
        except Exception:
            current_app.logger.exception("tick job %s failed", name)
            report.failed_jobs.append(name)
    return report


@click.command("tick")
@with_appcontext
def tick_command():
    """Run the timed work once (cron: every minute)."""
    with db.connection_context():
        report = run_tick()
    click.echo(report.summary())
    if report.failed_jobs:
        raise SystemExit(1)
