"""童伴之家 activities: one entry, an attendance for each child who came, the weekly duty done."""
import uuid

from webapp.models import Activity, Attendance, AuditEvent, Child

from .village_steps import record_activity, register, section


def _five_children(county, login_as):
    """The three children of village 1 in the test county and two she registers."""
    worker = login_as("worker1")
    register(worker, county.villages[0])
    register(worker, county.villages[0], name="刘小明", sex="m", birth_date="2019-06-01")
    kids = county.kids
    registered = list(Child.select().where(Child.name.in_(("刘小雨", "刘小明"))))
    return worker, [kids.zhang_san, kids.wang_wu, kids.zheng_shi, *registered]


def test_an_activity_with_five_children_counts_five_attendances_and_the_weekly_activity(county, login_as):
    worker, children = _five_children(county, login_as)
    before = worker.get("/checkins/").get_data(as_text=True)
    assert "一村童伴之家" in section(before, "overdue")  # none last week either

    response = record_activity(worker, county.villages[0], children)
    assert response.status_code == 200
    assert "已保存:一村童伴之家“手工课:做风筝”,5 名儿童参加" in response.get_data(as_text=True)
    activity = Activity.get()
    assert Attendance.select().where(Attendance.activity == activity.id).count() == 5
    assert AuditEvent.get(AuditEvent.action == "create_activity").object_id == activity.id

    after = worker.get("/checkins/").get_data(as_text=True)
    assert "一村童伴之家" not in section(after, "overdue")
    assert "一村童伴之家" in section(after, "done")
    log = worker.get("/village/worklog").get_data(as_text=True)
    assert "5 人次参加" in log and "手工课:做风筝" in log
    # Each child's chronology shows she came.
    page = worker.get(f"/children/{children[0].id}").get_data(as_text=True)
    assert "参加童伴之家活动:手工课:做风筝" in page


def test_a_child_of_another_village_cannot_be_ticked(county, login_as):
    worker, children = _five_children(county, login_as)
    response = record_activity(worker, county.villages[0], [*children[:2], county.kids.chen_yi])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "勾选的孩子里有不是本村的" in page
    assert page.count(" checked>") == 2 and "手工课:做风筝" in page  # her ticks and typing are kept
    assert not Activity.select().exists()


def test_an_activity_of_another_village_is_refused(county, login_as):
    response = record_activity(login_as("worker1"), county.villages[1], [])
    assert response.status_code == 422 and "只能记录您负责的村(社区)的活动" in response.get_data(as_text=True)


def test_an_activity_sent_twice_is_stored_once(county, login_as):
    worker, children = _five_children(county, login_as)
    entry = str(uuid.uuid4())
    record_activity(worker, county.villages[0], children, client_uuid=entry)
    again = record_activity(worker, county.villages[0], children, client_uuid=entry)
    assert again.status_code == 200 and "没有重复保存" in again.get_data(as_text=True)
    assert Activity.select().count() == 1 and Attendance.select().count() == 5


def test_an_activity_in_the_future_is_refused(county, login_as):
    response = record_activity(login_as("worker1"), county.villages[0], [], day="2026-12-01")
    assert response.status_code == 422 and "日期不能是将来的日期" in response.get_data(as_text=True)


def test_only_child_workers_record_activities(county, login_as):
    for username in ("head1", "county", "zone1"):
        assert login_as(username).get("/village/activities/new").status_code == 404
