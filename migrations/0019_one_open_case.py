"""One open 一生一策 case per child.

Before this, a second concern about a child could be triaged into a second case beside the one
already open, and some children have two or three open cases, each with part of her notes.
This migration:

1. gives each concern the case it belongs to (concern.case_id): the case it grew from, and from
   now on the open case it joined when it was raised or triaged (the case page lists them);
2. merges each child's open cases into one, keeping every note, level change, referral, team
   member and concern link, and writes one audit event per merged case;
3. lets the database refuse a second open case (a partial unique index), so two counsellors
   opening one at the same moment get one case, not two.

Which case is kept: the one with the highest level (the oldest among equals). The kept case's
level, review cadence and 责任人 are those of the team that judged the child most at risk, so
merging never lowers her level or lengthens her review interval. It takes the earliest opening
date and the earliest next review of the merged cases, the union of their categories, and their
goals and measures appended. The others are closed (not deleted), their close reason naming the
kept case, so an id in the audit log or an old message still leads somewhere.

One-off and re-runnable: each step checks what is already there.

Frozen copy of the schema at this migration; see 0001 for why it does not import the app's models.
"""
import json
from datetime import UTC, datetime

from peewee import BooleanField, CharField, DateField, DateTimeField, IntegerField, Model, TextField, fn

INDEX = "case_one_open_per_child"
INDEX_SQL = f'CREATE UNIQUE INDEX "{INDEX}" ON "case" ("child_id") WHERE "status" = \'open\''
LEVELS = ("general", "attention", "key", "high")  # lowest to highest


def frozen_models(database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class Concern(Base):
        child_id = IntegerField()
        case_id = IntegerField(null=True)

    class Case(Base):
        child_id = IntegerField()
        concern_id = IntegerField(null=True)
        level = CharField()
        categories = CharField()
        goals = TextField()
        measures = TextField()
        status = CharField()
        opened_at = DateTimeField()
        next_review_on = DateField(null=True)
        closed_at = DateTimeField(null=True)
        close_reason = TextField()

    class CaseMember(Base):
        case_id = IntegerField()
        user_id = IntegerField()
        responsible = BooleanField()

    class CaseNote(Base):
        case_id = IntegerField()

    class LevelChange(Base):
        case_id = IntegerField()

    class Referral(Base):
        case_id = IntegerField()

    class AuditEvent(Base):
        # Append-only (0011): rows are only ever inserted.
        at = DateTimeField()
        user_id = IntegerField(null=True)
        username = CharField()
        action = CharField()
        object_type = CharField()
        object_id = IntegerField(null=True)
        child_id = IntegerField(null=True)
        address = CharField()
        detail = TextField()

    models = dict(Concern=Concern, Case=Case, CaseMember=CaseMember, CaseNote=CaseNote,
                  LevelChange=LevelChange, Referral=Referral, AuditEvent=AuditEvent)
    for model in models.values():
        model._meta.set_database(database)
    return models


def _rank(case):
    return LEVELS.index(case.level) if case.level in LEVELS else -1


def _appended(kept_text, other_text, other_id):
    other_text = (other_text or "").strip()
    if not other_text or other_text in (kept_text or ""):
        return kept_text
    return f"{kept_text}\n\n(并入自个案 {other_id})\n{other_text}".strip()


def _merge(m, kept, other, now):
    """Move everything of `other` into `kept`, close `other`, and audit it. Returns the counts."""
    moved = {
        "notes": m["CaseNote"].update(case_id=kept.id).where(m["CaseNote"].case_id == other.id).execute(),
        "level_changes": m["LevelChange"].update(case_id=kept.id)
        .where(m["LevelChange"].case_id == other.id).execute(),
        "referrals": m["Referral"].update(case_id=kept.id).where(m["Referral"].case_id == other.id).execute(),
    }
    Member = m["CaseMember"]
    on_kept = {row.user_id for row in Member.select(Member.user_id).where(Member.case_id == kept.id)}
    joined = 0
    for member in Member.select().where(Member.case_id == other.id):
        if member.user_id in on_kept:
            Member.delete().where(Member.id == member.id).execute()
        else:
            # The kept case keeps its one 责任人; the other's joins the team.
            Member.update(case_id=kept.id, responsible=False).where(Member.id == member.id).execute()
            on_kept.add(member.user_id)
            joined += 1
    moved["members"] = joined
    Concern = m["Concern"]
    links = Concern.case_id == other.id
    if other.concern_id is not None:
        links |= Concern.id == other.concern_id
    moved["concerns"] = Concern.update(case_id=kept.id).where(links).execute()

    kept.opened_at = min(kept.opened_at, other.opened_at)
    reviews = [day for day in (kept.next_review_on, other.next_review_on) if day is not None]
    kept.next_review_on = min(reviews) if reviews else None
    categories = [c for c in (kept.categories or "").split(",") if c]
    categories += [c for c in (other.categories or "").split(",") if c and c not in categories]
    kept.categories = ",".join(categories)
    kept.goals = _appended(kept.goals, other.goals, other.id)
    kept.measures = _appended(kept.measures, other.measures, other.id)
    if kept.concern_id is None:
        kept.concern_id = other.concern_id

    m["Case"].update(status="closed", closed_at=now, next_review_on=None,
                     close_reason=f"与同一学生的进行中个案重复,全部记录已并入个案 {kept.id}。"
                     ).where(m["Case"].id == other.id).execute()
    m["AuditEvent"].insert(
        at=now, user_id=None, username="", action="merge_case", object_type="Case", object_id=kept.id,
        child_id=kept.child_id, address="",
        detail=json.dumps({"merged": other.id, "level": other.level, **moved}, sort_keys=True),
    ).execute()


def merge_duplicates(db):
    """Each child's open cases become one. Returns the number of cases merged away."""
    m = frozen_models(db)
    Case = m["Case"]
    now = datetime.now(UTC).replace(tzinfo=None)
    children = [row.child_id for row in Case.select(Case.child_id).where(Case.status == "open")
                .group_by(Case.child_id).having(fn.COUNT(Case.id) > 1).order_by(Case.child_id)]
    merged = 0
    for child_id in children:
        cases = list(Case.select().where((Case.child_id == child_id) & (Case.status == "open"))
                     .order_by(Case.opened_at, Case.id))
        top = max(_rank(case) for case in cases)
        kept = next(case for case in cases if _rank(case) == top)  # the oldest of the highest level
        for other in cases:
            if other.id != kept.id:
                _merge(m, kept, other, now)
                merged += 1
        kept.save(only=[Case.opened_at, Case.next_review_on, Case.categories, Case.goals, Case.measures,
                        Case.concern_id])
    return merged


def _link_concerns_to_their_cases(db):
    """Each concern a case grew from belongs to it (the newest such case, if several)."""
    db.execute_sql('UPDATE concern SET case_id = (SELECT MAX(c.id) FROM "case" c WHERE c.concern_id = concern.id) '
                   'WHERE case_id IS NULL AND EXISTS (SELECT 1 FROM "case" c WHERE c.concern_id = concern.id)')


def up(migrator, db):
    if "case_id" not in {column.name for column in db.get_columns("concern")}:
        migrator.migrate(
            migrator.add_column("concern", "case_id", IntegerField(null=True)),
            migrator.add_index("concern", ("case_id",)),
        )
    _link_concerns_to_their_cases(db)
    merge_duplicates(db)
    db.execute_sql(INDEX_SQL.replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS"))


def down(migrator, db):
    # The merges stay: their records are whole in the kept cases, and the audit log says which.
    db.execute_sql(f'DROP INDEX IF EXISTS "{INDEX}"')
    migrator.migrate(
        migrator.drop_index("concern", "concern_case_id"),
        migrator.drop_column("concern", "case_id"),
    )
