"""One open 一生一策 case per child: a new concern joins the open case, a second case is refused
(by the service, and by the database when two counsellors race), and migration 0019 merges the
duplicates opened before."""
import importlib.util
import threading
import uuid
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import IntegrityError

from webapp.db import db
from webapp.models import (
    AuditEvent,
    Case,
    CaseMember,
    CaseNote,
    Concern,
    Institution,
    LevelChange,
    Notification,
    OutboundMessage,
    Referral,
    User,
)
from webapp.safeguarding import cases as case_service

from .conftest import Browser
from .safeguarding_steps import ID_IN_PATH, open_case, raise_concern
from .visit_steps import log_visit

OPEN_CASE_NOTICE = "该学生已有进行中的一生一策个案"
MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "0019_one_open_case.py"


def _case_for_zhang_san(county, login_as, responsible):
    """A counsellor triages a first concern about 张三 into a case with `responsible` as 责任人."""
    raise_concern(login_as("head1"), county.kids.zhang_san, urgency="soon", text="上课常走神")
    counselor = login_as("counselor1")
    return counselor, open_case(counselor, Concern.get().id, responsible, members=[county.users.head1],
                                level="key")


def _case_form(client_uuid=None):
    return {"level": "attention", "categories": ["family"], "goals": "稳定情绪", "measures": "每周谈心",
            "responsible": "", "client_uuid": client_uuid or str(uuid.uuid4())}


def test_a_concern_about_a_child_with_an_open_case_joins_it_and_the_responsible_adult_hears(county, login_as):
    users = county.users
    counselor, case_id = _case_for_zhang_san(county, login_as, responsible=users.zone1)
    # A second concern, from a head teacher's home visit this time.
    log_visit(login_as("head1"), county.kids.zhang_san, concern="家中无人照看,孩子说不想回家",
              concern_urgency="soon")
    second = Concern.get(Concern.source == "home_visit")
    assert second.case_id == case_id
    assert Case.select().where(Case.child == county.kids.zhang_san.id).count() == 1

    # The 责任人 (here the zone's psychology teacher, not told of a "soon" concern otherwise) hears.
    told = Notification.get((Notification.user == users.zone1.id) & (Notification.case_id == case_id))
    assert told.kind == "case_concern"
    inbox = login_as("zone1").get("/inbox/").get_data(as_text=True)
    assert "新预警已并入您负责的个案" in inbox and f"/cases/{case_id}" in inbox
    assert "张三" not in inbox and OutboundMessage.select().count() == 0  # nothing about the child outside

    # The case's timeline shows it; the concern page (where she triages) names the case.
    case_page = counselor.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "家中无人照看,孩子说不想回家" in case_page and f"/concerns/{second.id}" in case_page
    concern_page = counselor.get(f"/concerns/{second.id}").get_data(as_text=True)
    assert OPEN_CASE_NOTICE in concern_page and f'href="/cases/{case_id}"' in concern_page
    assert "并入该个案" in concern_page and "建立个案" not in concern_page
    # The child's chronology says where the concern went.
    assert "已并入个案" in counselor.get(f"/children/{county.kids.zhang_san.id}").get_data(as_text=True)


def test_a_peer_concern_joins_the_open_case_too(app, county, login_as):
    from webapp.safeguarding.concerns import raise_concern as raise_in_service

    users = county.users
    _counselor, case_id = _case_for_zhang_san(county, login_as, responsible=users.head1)
    with app.app_context():
        concern, created = raise_in_service(county.kids.zhang_san, users.committee1, "normal", "同学说他被欺负",
                                            datetime(2026, 11, 18, 1, 0), str(uuid.uuid4()),
                                            source="peer_concern")
    assert created and Concern.get_by_id(concern.id).case_id == case_id
    assert Notification.get((Notification.user == users.head1.id) & (Notification.kind == "case_concern"))


def test_triage_joins_an_earlier_concern_to_the_case_instead_of_opening_another(county, login_as):
    users = county.users
    # Two concerns about 张三 before any case: the first becomes the case, the second waits.
    raise_concern(login_as("head1"), county.kids.zhang_san, urgency="soon", text="上课常走神")
    raise_concern(login_as("head1"), county.kids.zhang_san, urgency="soon", text="午饭不吃")
    first, second = Concern.select().order_by(Concern.id)
    counselor = login_as("counselor1")
    case_id = open_case(counselor, first.id, users.counselor1, level="key")
    assert Concern.get_by_id(second.id).case_id is None

    page = counselor.get(f"/concerns/{second.id}").get_data(as_text=True)
    assert OPEN_CASE_NOTICE in page and f'href="/cases/{case_id}"' in page
    response = counselor.post(f"/concerns/{second.id}/triage", {"risk_level": "key", "decision": "case"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case_id}")
    second = Concern.get_by_id(second.id)
    assert second.status == "case" and second.case_id == case_id
    assert Case.select().count() == 1
    assert "午饭不吃" in counselor.get(f"/cases/{case_id}").get_data(as_text=True)


def test_a_second_case_for_the_child_is_refused_with_a_link_to_the_first(county, login_as):
    counselor, case_id = _case_for_zhang_san(county, login_as, responsible=county.users.counselor1)
    url = f"/cases/new?child={county.kids.zhang_san.id}"
    page = counselor.get(url).get_data(as_text=True)
    assert OPEN_CASE_NOTICE in page and f'href="/cases/{case_id}"' in page
    data = _case_form()
    data["responsible"] = str(county.users.counselor1.id)
    response = counselor.post(url, data)
    assert response.status_code == 409
    assert OPEN_CASE_NOTICE in response.get_data(as_text=True)
    assert f'href="/cases/{case_id}"' in response.get_data(as_text=True)
    assert Case.select().count() == 1

    # Nor does a closed case of hers come back while another is open.
    Case.update(status="closed").where(Case.id == case_id).execute()
    other = counselor.post(url, {**data, "client_uuid": str(uuid.uuid4())})
    other_id = int(ID_IN_PATH.search(other.headers["Location"]).group(1))
    counselor.get(f"/cases/{case_id}")
    refused = counselor.post(f"/cases/{case_id}/reopen", {"reason": "情绪反复"})
    assert refused.status_code == 409 and f'href="/cases/{other_id}"' in refused.get_data(as_text=True)
    assert Case.get_by_id(case_id).status == "closed"


def test_the_service_refuses_a_second_open_case(app, county):
    users, kid = county.users, county.kids.li_si
    with app.app_context():
        first, _ = case_service.open_case(kid, users.counselor1, date(2026, 11, 18), "key", [], "", "",
                                          users.counselor1, [], str(uuid.uuid4()))
        with pytest.raises(case_service.CaseAlreadyOpen) as refused:
            case_service.open_case(kid, users.counselor1, date(2026, 11, 18), "high", [], "", "",
                                   users.counselor1, [], str(uuid.uuid4()))
    assert refused.value.case.id == first.id
    # And the database holds it whoever writes: a second open row is refused.
    with pytest.raises(IntegrityError), db.atomic():
        Case.create(child=kid, level="high", client_uuid=str(uuid.uuid4()))
    Case.create(child=kid, level="high", status="closed", client_uuid=str(uuid.uuid4()))  # closed ones may be many


def test_a_case_opened_in_between_is_refused_by_the_database_not_a_500(app, county, monkeypatch):
    """The race as it happens: the service looked, saw no open case, and another counsellor's
    case was stored before its own INSERT. The index refuses it; the answer names the first."""
    users, kid = county.users, county.kids.li_si
    with app.app_context():
        first, _ = case_service.open_case(kid, users.counselor1, date(2026, 11, 18), "key", [], "", "",
                                          users.counselor1, [], str(uuid.uuid4()))
        looked, real = [], case_service.open_case_of

        def missed_the_first_time(child_id):
            looked.append(child_id)
            return None if len(looked) == 1 else real(child_id)

        monkeypatch.setattr(case_service, "open_case_of", missed_the_first_time)
        with pytest.raises(case_service.CaseAlreadyOpen) as refused:
            case_service.open_case(kid, users.zone1, date(2026, 11, 18), "high", [], "", "",
                                   users.zone1, [], str(uuid.uuid4()))
    assert refused.value.case.id == first.id and len(looked) == 2  # the second look was after the refusal
    assert Case.select().where(Case.child == kid.id).count() == 1


THREADS = 3  # the psychology teachers whose scope holds 王五: the school's, the zone's, the county's


def test_counsellors_opening_a_case_at_once_make_one_case_and_no_error(app, county):
    kid = county.kids.wang_wu
    statuses, errors = Counter(), []
    barrier = threading.Barrier(THREADS)

    def counsellor(username):
        try:
            browser = Browser(app.test_client())
            browser.login(username)
            url = f"/cases/new?child={kid.id}"
            browser.get(url)
            data = _case_form()
            data["responsible"] = str(User.get(User.username == username).id)
            barrier.wait()
            statuses[browser.post(url, data).status_code] += 1
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=counsellor, args=(name,)) for name in ("counselor1", "zone1", "county")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == Counter({302: 1, 409: THREADS - 1})
    assert Case.select().where(Case.child == kid.id).count() == 1


# --- migration 0019: the duplicates of before ------------------------------------------------

def _migration():
    spec = importlib.util.spec_from_file_location("one_open_case", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _counts():
    return {model.__name__: model.select().count() for model in (CaseNote, LevelChange, Referral, Concern)}


def _duplicate(kid, user, level, opened, text, institution=None, concern=None):
    case = Case.create(child=kid, level=level, opened_by=user, opened_at=opened, concern=concern,
                       categories="family", goals=f"目标{text}", client_uuid=str(uuid.uuid4()),
                       next_review_on=date(2026, 11, 20 + len(text)))
    CaseMember.create(case=case, user=user, responsible=True)
    LevelChange.create(case=case, from_level=None, to_level=level, changed_by=user, changed_at=opened)
    CaseNote.create(case=case, author=user, text=text, contacted_on=opened.date(), made_at=opened,
                    client_uuid=str(uuid.uuid4()))
    if institution:
        Referral.create(case=case, institution=institution, referred_on=opened.date(), created_by=user,
                        client_uuid=str(uuid.uuid4()))
    return case


def test_the_merge_migration_keeps_every_record_and_leaves_one_open_case_per_child(app, county):
    from playhouse.migrate import SchemaMigrator

    users, kids = county.users, county.kids
    migration = _migration()
    with app.app_context(), db.connection_context():
        db.execute_sql(f'DROP INDEX "{migration.INDEX}"')  # as the database was before 0019
        try:
            hospital = Institution.create(name="县人民医院心理科")
            concern = Concern.create(child=kids.zhang_san, reporter=users.head1, urgency="soon", description="x",
                                     made_at=datetime(2026, 10, 1), client_uuid=str(uuid.uuid4()))
            oldest = _duplicate(kids.zhang_san, users.counselor1, "attention", datetime(2026, 10, 1), "一")
            highest = _duplicate(kids.zhang_san, users.head1, "high", datetime(2026, 10, 5), "二二", hospital,
                                 concern=concern)
            third = _duplicate(kids.zhang_san, users.zone1, "key", datetime(2026, 10, 9), "三三三")
            other_child = _duplicate(kids.li_si, users.counselor1, "key", datetime(2026, 10, 2), "四")
            closed = _duplicate(kids.li_si, users.counselor1, "high", datetime(2026, 9, 2), "五")
            Case.update(status="closed").where(Case.id == closed.id).execute()
            before = _counts()

            with db.atomic():
                migration.up(SchemaMigrator.from_database(db), db)
        finally:
            db.execute_sql(migration.INDEX_SQL.replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS"))

        assert _counts() == before  # nothing lost
        open_cases = list(Case.select().where(Case.status == "open").order_by(Case.child))
        assert [c.child_id for c in open_cases] == [kids.zhang_san.id, kids.li_si.id]
        kept = Case.get_by_id(highest.id)  # the highest level is kept
        assert kept.status == "open" and kept.level == "high"
        assert kept.opened_at == datetime(2026, 10, 1)  # her plan began with the oldest
        assert kept.next_review_on == date(2026, 11, 21)  # the earliest review of the three
        assert {n.text for n in kept.notes} == {"一", "二二", "三三三"}
        assert kept.level_changes.count() == 3 and kept.referrals.count() == 1
        assert "目标一" in kept.goals and "目标三三三" in kept.goals
        team = {m.user_id: m.responsible for m in kept.members}
        assert team == {users.head1.id: True, users.counselor1.id: False, users.zone1.id: False}
        for merged in (oldest, third):
            merged = Case.get_by_id(merged.id)
            assert merged.status == "closed" and str(kept.id) in merged.close_reason
            assert merged.notes.count() == 0 and merged.members.count() == 0
        linked = {c.id: c.case_id for c in Concern.select()}
        assert linked[concern.id] == kept.id
        assert Case.get_by_id(other_child.id).status == "open" and Case.get_by_id(closed.id).notes.count() == 1

        events = list(AuditEvent.select().where(AuditEvent.action == "merge_case").order_by(AuditEvent.id))
        assert [(e.object_id, e.child_id) for e in events] == [(kept.id, kids.zhang_san.id)] * 2
        assert {f'"merged": {oldest.id}' in e.detail or f'"merged": {third.id}' in e.detail for e in events} == {True}
        assert "张三" not in "".join(e.detail for e in events)

        # The index is there again: a second open case is refused by the database.
        with pytest.raises(IntegrityError), db.atomic():
            Case.create(child=kids.zhang_san, level="key", client_uuid=str(uuid.uuid4()))
