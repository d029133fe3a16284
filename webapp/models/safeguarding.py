"""Safeguarding records: concerns, who was told, cases (一生一策), notes, referrals, key periods."""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from ..clock import utcnow
from .county import BaseModel, Child, User

URGENCIES = ("normal", "soon", "urgent")  # 常规 / 尽快处理 / 紧急
CONCERN_STATUSES = ("new", "acknowledged", "monitoring", "closed", "case")
RISK_LEVELS = ("general", "attention", "key", "high")  # 一般 / 关注 / 重点 / 高危
CASE_CATEGORIES = ("mental_health", "family", "left_behind", "psychiatric_history", "other")
# Where a concern came from; the other capabilities add their sources by name.
CONCERN_SOURCES = ("staff", "home_visit", "weekly_report", "peer_concern", "checkin", "repeated_mention")


class Concern(BaseModel):
    """A worrying signal about one child, followed until it is closed or becomes a case."""

    child = ForeignKeyField(Child, backref="concerns", on_delete="CASCADE")
    reporter = ForeignKeyField(User, null=True, backref="concerns_raised", on_delete="SET NULL")
    source = CharField(max_length=20, default="staff")
    source_id = IntegerField(null=True)
    urgency = CharField(max_length=8, index=True)
    description = TextField()
    made_at = DateTimeField()  # on the reporter's device (may be earlier when sent offline)
    received_at = DateTimeField(default=utcnow, index=True)
    client_uuid = CharField(max_length=36, unique=True)
    status = CharField(max_length=12, default="new", index=True)
    risk_level = CharField(max_length=10, null=True)
    acknowledged_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    acknowledged_at = DateTimeField(null=True)
    escalated_at = DateTimeField(null=True)  # claimed by the tick that escalated it
    triage_note = TextField(default="")
    closed_at = DateTimeField(null=True)
    # The child's current school, set by database triggers on every write (migration 0009) for
    # the school-based scopes: read it in queries, never rely on it in a fresh instance.
    school_id = IntegerField(null=True)
    # The case it belongs to (migration 0019): the one it grew from, or the child's open case
    # that it joined when it was raised or triaged. The case page lists a case's concerns by it.
    case_id = IntegerField(null=True, index=True)

    class Meta:
        indexes = ((("school_id", "status"), False),)


class Notification(BaseModel):
    """An in-app message to one user; `seen_at` records that she opened it."""

    user = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    kind = CharField(max_length=24)
    concern = ForeignKeyField(Concern, null=True, backref="notifications", on_delete="CASCADE")
    case_id = IntegerField(null=True)
    incident_id = IntegerField(null=True)  # a critical incident (migration 0022)
    rectification_id = IntegerField(null=True)  # a 整改 item of an inspection (migration 0028)
    created_at = DateTimeField(default=utcnow)
    seen_at = DateTimeField(null=True)
    # One notification per user and event, e.g. "concern:12:escalated", "case:5:review:2026-12-01".
    dedupe_key = CharField(max_length=60)

    class Meta:
        indexes = (
            (("user", "seen_at"), False),
            (("user", "dedupe_key"), True),
        )


class OutboundMessage(BaseModel):
    """A message for e-mail or the WeCom robot. Never holds a child's name or details."""

    channel = CharField(max_length=10)  # "email" or "wecom"
    recipient = CharField(max_length=200, default="")
    subject = CharField(max_length=200, default="")
    body = TextField()
    created_at = DateTimeField(default=utcnow)
    attempts = SmallIntegerField(default=0)
    claimed_until = DateTimeField(null=True)
    sent_at = DateTimeField(null=True, index=True)
    last_error = CharField(max_length=300, default="")
    # A failed alert waits before its next try (tick.retry_delay: doubling, capped); `failure` is
    # the kind of error (channels.failure_kind), what the county is shown.
    next_attempt_at = DateTimeField(null=True)
    last_attempt_at = DateTimeField(null=True)
    failure = CharField(max_length=20, default="")


class Lease(BaseModel):
    """Who does a kind of work now ("tick"): taken while free or expired, given back when done
    (webapp/lease.py), so two hosts or processes ticking at once do the work once."""

    name = CharField(max_length=40, primary_key=True)
    holder = CharField(max_length=100, default="")
    expires_at = DateTimeField(null=True)


class Case(BaseModel):
    """The child's 一生一策 plan. A child has at most one open case: the database holds it with a
    partial unique index on child_id where status is "open" (migration 0019), the service
    (safeguarding.cases) refuses a second one before the database has to."""

    child = ForeignKeyField(Child, backref="cases", on_delete="CASCADE")
    concern = ForeignKeyField(Concern, null=True, backref="cases", on_delete="SET NULL")
    level = CharField(max_length=10, index=True)
    categories = CharField(max_length=100, default="")  # comma-separated CASE_CATEGORIES
    goals = TextField(default="")
    measures = TextField(default="")
    status = CharField(max_length=8, default="open", index=True)
    opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    opened_at = DateTimeField(default=utcnow)
    next_review_on = DateField(null=True, index=True)
    closed_at = DateTimeField(null=True)
    close_reason = TextField(default="")
    client_uuid = CharField(max_length=36, unique=True)

    @property
    def category_list(self):
        return [c for c in self.categories.split(",") if c]


class CaseMember(BaseModel):
    """A care-team member; exactly one is responsible (一对一), others join (多对一)."""

    case = ForeignKeyField(Case, backref="members", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="case_links", on_delete="CASCADE")
    responsible = BooleanField(default=False)

    class Meta:
        indexes = ((("case", "user"), True),)


class LevelChange(BaseModel):
    case = ForeignKeyField(Case, backref="level_changes", on_delete="CASCADE")
    from_level = CharField(max_length=10, null=True)
    to_level = CharField(max_length=10)
    changed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    changed_at = DateTimeField(default=utcnow)
    reason = TextField(default="")


class CaseNote(BaseModel):
    """A follow-up note. Restricted notes are read by counsellor roles only."""

    case = ForeignKeyField(Case, backref="notes", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    text = TextField()
    restricted = BooleanField(default=False)
    is_review = BooleanField(default=False)
    contacted_on = DateField()
    made_at = DateTimeField()
    received_at = DateTimeField(default=utcnow)
    client_uuid = CharField(max_length=36, unique=True)


class Institution(BaseModel):
    """A hospital, psychiatric clinic or social-work agency children are referred to."""

    name = CharField(max_length=100, unique=True)
    kind = CharField(max_length=20, default="hospital")
    active = BooleanField(default=True)


class Referral(BaseModel):
    """转介: a case handed to an institution, tracked until an outcome is recorded."""

    case = ForeignKeyField(Case, backref="referrals", on_delete="CASCADE")
    institution = ForeignKeyField(Institution, backref="referrals", on_delete="RESTRICT")
    referred_on = DateField()
    guardian_informed = BooleanField(default=False)
    guardian_consented = BooleanField(default=False)
    consent_how = CharField(max_length=20, default="")
    handover_notes = TextField(default="")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    last_feedback_on = DateField(null=True)
    outcome = TextField(default="")
    outcome_on = DateField(null=True)
    client_uuid = CharField(max_length=36, unique=True)


class ReferralFeedback(BaseModel):
    referral = ForeignKeyField(Referral, backref="feedback", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    received_on = DateField()
    text = TextField()
    is_outcome = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)


class KeyPeriod(BaseModel):
    """重点时段: during one, care teams contact every child on their cases."""

    kind = CharField(max_length=20)  # school_start / exams / holidays / graduation
    starts_on = DateField()
    ends_on = DateField()
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    announced_at = DateTimeField(null=True)  # claimed by the tick that told the teams


MODELS = [
    Concern, Notification, OutboundMessage, Case, CaseMember, LevelChange, CaseNote, Institution,
    Referral, ReferralFeedback, KeyPeriod, Lease,
]

__all__ = [model.__name__ for model in MODELS] + [
    "URGENCIES", "CONCERN_STATUSES", "RISK_LEVELS", "CASE_CATEGORIES", "CONCERN_SOURCES",
]
