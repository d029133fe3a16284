"""Home visits (家访): a head teacher logs a visit from her phone and always knows who is left."""
import re
import uuid
from datetime import date, datetime

import pytest

from webapp.models import AuditEvent, Child, Concern, HomeVisit, Notification
from webapp.visits import service

from .visit_steps import log_visit, visit_form

PROGRESS = re.compile(r"本学年已家访 (\d+) / (\d+) 人")


def progress(user_browser, url="/visits/"):
    return tuple(int(n) for n in PROGRESS.search(user_browser.get(url).get_data(as_text=True)).groups())


def test_a_head_teacher_logs_a_visit_and_the_coverage_goes_up_by_one(county, login_as):
    head = login_as("head1")
    assert progress(head) == (0, 2)
    response = log_visit(head, county.kids.zhang_san)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已保存" in page and "张三" in page
    assert progress(head) == (1, 2)
    assert progress(head, "/") == (1, 2)  # her home page shows it too
    visit = HomeVisit.get()
    assert visit.author.username == "head1" and visit.school_class_id == county.classes.c41.id
    assert visit.made_at.isoformat() == "2026-11-18T01:55:00"  # made on the device, kept
    assert visit.received_at.isoformat() == "2026-11-18T02:00:00"  # and when the server got it
    event = AuditEvent.get(AuditEvent.action == "create_home_visit")
    assert event.child_id == county.kids.zhang_san.id and "张三" not in event.detail


def test_a_second_submission_with_the_same_entry_id_stores_nothing_new(county, login_as):
    head = login_as("head1")
    entry = str(uuid.uuid4())
    first = log_visit(head, county.kids.zhang_san, client_uuid=entry, concern="手臂上有淤青", concern_urgency="soon")
    again = log_visit(head, county.kids.zhang_san, client_uuid=entry, concern="手臂上有淤青", concern_urgency="soon")
    assert first.status_code == again.status_code == 200
    assert "没有重复保存" in again.get_data(as_text=True)
    assert HomeVisit.select().count() == 1
    assert Concern.select().count() == 1


def test_a_visit_with_an_urgent_concern_reaches_the_counsellors_inbox(county, login_as):
    log_visit(login_as("head1"), county.kids.zhang_san, concern="孩子说晚上没人在家,不想活了", concern_urgency="urgent")
    visit, concern = HomeVisit.get(), Concern.get()
    assert (concern.source, concern.source_id, concern.urgency) == ("home_visit", visit.id, "urgent")
    assert visit.concern_id == concern.id
    kinds = [n.kind for n in Notification.select().where(Notification.user == county.users.counselor1)]
    assert kinds == ["concern_urgent"]
    assert "紧急预警" in login_as("counselor1").get("/inbox/").get_data(as_text=True)


def test_a_raised_urgency_without_words_is_not_sent(county, login_as):
    response = log_visit(login_as("head1"), county.kids.zhang_san, concern_urgency="urgent", concern="")
    assert response.status_code == 422
    assert "请描述您担心的情况" in response.get_data(as_text=True)
    assert HomeVisit.select().count() == 0 and Concern.select().count() == 0


def test_an_entry_id_already_used_by_someone_else_tells_nothing(county, login_as):
    entry = str(uuid.uuid4())
    log_visit(login_as("head1"), county.kids.zhang_san, client_uuid=entry, findings="奶奶说孩子晚上睡得不好。")
    replay = log_visit(login_as("head2"), county.kids.wang_wu, client_uuid=entry)
    assert replay.status_code == 409 and "睡得不好" not in replay.get_data(as_text=True)
    assert HomeVisit.select().count() == 1


def test_head2_cannot_log_or_read_a_visit_for_head1s_class(county, login_as):
    log_visit(login_as("head1"), county.kids.zhang_san)
    visit_id, class_id = HomeVisit.get().id, county.classes.c41.id
    head2 = login_as("head2")
    assert head2.get(f"/visits/new?child={county.kids.zhang_san.id}").status_code == 404
    assert log_visit(head2, county.kids.zhang_san).status_code == 404
    for url in (f"/visits/{visit_id}", f"/visits/{visit_id}/edit", f"/visits/class/{class_id}",
                f"/visits/class/{class_id}/register", f"/visits/class/{class_id}/register.xlsx"):
        assert head2.get(url).status_code == 404, url
    assert "张三" not in head2.get("/visits/").get_data(as_text=True)
    assert "张三" not in head2.post("/visits/pick", {"q": "zs"}).get_data(as_text=True)
    assert HomeVisit.select().count() == 1


def test_the_principal_sees_both_classes_and_drills_into_one(county, login_as):
    log_visit(login_as("head1"), county.kids.zhang_san)
    principal = login_as("principal1")
    page = principal.get("/visits/").get_data(as_text=True)
    assert "4年级1班" in page and "4年级2班" in page and "1/2" in page and "0/2" in page
    drill = principal.get(f"/visits/class/{county.classes.c41.id}").get_data(as_text=True)
    assert PROGRESS.search(drill).groups() == ("1", "2") and "李四" in drill
    assert principal.get(f"/visits/{HomeVisit.get().id}").status_code == 200
    assert principal.get(f"/visits/new?child={county.kids.zhang_san.id}").status_code == 404  # reads, not logs
    assert principal.get(f"/visits/class/{county.classes.s2c41.id}").status_code == 404  # another school


@pytest.mark.parametrize("username,expected", [
    ("county", 200), ("zone1", 200), ("counselor1", 200), ("principal1", 200), ("head1", 200),
    ("head2", 404), ("zone2", 404), ("counselor2", 404), ("principal2", 404), ("head3", 404),
])
def test_who_may_read_a_visit(county, login_as, username, expected):
    log_visit(login_as("head1"), county.kids.zhang_san)
    assert login_as(username).get(f"/visits/{HomeVisit.get().id}").status_code == expected


def test_zone_and_county_see_schools_then_classes(county, login_as):
    log_visit(login_as("head1"), county.kids.zhang_san)
    county_page = login_as("county").get("/visits/").get_data(as_text=True)
    assert "渠县第一小学" in county_page and "天星镇中心小学" in county_page
    zone1 = login_as("zone1")
    assert "天星镇中心小学" not in zone1.get("/visits/").get_data(as_text=True)
    school1 = zone1.get(f"/visits/?school={county.schools[0].id}").get_data(as_text=True)
    assert "4年级1班" in school1 and "1/2" in school1
    assert zone1.get(f"/visits/?school={county.schools[1].id}").status_code == 404


@pytest.mark.parametrize("username", ["committee1", "worker1"])
def test_committee_members_and_child_workers_reach_none_of_it(county, login_as, username):
    log_visit(login_as("head1"), county.kids.zhang_san)
    visit_id, class_id = HomeVisit.get().id, county.classes.c41.id
    user = login_as(username)
    for url in ("/visits/", "/visits/new", f"/visits/new?child={county.kids.zhang_san.id}", f"/visits/{visit_id}",
                f"/visits/{visit_id}/edit", f"/visits/class/{class_id}", f"/visits/class/{class_id}/register",
                f"/visits/class/{class_id}/register.xlsx"):
        assert user.get(url).status_code == 404, url
    assert user.post("/visits/pick", {"q": "zs"}).status_code == 404
    assert log_visit(user, county.kids.zhang_san).status_code == 404
    assert HomeVisit.select().count() == 1


def test_the_author_corrects_the_same_day_and_not_the_next(county, login_as, clock):
    head = login_as("head1")
    log_visit(head, county.kids.zhang_san)
    visit_id = HomeVisit.get().id
    url = f"/visits/{visit_id}/edit"
    assert "今天内可以修改" in head.get(url).get_data(as_text=True)
    response = head.post(url, visit_form(findings="更正:孩子与外婆同住。", client_uuid=None, made_at=None))
    assert response.status_code == 302
    visit = HomeVisit.get()
    assert visit.findings == "更正:孩子与外婆同住。" and visit.corrected_at is not None
    event = AuditEvent.get(AuditEvent.action == "correct_home_visit")
    assert "findings" in event.detail and "外婆" not in event.detail
    assert login_as("head2").get(url).status_code == 404
    assert login_as("principal1").get(url).status_code == 404  # readers do not correct

    clock.advance(days=1)
    refused = head.get(url)
    assert refused.status_code == 403 and "已不能修改" in refused.get_data(as_text=True)
    assert head.post(url, visit_form(findings="再改一次", client_uuid=None, made_at=None)).status_code == 403
    assert HomeVisit.get().findings == "更正:孩子与外婆同住。"
    assert "今天内" not in head.get(f"/visits/{visit_id}").get_data(as_text=True)  # no correct button


@pytest.mark.parametrize("changes,message,kept", [
    ({"visited_on": "2026-11-19"}, "日期不能是将来的日期", "2026-11-19"),
    ({"visited_on": "2026-08-31"}, "本学年从 2026年9月1日 开始", "2026-08-31"),
    ({"visited_on": "昨天"}, "不是有效的日期", "孩子与奶奶同住"),
    ({"received_by": None, "findings": "", "guidance": ""}, "请勾选接待家访的人", None),
    ({"received_by": None, "findings": "", "guidance": ""}, "请填写家访中了解到的情况", None),
    ({"findings": "很" * 2001}, "请不要超过 2000 个字", "很" * 50),
    ({"guidance": "议" * 2001}, "请不要超过 2000 个字", "议" * 50),
])
def test_bad_input_gets_a_clear_message_and_keeps_the_typing(county, login_as, changes, message, kept):
    response = log_visit(login_as("head1"), county.kids.zhang_san, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    if kept:
        assert kept in page
    assert HomeVisit.select().count() == 0


def test_the_checklist_starts_from_the_record_and_saving_updates_it(county, login_as):
    head = login_as("head1")
    form = head.get(f"/visits/new?child={county.kids.zhang_san.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="left_behind"', form)  # 张三 is left-behind
    assert not re.search(r'<input checked[^>]*value="single_parent"', form)
    # Parents came home, but they have separated and money is short.
    log_visit(head, county.kids.zhang_san, family_situation=["single_parent", "hardship"])
    child = Child.get_by_id(county.kids.zhang_san.id)
    assert (child.left_behind, child.single_parent) == (False, True)
    assert child.family_situation == "single_parent,hardship"
    assert child.family_situation_on.isoformat() == "2026-11-18"
    again = head.get(f"/visits/new?child={county.kids.zhang_san.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="hardship"', again)
    assert not re.search(r'<input checked[^>]*value="left_behind"', again)


def test_an_older_visit_sent_later_does_not_overwrite_a_newer_situation(county, login_as):
    head = login_as("head1")
    log_visit(head, county.kids.li_si, family_situation=["hardship"])
    log_visit(head, county.kids.li_si, visited_on="2026-10-08", family_situation=["early_trauma"])
    child = Child.get_by_id(county.kids.li_si.id)
    assert child.family_situation == "hardship" and child.family_situation_on.isoformat() == "2026-11-18"


def test_after_saving_a_tap_leads_to_the_next_child_due_in_the_same_village(app, county, login_as):
    with app.app_context():
        neighbour = Child.create(name="林小雨", sex="f", school_class=county.classes.c41, village=county.villages[0])
    page = log_visit(login_as("head1"), county.kids.zhang_san).get_data(as_text=True)
    assert f'href="/visits/new?child={neighbour.id}"' in page and "林小雨" in page
    last = log_visit(login_as("head1"), neighbour).get_data(as_text=True)
    assert "一村没有其他需要家访的孩子" in last


def test_visits_appear_in_the_childs_chronology_for_those_who_may_read_them(county, login_as):
    log_visit(login_as("head1"), county.kids.zhang_san)
    url = f"/children/{county.kids.zhang_san.id}"
    for username in ("head1", "principal1", "counselor1", "county"):
        assert "家访(实地走访)" in login_as(username).get(url).get_data(as_text=True), username
    worker_view = login_as("worker1").get(url).get_data(as_text=True)  # 张三 lives in her village
    assert "家访(实地走访)" not in worker_view and "奶奶同住" not in worker_view


def test_a_child_who_changes_class_mid_year_keeps_her_visits(app, county, login_as):
    log_visit(login_as("head1"), county.kids.li_si)
    with app.app_context():
        child = Child.get_by_id(county.kids.li_si.id)
        child.school_class = county.classes.c42
        child.save()
    head2 = login_as("head2")
    assert progress(head2) == (1, 3)
    assert "李四" not in head2.get("/visits/").get_data(as_text=True).split("本学年尚未家访")[1]
    assert login_as("head1").get(f"/visits/{HomeVisit.get().id}").status_code == 200  # still the author's


def test_key_group_children_are_due_again_next_term_while_the_year_still_counts(county, login_as, clock):
    head = login_as("head1")
    log_visit(head, county.kids.zhang_san, visited_on="2026-09-10")
    log_visit(head, county.kids.li_si, visited_on="2026-09-11", family_situation=[])
    autumn = head.get("/visits/").get_data(as_text=True)
    assert "本学期所有重点群体孩子都已家访" in autumn
    clock.advance(days=110)  # 2027-03-08, spring term
    head = login_as("head1")  # unused over the winter: her sign-in ran out
    spring = head.get("/visits/").get_data(as_text=True)
    due = spring.split("本学期应访的重点群体")[1].split("本学年尚未家访")[0]
    assert "张三" in due and "李四" not in due  # left-behind: once a term; 李四: once a year
    assert PROGRESS.search(spring).groups() == ("2", "2")


def test_the_childrens_list_and_child_page_lead_head_teachers_to_visits(county, login_as):
    head = login_as("head1")
    assert 'href="/visits/"' in head.get("/children/").get_data(as_text=True)
    child_page = head.get(f"/children/{county.kids.zhang_san.id}").get_data(as_text=True)
    assert f'href="/visits/new?child={county.kids.zhang_san.id}"' in child_page
    principal_page = login_as("principal1").get(f"/children/{county.kids.zhang_san.id}").get_data(as_text=True)
    assert "/visits/new" not in principal_page



def test_two_copies_racing_store_one_visit_and_one_concern(app, county, monkeypatch):
    data = {"visited_on": date(2026, 11, 18), "mode": "phone", "received_by": ["mother"], "child_present": False,
            "family_situation": [], "findings": "电话沟通", "guidance": "", "follow_up": False}
    entry = str(uuid.uuid4())
    with app.app_context():
        first, created = service.log_visit(county.kids.li_si, county.users.head1, data, datetime(2026, 11, 18),
                                           entry, concern=("soon", "情绪低落"))
        # The second copy looked before the first was stored: the unique index decides.
        monkeypatch.setattr(HomeVisit, "get_or_none", classmethod(lambda cls, *args: None))
        second, created_again = service.log_visit(county.kids.li_si, county.users.head1, data,
                                                  datetime(2026, 11, 18), entry, concern=("soon", "情绪低落"))
    assert created and not created_again and second.id == first.id
    assert HomeVisit.select().count() == 1 and Concern.select().count() == 1


def test_a_schools_visits_of_the_year_are_asked_with_the_years_dates_in_the_sql(app, county):
    """The dashboards read a school's visits of the year by its children: with the year's bounds
    sent as values, PostgreSQL's generic plan for the repeated statement took the range for a
    sliver and read every visit of the county's year (25 ms a school); written into the SQL,
    the bounds let it count them and go child by child."""
    from webapp.visits import coverage

    with app.app_context():
        children = Child.select(Child.id).where(Child.school_class == county.classes.c41.id)
        sql, params = coverage.year_visits(children, date(2026, 11, 18)).sql()
    assert "'2026-09-01'" in sql and "'2027-08-31'" in sql, sql
    assert not any(isinstance(value, date) for value in params), params
