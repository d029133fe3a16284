"""Storing what committee members send, once per entry, and turning worrying mentions into concerns."""
from flask_babel import force_locale
from flask_babel import gettext as _
from peewee import IntegrityError, fn

from .. import audit, entry_ids
from ..db import db
from ..models import Concern, PeerSupport, ReportMention, WeeklyReport
from ..safeguarding import concerns
from ..safeguarding.rules import OPEN_STATUSES
from . import rules

PART_ATTEMPTS = 5  # two members sending at the same moment: the loser becomes the next supplement


def week_parts(class_id, monday):
    return WeeklyReport.select().where(
        (WeeklyReport.school_class == class_id) & (WeeklyReport.week_start == monday)
    ).order_by(WeeklyReport.part)


def submit_weekly(author, school_class, monday, nil, mood, events, mentions, made_at, client_uuid):
    """Store one part of the week's report: the report if the class has none yet, else a
    supplement. `mentions` are dicts (child, noticed, days, talked, urgency).

    Returns (report, created); her repeated client_uuid returns the stored part untouched.
    """
    existing = earlier_report(client_uuid, author)
    if existing is not None:
        return existing, False
    for _attempt in range(PART_ATTEMPTS):
        part = rules.next_part([row.part for row in week_parts(school_class.id, monday)])
        try:
            with db.atomic():
                report = WeeklyReport.create(
                    school_class=school_class, week_start=monday, part=part, author=author, nil=nil,
                    mood=mood, events=events, made_at=made_at, client_uuid=client_uuid,
                )
                stored = [ReportMention.create(report=report, **mention) for mention in mentions]
                audit.record("create_weekly_report", report, class_id=school_class.id, part=part, nil=nil,
                             mentions=len(stored))
                _raise_concerns(report, author, stored)
            return report, True
        except IntegrityError:
            again = earlier_report(client_uuid, author)
            if again is not None:
                return again, False
            # Another member took this part number a moment ago: try the next one.
    raise RuntimeError("could not store the weekly report part")


def earlier_report(client_uuid, author):
    """The part this entry id already stored, when she sent it (anybody else's id: EntryIdTaken)."""
    return entry_ids.earlier_entry(WeeklyReport.author, client_uuid, author)


# A concern's description is stored text that staff read: always in the county's language,
# whatever language the pupil's phone shows (and also when the demo loads without a request).
STORED_LOCALE = "zh_Hans_CN"


def _describe(mention):
    with force_locale(STORED_LOCALE):
        talked = _("yes") if mention.talked else _("not yet")
        return _("Weekly class report: %(noticed)s (for about %(days)s days; the committee member talked with "
                 "them: %(talked)s)", noticed=mention.noticed, days=mention.days, talked=talked)


def _raise_concerns(report, author, mentions):
    """尽快处理 / 紧急 mentions become concerns at once; a classmate also named last week
    becomes one even when both mentions were mild."""
    for mention in mentions:
        if rules.raises_concern(mention.urgency):
            concerns.raise_concern(
                mention.child, author, mention.urgency, _describe(mention), report.made_at,
                entry_ids.derived_id("weekly-mention-concern", report.client_uuid, mention.child_id),
                source="weekly_report", source_id=report.id, derived=True,
            )
    mild = {m.child_id: m for m in mentions if not rules.raises_concern(m.urgency)}
    if not mild:
        return
    previous = dict(
        ReportMention.select(ReportMention.child, ReportMention.noticed)
        .join(WeeklyReport)
        .where((WeeklyReport.school_class == report.school_class_id)
               & (WeeklyReport.week_start == rules.previous_week(report.week_start))
               & ReportMention.child.in_(list(mild)))
        .tuples()
    )
    repeated = rules.repeated(previous, mild)
    if not repeated:
        return
    # A repeated-mention concern that is still open already has the counsellor's attention.
    followed = {
        row.child_id for row in Concern.select(Concern.child).where(
            Concern.child.in_(list(repeated)) & (Concern.source == "repeated_mention")
            & Concern.status.in_(OPEN_STATUSES)
        )
    }
    for child_id in sorted(repeated - followed):
        mention = mild[child_id]
        with force_locale(STORED_LOCALE):
            description = _("Named in two weekly class reports in a row. This week: %(now)s Last week: %(before)s",
                            now=mention.noticed, before=previous[child_id])
        concerns.raise_concern(
            mention.child, author, "normal", description, report.made_at,
            # One per class, week and classmate: a supplement naming her again adds nothing.
            entry_ids.derived_id("repeated-mention-concern", report.school_class_id, report.week_start, child_id),
            source="repeated_mention", source_id=report.id, derived=True,
        )


def log_support(author, school_class, child, topics, about, done, tell_teacher, made_at, client_uuid):
    """Store a peer-support entry once per client_uuid. Returns (entry, created)."""
    existing = entry_ids.earlier_entry(PeerSupport.author, client_uuid, author)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            entry = PeerSupport.create(
                author=author, school_class=school_class, child=child, topics=",".join(topics), about=about,
                done=done, tell_teacher=tell_teacher, made_at=made_at, client_uuid=client_uuid,
            )
            audit.record("create_peer_support", entry, child_id=child.id if child else None,
                         class_id=school_class.id, tell_teacher=tell_teacher)
    except IntegrityError as error:
        return entry_ids.after_race(PeerSupport.author, client_uuid, author, error), False
    return entry, True


def raise_peer_concern(author, child, urgency, description, made_at, client_uuid):
    """A committee member's concern about a classmate is a safeguarding concern; the pupil's
    own entry id is the concern's, so a replay finds it."""
    return concerns.raise_concern(child, author, urgency, description, made_at, client_uuid,
                                  source="peer_concern")


def mark_seen(parts, now):
    """A teacher opened the week's report: its parts show 老师已查看 to the pupils who sent them."""
    ids = [part.id for part in parts if part.seen_at is None]
    if ids:
        WeeklyReport.update(seen_at=now).where(WeeklyReport.id.in_(ids)).execute()


def mark_support_seen(entries, now):
    ids = [entry.id for entry in entries if entry.seen_at is None]
    if ids:
        PeerSupport.update(seen_at=now).where(PeerSupport.id.in_(ids)).execute()


def confirm_week(report, user, remark, now):
    """The head teacher confirms the week's report: every part received so far. A supplement
    arriving later waits for its own confirmation."""
    confirmed = WeeklyReport.update(
        confirmed_by=user, confirmed_at=now, confirm_remark=remark,
        seen_at=fn.COALESCE(WeeklyReport.seen_at, now),
    ).where(
        (WeeklyReport.school_class == report.school_class_id) & (WeeklyReport.week_start == report.week_start)
        & WeeklyReport.confirmed_at.is_null()
    ).execute()
    if confirmed:
        audit.record("confirm_weekly_report", report, class_id=report.school_class_id, parts=confirmed)
    return confirmed

