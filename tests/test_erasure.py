"""Erasing a child removes what is about her and nothing else: what she wrote about classmates
stays (its author shown as a deleted committee member), every other child's records are the
same row for row, and the audit log only grows, by the one event that says who was erased."""
import io
import os
import uuid

import pytest
from openpyxl import load_workbook
from peewee import JOIN, DatabaseError, ForeignKeyField

from webapp.db import db, is_sqlite
from webapp.models import (
    MODELS,
    Activity,
    AuditEvent,
    Case,
    CaseMember,
    CaseNote,
    Child,
    Concern,
    LevelChange,
    LoginAttempt,
    Notification,
    Referral,
    ReferralFeedback,
    User,
    WeeklyReport,
)

from .peer_steps import LAST_MONDAY, add_classmates, mention, send_concern, send_support, send_weekly
from .safeguarding_steps import open_case, raise_concern
from .village_steps import GIRL, check_in, record_activity, register
from .visit_steps import log_visit

DELETED_MEMBER = "已删除的心理委员"


def _by_id(query):
    return {row[0]: row for row in query.tuples()}


def others_records(child_id, account_ids):
    """Every record that is not about the child, as full rows by table: the tables that name a
    child (rows naming another child or none), the parts of other children's cases and
    concerns, weekly reports and activities whoever wrote them, and the audit log."""
    rows = {"child": _by_id(Child.select().where(Child.id != child_id))}
    for model in MODELS:
        for field in model._meta.fields.values():
            if isinstance(field, ForeignKeyField) and field.rel_model is Child:
                condition = field.is_null() | (field != child_id)
                if model is User:
                    condition &= User.id.not_in(account_ids or [0])
                rows[model._meta.table_name] = _by_id(model.select().where(condition))
    others_cases = Case.select(Case.id).where(Case.child != child_id)
    for part in (CaseNote, CaseMember, LevelChange, Referral):
        rows[part._meta.table_name] = _by_id(part.select().where(part.case.in_(others_cases)))
    rows["referral_feedback"] = _by_id(ReferralFeedback.select().join(Referral).where(
        Referral.case.in_(others_cases)))
    her_cases = [case.id for case in Case.select(Case.id).where(Case.child == child_id)]
    rows["notification"] = _by_id(
        Notification.select().join(Concern, JOIN.LEFT_OUTER).where(
            (Notification.concern.is_null() | (Concern.child != child_id))
            & (Notification.case_id.is_null() | Notification.case_id.not_in(her_cases or [0]))
            & Notification.user.not_in(account_ids or [0])))
    rows["weekly_report"] = _by_id(WeeklyReport.select())
    rows["activity"] = _by_id(Activity.select())
    return rows


def audit_rows():
    return _by_id(AuditEvent.select())


@pytest.fixture
def busy_county(county, login_as):
    """Records about every child from every side: committee1 (张三, 4-1) reports on and helps her
    classmates and raises a concern about one; her classmates' committee member reports on her;
    a case for 王五; a left-behind girl the village worker registered who is not at school."""
    kids, users = county.kids, county.users
    qian, sun = add_classmates(county)
    committee1, committee2 = login_as("committee1"), login_as("committee2")
    send_weekly(committee1, mentions=[mention(qian), mention(kids.li_si, urgency="soon")])
    send_weekly(committee1, week=LAST_MONDAY, mentions=[mention(qian), mention(sun)])
    send_weekly(committee2, mentions=[mention(kids.zhang_san)])  # a supplement naming her
    send_concern(committee1, qian, text="钱多多说有人放学路上拦她")
    send_support(committee1, kids.li_si)
    send_support(committee1)  # nobody named
    send_support(committee2, kids.zhang_san)
    send_concern(committee2, kids.zhang_san)
    counselor1 = login_as("counselor1")
    peer_concern = Concern.get((Concern.child == qian.id) & (Concern.source == "peer_concern"))
    counselor1.get(f"/concerns/{peer_concern.id}")
    counselor1.post(f"/concerns/{peer_concern.id}/acknowledge")

    head1, head2 = login_as("head1"), login_as("head2")
    raise_concern(head1, kids.zhang_san)
    raise_concern(head2, kids.wang_wu)
    raise_concern(head1, kids.li_si, urgency="normal")
    raise_concern(login_as("head1"), sun, urgency="soon")
    log_visit(head1, kids.zhang_san)
    log_visit(head2, kids.wang_wu)
    case_id = open_case(counselor1, Concern.get(Concern.child == kids.wang_wu.id).id, users.counselor1,
                        members=[users.head2, users.worker1])
    counselor1.get(f"/cases/{case_id}")
    counselor1.post(f"/cases/{case_id}/notes", {"text": "谈心记录", "contacted_on": "2026-11-18",
                                               "client_uuid": str(uuid.uuid4())})
    raise_concern(counselor1, kids.sun_qi, urgency="normal")

    worker1 = login_as("worker1")
    assert "刘小雨" in register(worker1, county.villages[0]).get_data(as_text=True)
    girl = Child.get(Child.name == GIRL["name"])
    check_in(worker1, girl)
    check_in(worker1, kids.zhang_san)
    check_in(worker1, kids.wang_wu, mood="worrying", concern="奶奶说他晚上睡不着", concern_urgency="soon")
    record_activity(worker1, county.villages[0], [girl, kids.zhang_san, kids.wang_wu, kids.zheng_shi])
    login_as("county")
    return {"pupil": kids.sun_qi, "committee": kids.zhang_san, "left_behind": girl, "case": kids.wang_wu,
            "peer_concern": peer_concern}


def erase_through_the_page(login_as, child):
    county_user = login_as("county")
    url = f"/children/{child.id}/erase"
    county_user.get(url)
    county_user.post(url, {"reason": "guardian_request", "verified_how": "in_person_id"})
    return county_user.post(url, {"reason": "guardian_request", "verified_how": "in_person_id",
                                  "confirm_name": child.name})


@pytest.mark.parametrize("kind", ["pupil", "committee", "left_behind", "case"])
def test_erasing_a_child_leaves_every_other_childs_records_as_they_were(busy_county, login_as, kind):
    child = busy_county[kind]
    accounts = [user.id for user in User.select(User.id).where(User.child == child.id)]
    theirs_before, audit_before = others_records(child.id, accounts), audit_rows()
    assert sum(1 for _ in Concern.select().where(Concern.child == child.id)) >= 1 or kind == "left_behind"

    assert erase_through_the_page(login_as, child).status_code == 302

    assert not Child.select().where(Child.id == child.id).exists()
    theirs_after = others_records(child.id, accounts)
    for table, rows in theirs_before.items():
        assert theirs_after[table] == rows, f"{table}: another child's records changed"
    audit_after = audit_rows()
    new = {key: row for key, row in audit_after.items() if key not in audit_before}
    assert {key: audit_after.get(key) for key in audit_before} == audit_before  # no row changed
    erased = [AuditEvent.get_by_id(key) for key in new]
    assert [event.action for event in erased if event.action == "erase_child"] == ["erase_child"]
    event = next(event for event in erased if event.action == "erase_child")
    assert event.child_id == child.id and child.name not in event.detail
    # Nothing about her is left in the tables that name a child.
    for model in MODELS:
        for field in model._meta.fields.values():
            if isinstance(field, ForeignKeyField) and field.rel_model is Child:
                assert not model.select().where(field == child.id).exists(), model.__name__


def test_what_the_committee_member_wrote_about_classmates_stays_under_a_deleted_name(busy_county, login_as):
    child, peer_concern = busy_county["committee"], busy_county["peer_concern"]
    account = User.get(User.child == child.id)
    erase_through_the_page(login_as, child)

    page = login_as("counselor1").get(f"/concerns/{peer_concern.id}")
    assert page.status_code == 200
    assert DELETED_MEMBER in page.get_data(as_text=True)
    report = WeeklyReport.get(WeeklyReport.author == account.id)
    shown = login_as("head1").get(f"/peer/reports/{report.id}").get_data(as_text=True)
    assert DELETED_MEMBER in shown and "committee1" not in shown
    support = login_as("head1").get("/peer/support/").get_data(as_text=True)
    assert DELETED_MEMBER in support

    tombstone = User.get_by_id(account.id)
    assert tombstone.__data__["display_name"] == "" and tombstone.child_id is None and not tombstone.active
    assert tombstone.username != "committee1" and tombstone.phone == "" and tombstone.totp_secret is None
    assert not LoginAttempt.select().where(LoginAttempt.username == "committee1").exists()


def test_the_export_and_the_erasure_page_hold_what_is_about_her_and_say_what_stays(busy_county, login_as):
    child = busy_county["committee"]
    county_user = login_as("county")
    workbook = load_workbook(io.BytesIO(county_user.get(f"/children/{child.id}/export.xlsx").data))
    assert {"child", "concern", "report_mention", "peer_support", "home_visit", "check_in", "user"} <= set(
        workbook.sheetnames)
    assert "weekly_report" not in workbook.sheetnames  # her class's reports are not about her
    for sheet in ("concern", "report_mention", "peer_support", "check_in"):
        rows = list(workbook[sheet].iter_rows(values_only=True))
        column = rows[0].index("child")
        assert {row[column] for row in rows[1:]} == {child.id}, sheet
    page = county_user.get(f"/children/{child.id}/erase").get_data(as_text=True)
    assert DELETED_MEMBER in page and "weekly_report: 2" in page


def test_her_own_account_cannot_sign_in_after_erasure(app, busy_county, login_as, browser):
    erase_through_the_page(login_as, busy_county["committee"])
    response = browser.login("committee1", follow=False)
    assert response.status_code != 302
    assert not User.select().where(User.username == "committee1").exists()


def test_an_account_that_never_signed_in_nor_wrote_is_deleted_outright(county, login_as):
    erase_through_the_page(login_as, county.kids.li_si)
    assert not User.select().where(User.id == county.users.committee2.id).exists()


def test_an_account_the_audit_log_names_stays_as_a_nameless_tombstone(county, login_as):
    """李四 (committee2) signed in, so the audit log names her account, but wrote nothing."""
    login_as("committee2")
    erase_through_the_page(login_as, county.kids.li_si)
    account = User.get_by_id(county.users.committee2.id)
    assert account.__data__["display_name"] == "" and account.child_id is None and not account.active
    assert AuditEvent.select().where(AuditEvent.user == account.id, AuditEvent.action == "login").count() == 1


def test_the_audit_log_refuses_update_and_delete_in_the_database(county, login_as):
    login_as("head1")
    before = audit_rows()
    assert before
    for statement in ("UPDATE audit_event SET action = 'nothing_happened'",
                      "UPDATE audit_event SET user_id = NULL",
                      "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.atomic():
                db.execute_sql(statement)
    assert audit_rows() == before


def test_erasure_leaves_her_name_in_neither_the_database_file_nor_its_wal(app, county, login_as, database_url):
    if not is_sqlite():
        pytest.skip("SQLite's file and write-ahead log; PostgreSQL's storage is the server's")
    name = "欧阳翠花"
    worker1 = login_as("worker1")
    register(worker1, county.villages[0], name=name, guardian_name="欧阳桂兰")
    girl = Child.get(Child.name == name)
    check_in(worker1, girl)
    path = database_url.removeprefix("sqlite:///")

    def file_bytes():
        data = b""
        for suffix in ("", "-wal"):
            if os.path.exists(path + suffix):
                with open(path + suffix, "rb") as handle:
                    data += handle.read()
        return data

    assert name.encode() in file_bytes()  # the test can see her
    assert erase_through_the_page(login_as, girl).status_code == 302
    for trace in (name, "欧阳桂兰", girl.name_pinyin):
        assert trace.encode() not in file_bytes(), trace


def test_every_link_to_a_child_or_her_records_says_whether_it_is_about_her_or_by_her(app):
    from webapp.trust.rights import undeclared_links

    assert undeclared_links() == []
    # A new model that names a child without saying how is refused, not walked into.
    from peewee import TextField

    from webapp.models import BaseModel

    class Diary(BaseModel):
        child = ForeignKeyField(Child, backref="diaries", on_delete="CASCADE")
        text = TextField()

    try:
        assert [(link.model, link.name) for link in undeclared_links()] == [(Diary, "child")]
    finally:
        Diary._meta.remove_ref(Diary._meta.fields["child"])
        delattr(Child, "diaries")


def _visit_with_photo(app, login_as, head, child):
    """`head` logs a visit to `child` and attaches the photo of the signed paper form."""
    from webapp.models import HomeVisit

    from .test_attachments import jpeg_with_gps, upload

    head_browser = login_as(head)
    log_visit(head_browser, child)
    with app.app_context():
        visit_id = HomeVisit.get(HomeVisit.child == child.id).id
    assert upload(head_browser, f"/attachments/visit/{visit_id}", jpeg_with_gps(), "IMG_1.jpg").status_code == 302
    with app.app_context():
        from webapp.models import Attachment
        return Attachment.get((Attachment.owner_kind == "visit") & (Attachment.owner_id == visit_id))


@pytest.mark.parametrize("stored_in", ["db", "dir"])
def test_erasing_a_child_deletes_her_visit_photo_and_no_other(app, county, login_as, tmp_path, stored_in):
    """An attachment names its record by (owner_kind, owner_id), not a foreign key: the walk
    must still find the photo of her visit's signed form, and its bytes must go with it."""
    from webapp.models import Attachment, AttachmentBlob

    if stored_in == "dir":
        app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    hers = _visit_with_photo(app, login_as, "head1", county.kids.zhang_san)
    other = _visit_with_photo(app, login_as, "head2", county.kids.wang_wu)
    assert hers.stored_in == other.stored_in == stored_in
    if stored_in == "dir":
        assert (tmp_path / hers.path).exists() and (tmp_path / other.path).exists()

    assert erase_through_the_page(login_as, county.kids.zhang_san).status_code == 302

    assert not Attachment.select().where(Attachment.id == hers.id).exists()
    assert not AttachmentBlob.select().where(AttachmentBlob.attachment == hers.id).exists()
    assert Attachment.select().where(Attachment.id == other.id).exists()
    if stored_in == "dir":
        assert not (tmp_path / hers.path).exists(), "her photo's file is still on disk"
        assert (tmp_path / other.path).exists()
    else:
        assert AttachmentBlob.select().where(AttachmentBlob.attachment == other.id).exists()
    # The other child's photo still downloads, whole.
    response = login_as("head2").get(f"/attachments/{other.id}")
    assert response.status_code == 200 and response.data[:2] == b"\xff\xd8"
    assert login_as("county").get(f"/attachments/{hers.id}").status_code == 404


def test_the_export_lists_the_photo_of_her_visit(app, county, login_as):
    hers = _visit_with_photo(app, login_as, "head1", county.kids.zhang_san)
    other = _visit_with_photo(app, login_as, "head2", county.kids.wang_wu)
    response = login_as("county").get(f"/children/{county.kids.zhang_san.id}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert "attachment" in workbook.sheetnames
    rows = list(workbook["attachment"].iter_rows(values_only=True))
    listed = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(row["id"], row["owner_kind"], row["mime"]) for row in listed] == [(hers.id, "visit", "image/jpeg")]
    assert other.id not in [row["id"] for row in listed]
    # The file is listed, not poured into a cell.
    for sheet in workbook.worksheets:
        assert "data" not in next(sheet.iter_rows(values_only=True)), sheet.title


def test_every_attachment_owner_kind_says_whether_it_is_about_its_record(app, monkeypatch):
    """A new kind of record that takes files must be declared like a foreign key, or the files
    of a record about a child would outlive her erasure."""
    from webapp import access
    from webapp.attachments import store
    from webapp.models import Attachment
    from webapp.trust.rights import undeclared_links

    assert undeclared_links() == []
    monkeypatch.setattr(store, "OWNER_KINDS", store.OWNER_KINDS + ("diary",))
    monkeypatch.setitem(access.ATTACHMENT_OWNERS, "diary", (lambda user, i: False, lambda user, i: False))
    assert [(link.model, link.name) for link in undeclared_links()] == [(Attachment, "owner_kind=diary")]
