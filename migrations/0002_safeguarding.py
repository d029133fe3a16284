"""Safeguarding: concerns, notifications, outbound messages, cases, notes, referrals, key periods.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    # Existing tables, referenced by foreign keys only.
    class Child(Base):
        pass

    class User(Base):
        pass

    class Concern(Base):
        child = ForeignKeyField(Child, backref="concerns", on_delete="CASCADE")
        reporter = ForeignKeyField(User, null=True, backref="concerns_raised", on_delete="SET NULL")
        source = CharField(max_length=20, default="staff")
        source_id = IntegerField(null=True)
        urgency = CharField(max_length=8, index=True)
        description = TextField()
        made_at = DateTimeField()  # on the reporter's device (may be earlier when sent offline)
        received_at = DateTimeField(index=True)
        client_uuid = CharField(max_length=36, unique=True)
        status = CharField(max_length=12, default="new", index=True)
        risk_level = CharField(max_length=10, null=True)
        acknowledged_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        acknowledged_at = DateTimeField(null=True)
        escalated_at = DateTimeField(null=True)  # claimed by the tick that escalated it
        triage_note = TextField(default="")
        closed_at = DateTimeField(null=True)

    class Notification(Base):
        user = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
        kind = CharField(max_length=24)
        concern = ForeignKeyField(Concern, null=True, backref="notifications", on_delete="CASCADE")
        case_id = IntegerField(null=True)
        created_at = DateTimeField()
        seen_at = DateTimeField(null=True)
        # One notification per user and event, e.g. "concern:12:escalated", "case:5:review:2026-12-01".
        dedupe_key = CharField(max_length=60)

        class Meta:
            indexes = (
                (("user", "seen_at"), False),
                (("user", "kind", "concern", "case_id"), True),
            )

    class OutboundMessage(Base):
        channel = CharField(max_length=10)  # "email" or "wecom"
        recipient = CharField(max_length=200, default="")
        subject = CharField(max_length=200, default="")
        body = TextField()
        created_at = DateTimeField()
        attempts = SmallIntegerField(default=0)
        claimed_until = DateTimeField(null=True)
        sent_at = DateTimeField(null=True, index=True)
        last_error = CharField(max_length=300, default="")

    class Case(Base):
        child = ForeignKeyField(Child, backref="cases", on_delete="CASCADE")
        concern = ForeignKeyField(Concern, null=True, backref="cases", on_delete="SET NULL")
        level = CharField(max_length=10, index=True)
        categories = CharField(max_length=100, default="")  # comma-separated CASE_CATEGORIES
        goals = TextField(default="")
        measures = TextField(default="")
        status = CharField(max_length=8, default="open", index=True)
        opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        opened_at = DateTimeField()
        next_review_on = DateField(null=True, index=True)
        closed_at = DateTimeField(null=True)
        close_reason = TextField(default="")
        client_uuid = CharField(max_length=36, unique=True)


    class CaseMember(Base):
        case = ForeignKeyField(Case, backref="members", on_delete="CASCADE")
        user = ForeignKeyField(User, backref="case_links", on_delete="CASCADE")
        responsible = BooleanField(default=False)

        class Meta:
            indexes = ((("case", "user"), True),)

    class LevelChange(Base):
        case = ForeignKeyField(Case, backref="level_changes", on_delete="CASCADE")
        from_level = CharField(max_length=10, null=True)
        to_level = CharField(max_length=10)
        changed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        changed_at = DateTimeField()
        reason = TextField(default="")

    class CaseNote(Base):
        case = ForeignKeyField(Case, backref="notes", on_delete="CASCADE")
        author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        text = TextField()
        restricted = BooleanField(default=False)
        is_review = BooleanField(default=False)
        contacted_on = DateField()
        made_at = DateTimeField()
        received_at = DateTimeField()
        client_uuid = CharField(max_length=36, unique=True)

    class Institution(Base):
        name = CharField(max_length=100, unique=True)
        kind = CharField(max_length=20, default="hospital")
        active = BooleanField(default=True)

    class Referral(Base):
        case = ForeignKeyField(Case, backref="referrals", on_delete="CASCADE")
        institution = ForeignKeyField(Institution, backref="referrals", on_delete="RESTRICT")
        referred_on = DateField()
        guardian_informed = BooleanField(default=False)
        guardian_consented = BooleanField(default=False)
        consent_how = CharField(max_length=20, default="")
        handover_notes = TextField(default="")
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        created_at = DateTimeField()
        last_feedback_on = DateField(null=True)
        outcome = TextField(default="")
        outcome_on = DateField(null=True)
        client_uuid = CharField(max_length=36, unique=True)

    class ReferralFeedback(Base):
        referral = ForeignKeyField(Referral, backref="feedback", on_delete="CASCADE")
        author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        received_on = DateField()
        text = TextField()
        is_outcome = BooleanField(default=False)
        created_at = DateTimeField()

    class KeyPeriod(Base):
        kind = CharField(max_length=20)  # school_start / exams / holidays / graduation
        starts_on = DateField()
        ends_on = DateField()
        created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
        announced_at = DateTimeField(null=True)  # claimed by the tick that told the teams

    models = [
        Concern, Notification, OutboundMessage, Case, CaseMember, LevelChange, CaseNote, Institution,
        Referral, ReferralFeedback, KeyPeriod,
    ]
    for model in models + [Child, User]:
        model._meta.set_database(database)
    return models


def up(migrator, db):
    db.create_tables(frozen_models(db))
    # Staff may give an e-mail address for optional alerts (which never carry child data).
    migrator.migrate(migrator.add_column("user", "email", CharField(max_length=120, default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "email"))
    db.drop_tables(frozen_models(db))
