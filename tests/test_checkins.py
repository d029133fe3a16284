"""Check-ins: the worker's duty list moves, worries reach the right people, readers are few."""
import re
import uuid
from datetime import date

import pytest

from webapp.models import AuditEvent, CheckIn, Child, Concern, Notification, User, Village
from webapp.village.duties import plan_for

from .village_steps import GIRL, check_in, register, section


def _notified(username):
    user = User.get(User.username == username)
    return Notification.select().where(Notification.user == user.id).count()


def _row(page_part, name):
    """The text of the duty row of the child called `name` in a part of the duty page."""
    match = re.search(rf"<strong>{name}</strong>\s*<span class=\"muted\">([^<]*)</span>", page_part)
    return match.group(1) if match else None


def _registered_girl(county, login_as, **changes):
    worker = login_as("worker1")
    register(worker, county.villages[0], **changes)
    return worker, Child.get(Child.name == GIRL["name"])


def test_a_check_in_moves_the_childs_monthly_visit_from_due_to_done(county, login_as):
    worker, girl = _registered_girl(county, login_as)
    before = worker.get("/checkins/").get_data(as_text=True)
    assert "入户走访" in _row(section(before, "later"), "刘小雨")
    assert _row(section(before, "done"), "刘小雨") == "完整档案"

    response = check_in(worker, girl)
    assert response.status_code == 200 and "已保存:刘小雨 的入户走访" in response.get_data(as_text=True)

    after = worker.get("/checkins/").get_data(as_text=True)
    assert "入户走访" not in (_row(section(after, "later"), "刘小雨") or "")
    assert "入户走访" in _row(section(after, "done"), "刘小雨")
    assert "与父母通话或视频" in _row(section(after, "later"), "刘小雨")  # still to do this month
    checkin = CheckIn.get()
    assert (checkin.worker.username, checkin.village_id, checkin.study) == ("worker1", county.villages[0].id, "so_so")
    assert checkin.made_at.isoformat() == "2026-11-18T01:58:00" and checkin.received_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "create_checkin").count() == 1


def test_speaking_with_the_parents_on_a_home_visit_counts_for_both(county, login_as, app):
    worker, girl = _registered_girl(county, login_as)
    check_in(worker, girl, parents_contacted="y")
    with app.app_context():
        plan = plan_for(Village.select().where(Village.id == county.villages[0].id), date(2026, 11, 18))
    states = {d.rule.kind: d.state for d in plan.duties if d.target == girl.id}
    assert states == {"file": "done", "home_visit": "done", "parent_contact": "done"}  # not at school


def test_a_child_not_visited_last_month_is_overdue(county, login_as, clock):
    clock.now = clock.now.replace(month=9, day=20)
    worker, girl = _registered_girl(county, login_as, confirmed_on="2026-09-19")
    clock.now = clock.now.replace(month=11, day=18)
    worker = login_as("worker1")  # two months unused: her sign-in ran out
    page = worker.get("/checkins/").get_data(as_text=True)
    assert "入户走访" in _row(section(page, "overdue"), "刘小雨")
    home = worker.get("/").get_data(as_text=True)
    assert "已超期" in home and "刘小雨" in home
    check_in(worker, girl, kind="parent_video")
    page = worker.get("/checkins/").get_data(as_text=True)
    assert "与父母通话或视频" not in _row(section(page, "overdue"), "刘小雨")


def test_a_repeated_check_in_with_a_concern_stores_one_of_each(county, login_as):
    worker, entry = login_as("worker1"), str(uuid.uuid4())
    for _ in range(2):
        response = check_in(worker, county.kids.zhang_san, client_uuid=entry, concern_urgency="soon",
                            concern="奶奶住院了,孩子一个人在家。")
        assert response.status_code == 200
    assert "没有重复保存" in response.get_data(as_text=True)
    assert CheckIn.select().count() == 1 and Concern.select().count() == 1


def test_an_urgent_concern_about_a_pupil_reaches_the_school_counsellor(county, login_as):
    response = check_in(login_as("worker1"), county.kids.zhang_san, safety="worrying", concern_urgency="urgent",
                        concern="孩子说爷爷喝酒后打他,手臂有淤青。")
    assert response.status_code == 200 and "您的预警已上报" in response.get_data(as_text=True)
    concern = Concern.get()
    assert (concern.source, concern.source_id, concern.urgency) == ("checkin", CheckIn.get().id, "urgent")
    assert CheckIn.get().concern_id == concern.id
    assert {u: _notified(u) for u in ("counselor1", "head1", "principal1", "zone1", "county")} == {
        "counselor1": 1, "head1": 1, "principal1": 1, "zone1": 0, "county": 0}
    inbox = login_as("counselor1").get("/inbox/").get_data(as_text=True)
    assert "紧急预警" in inbox


def test_an_urgent_concern_about_a_child_not_at_school_reaches_the_zone_and_county(county, login_as):
    check_in(login_as("worker1"), county.kids.zheng_shi, concern_urgency="urgent", concern="孩子两天没有回家。")
    assert {u: _notified(u) for u in ("counselor1", "head1", "zone1", "zone2", "county")} == {
        "counselor1": 0, "head1": 0, "zone1": 1, "zone2": 0, "county": 1}
    # She sees that her report arrived and whether it is handled; nothing more.
    concerns = login_as("worker1").get("/concerns/").get_data(as_text=True)
    assert "郑十" in concerns


@pytest.mark.parametrize("changes,message", [
    ({"day": "2026-11-19"}, "日期不能是将来的日期"),
    ({"day": "11月"}, "不是有效的日期值"),
    ({"concern_urgency": "urgent", "concern": ""}, "请描述"),
    ({"mood": "terrible"}, "不是有效的选择"),
])
def test_bad_check_in_input_gets_a_clear_message_and_keeps_the_typing(county, login_as, changes, message):
    response = check_in(login_as("worker1"), county.kids.zheng_shi, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "和奶奶一起在家" in page
    assert not CheckIn.select().exists() and not Concern.select().exists()


def test_a_worker_checks_in_only_on_children_of_her_villages(county, login_as):
    assert check_in(login_as("worker2"), county.kids.zheng_shi).status_code == 404
    assert check_in(login_as("worker1"), county.kids.li_si).status_code == 404  # a pupil of no village
    assert not CheckIn.select().exists()


@pytest.mark.parametrize("username", ["head1", "principal1", "counselor1", "county", "committee1"])
def test_check_in_pages_are_the_workers_own(county, login_as, username):
    user = login_as(username)
    assert user.get("/checkins/").status_code == 404
    assert user.get(f"/checkins/new?child={county.kids.zhang_san.id}").status_code == 404


@pytest.mark.parametrize("username,zhang_san,zheng_shi", [
    ("worker1", 200, 200), ("county", 200, 200), ("counselor1", 200, 404), ("zone1", 200, 404),
    ("head1", 404, 404), ("principal1", 404, 404), ("worker2", 404, 404), ("counselor2", 404, 404),
])
def test_who_may_read_a_check_in(county, login_as, username, zhang_san, zheng_shi):
    worker = login_as("worker1")
    check_in(worker, county.kids.zhang_san)
    check_in(worker, county.kids.zheng_shi)
    pupil, other = CheckIn.select().order_by(CheckIn.id)
    user = login_as(username)
    assert user.get(f"/checkins/{pupil.id}").status_code == zhang_san
    assert user.get(f"/checkins/{other.id}").status_code == zheng_shi


def test_the_head_teacher_learns_a_worker_follows_her_but_not_what_she_wrote(county, login_as):
    worker = login_as("worker1")
    register(worker, county.villages[0], name="李四", sex="f", birth_date="2016-05-01", link=str(county.kids.li_si.id))
    check_in(worker, county.kids.li_si, day="2026-11-16", notes="奶奶说孩子晚上常哭,想妈妈。")
    head = login_as("head1").get(f"/children/{county.kids.li_si.id}").get_data(as_text=True)
    assert "童伴妈妈 worker1 在跟进这个孩子" in head and "最近一次走访:2026年11月16日" in head
    assert "想妈妈" not in head
    counsellor = login_as("counselor1").get(f"/children/{county.kids.li_si.id}").get_data(as_text=True)
    assert "想妈妈" in counsellor and "童伴妈妈:入户走访" in counsellor  # in her chronology
    assert "想妈妈" in worker.get(f"/children/{county.kids.li_si.id}").get_data(as_text=True)
