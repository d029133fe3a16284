"""Concerns: raised once per entry, heard by the right people, acknowledged and triaged."""
import re
import uuid

import pytest

from webapp.models import AuditEvent, Concern, Notification

from .safeguarding_steps import raise_concern


def _inbox_kinds(username):
    return sorted(n.kind for n in Notification.select().join_from(Notification, Notification.user.rel_model)
                  .where(Notification.user.rel_model.username == username))


def test_a_head_teacher_raises_a_normal_concern_and_the_counsellor_hears(county, login_as):
    head = login_as("head1")
    response = raise_concern(head, county.kids.zhang_san, urgency="normal", text="最近上课总是走神")
    assert response.status_code == 200
    assert "已发送" in response.get_data(as_text=True)
    concern = Concern.get()
    assert concern.reporter.username == "head1" and concern.status == "new"
    assert concern.made_at.isoformat() == "2026-11-18T01:58:00"  # made on the device, kept
    assert _inbox_kinds("counselor1") == ["concern_normal"]
    assert _inbox_kinds("principal1") == []  # only urgent ones reach the principal
    assert _inbox_kinds("counselor2") == []


def test_an_urgent_concern_reaches_counsellor_head_teacher_and_principal_at_once(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san)
    for username in ("counselor1", "head1", "principal1"):
        assert _inbox_kinds(username) == ["concern_urgent"], username
        inbox = login_as(username).get("/inbox/").get_data(as_text=True)
        assert "紧急预警" in inbox
    assert _inbox_kinds("zone1") == [] and _inbox_kinds("head2") == []
    badge = login_as("counselor1").get("/inbox/badge", headers={"HX-Request": "true"})
    # The count, and for a screen reader what it counts.
    assert re.sub(r"<[^>]+>", "", badge.get_data(as_text=True)).strip() == "1 条新消息"


def test_a_repeated_submission_returns_the_same_concern_and_stores_nothing_new(county, login_as):
    head = login_as("head1")
    entry = str(uuid.uuid4())
    first = raise_concern(head, county.kids.zhang_san, client_uuid=entry)
    again = raise_concern(head, county.kids.zhang_san, client_uuid=entry)
    assert first.status_code == again.status_code == 200
    assert "没有重复" in again.get_data(as_text=True)
    assert Concern.select().count() == 1
    assert Notification.select().count() == 3  # counsellor, head teacher, principal: once each


@pytest.mark.parametrize("data,message", [
    ({"urgency": "urgent", "description": ""}, "请描述"),
    ({"urgency": "urgent", "description": "很" * 2001}, "2000"),
    ({"urgency": "whenever", "description": "有情况"}, "不是有效的选择"),
])
def test_bad_input_gets_a_clear_message_and_keeps_the_typing(county, login_as, data, message):
    head = login_as("head1")
    url = f"/concerns/new?child={county.kids.zhang_san.id}"
    head.get(url)
    response = head.post(url, {**data, "client_uuid": str(uuid.uuid4())})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    if data["description"]:
        assert data["description"][:50] in page
    assert Concern.select().count() == 0


def test_a_concern_about_a_child_out_of_scope_is_404(county, login_as):
    head = login_as("head2")
    assert head.get(f"/concerns/new?child={county.kids.zhang_san.id}").status_code == 404
    assert raise_concern(head, county.kids.zhang_san).status_code == 404
    assert Concern.select().count() == 0


def test_a_pupil_cannot_use_the_staff_concern_routes(county, login_as):
    concern_id = _urgent(county, login_as)
    pupil = login_as("committee1")
    assert pupil.get(f"/concerns/new?child={county.kids.li_si.id}").status_code == 404
    assert pupil.get("/concerns/").status_code == 404
    assert pupil.get(f"/concerns/{concern_id}").status_code == 404


def _urgent(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san)
    return Concern.get().id


@pytest.mark.parametrize("username,expected", [
    ("counselor1", 200), ("principal1", 200), ("head1", 200), ("zone1", 200), ("county", 200),
    ("head2", 404), ("counselor2", 404), ("principal2", 404), ("zone2", 404), ("worker1", 404),
])
def test_who_may_open_the_concern_page(county, login_as, username, expected):
    concern_id = _urgent(county, login_as)
    assert login_as(username).get(f"/concerns/{concern_id}").status_code == expected


def test_opening_a_concern_is_audited_and_shows_who_has_seen_it(county, login_as):
    concern_id = _urgent(county, login_as)
    login_as("principal1").get(f"/concerns/{concern_id}")
    page = login_as("counselor1").get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert page.count("已查看") >= 2  # principal and counsellor have seen it
    assert "尚未查看" in page  # head teacher has not opened it yet
    assert AuditEvent.select().where(AuditEvent.action == "read_concern").count() == 2


def test_only_triage_roles_acknowledge_and_everyone_told_sees_who_did(county, login_as):
    concern_id = _urgent(county, login_as)
    assert login_as("principal1").post(f"/concerns/{concern_id}/acknowledge").status_code == 404
    assert login_as("head1").post(f"/concerns/{concern_id}/acknowledge").status_code == 404
    assert login_as("counselor2").post(f"/concerns/{concern_id}/acknowledge").status_code == 404
    assert Concern.get().status == "new"
    login_as("counselor1").post(f"/concerns/{concern_id}/acknowledge")
    concern = Concern.get()
    assert concern.status == "acknowledged" and concern.acknowledged_by.username == "counselor1"
    page = login_as("principal1").get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "counselor1" in page and "尚未确认" not in page


def test_triage_closes_with_a_note_that_reporters_never_see(county, login_as):
    concern_id = _urgent(county, login_as)
    counselor = login_as("counselor1")
    counselor.get(f"/concerns/{concern_id}")
    missing_note = counselor.post(f"/concerns/{concern_id}/triage", {"risk_level": "general", "decision": "close"})
    assert missing_note.status_code == 422 and "请说明" in missing_note.get_data(as_text=True)
    counselor.post(f"/concerns/{concern_id}/triage", {
        "risk_level": "general", "decision": "close", "note": "已与家长沟通,系误会"})
    concern = Concern.get()
    assert concern.status == "closed" and concern.risk_level == "general"
    reporter_view = login_as("head1").get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "已关闭" in reporter_view and "系误会" not in reporter_view


def test_the_triage_inbox_lists_urgent_first_and_reporters_see_only_their_own(county, login_as):
    head = login_as("head1")
    raise_concern(head, county.kids.li_si, urgency="normal", text="普通关注")
    raise_concern(head, county.kids.zhang_san, urgency="urgent")
    inbox = login_as("counselor1").get("/concerns/").get_data(as_text=True)
    assert inbox.index("张三") < inbox.index("李四")
    worker_list = login_as("worker1").get("/concerns/").get_data(as_text=True)
    assert "张三" not in worker_list  # she did not raise it


def test_a_child_not_at_school_has_concerns_go_to_zone_and_county(county, login_as):
    raise_concern(login_as("county"), county.kids.zheng_shi, urgency="urgent")
    assert _inbox_kinds("zone1") == ["concern_urgent"]  # village 1's township is served by zone 1
    assert _inbox_kinds("county") == ["concern_urgent"]
    assert _inbox_kinds("counselor1") == []


def test_the_triage_list_pages_fifty_at_a_time_urgent_first_and_counts_them_all(app, county, login_as, clock):
    """A county's waiting list ran to 200 rows and stopped there without a word; now it shows
    50 a page, the heading counts every waiting concern, and no concern is on two pages."""
    from datetime import date

    from webapp.models import Child
    from webapp.safeguarding.concerns import raise_concern as store_concern

    with app.app_context():
        for number in range(62):
            pupil = Child.create(name=f"翻页生{number:02d}", sex="f", birth_date=date(2016, 5, 1),
                                 school_class=county.classes.c42)
            urgency = "urgent" if number in (60, 61) else "normal"
            store_concern(pupil, county.users.head1, urgency, "最近情绪低落", clock.now, f"page-{number}")
            clock.advance(minutes=1)
    counselor = login_as("counselor1")
    first = counselor.get("/concerns/").get_data(as_text=True)
    assert re.search(r'<span class="count">62</span>', first)
    names_first = re.findall(r"翻页生\d\d", first.split('id="waiting"')[1].split("</ul>")[0])
    assert len(names_first) == 50 and names_first[:2] == ["翻页生61", "翻页生60"]  # urgent first, newest first
    assert 'href="/concerns/?page=2"' in first
    second = counselor.get("/concerns/?page=2").get_data(as_text=True)
    names_second = re.findall(r"翻页生\d\d", second.split('id="waiting"')[1].split("</ul>")[0])
    assert len(names_second) == 12 and not set(names_first) & set(names_second)
    assert 'href="/concerns/"' in second and "?page=3" not in second
    # A page out of range is the first page; another school's counsellor sees none of them.
    assert counselor.get("/concerns/?page=0").get_data(as_text=True).count("翻页生") == first.count("翻页生")
    assert "翻页生" not in login_as("counselor2").get("/concerns/").get_data(as_text=True)
