"""The supervisor's side: monthly work logs (工作日志), duty completion in scope, the county's duty rules."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from webapp.models import AuditEvent, Child, DutyRule

from .village_steps import check_in, record_activity, register, section


def _a_month_of_work(county, login_as):
    worker = login_as("worker1")
    register(worker, county.villages[0])
    check_in(worker, county.kids.zhang_san, concern_urgency="soon", concern="成绩下滑明显。")
    check_in(worker, county.kids.zheng_shi, kind="parent_video")
    record_activity(worker, county.villages[0], [county.kids.zhang_san, county.kids.zheng_shi], title="=1+1 游戏")
    return worker


def test_the_worker_prints_her_monthly_work_log(county, login_as):
    page = _a_month_of_work(county, login_as).get("/village/worklog").get_data(as_text=True)
    assert "worker1 的工作日志(2026-11)" in page
    assert "张三" in page and "郑十" in page and "已上报预警" in page
    assert "2 人次参加" in page
    assert "成绩下滑明显" not in page  # the log counts work; the concern itself goes to triage


def test_the_work_log_downloads_as_xlsx_and_is_audited(county, login_as):
    worker = _a_month_of_work(county, login_as)
    response = worker.get("/village/worklog.xlsx?month=2026-11")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    book = load_workbook(BytesIO(response.data))
    summary = {row[0]: row[1:] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert summary["入户走访"][0] == 1 and summary["与父母视频连线"][0] == 1
    assert summary["活动参与人次"][0] == 2 and summary["上报预警"][0] == 1
    visits = list(book["走访记录"].iter_rows(values_only=True))
    assert visits[0][:3] == ("日期", "儿童", "方式") and {row[1] for row in visits[1:]} == {"张三", "郑十"}
    assert list(book["童伴之家活动"].iter_rows(values_only=True))[1][1] == "'=1+1 游戏"  # never a formula
    event = AuditEvent.get(AuditEvent.action == "export_worklog")
    assert event.object_id == county.users.worker1.id and "张三" not in event.detail


def test_zone_and_county_see_every_workers_duty_completion_in_their_scope(county, login_as):
    _a_month_of_work(county, login_as)
    zone = login_as("zone1").get("/village/duties").get_data(as_text=True)
    assert "worker1" in zone and "worker2" in zone  # both villages lie in zone 1's township
    assert "worker1" not in login_as("zone2").get("/village/duties").get_data(as_text=True)
    assert "worker2" in login_as("county").get("/village/duties").get_data(as_text=True)
    log = login_as("zone1").get(f"/village/worklog?worker={county.users.worker1.id}&month=2026-11")
    assert log.status_code == 200 and "张三" in log.get_data(as_text=True)


@pytest.mark.parametrize("username,url,status", [
    ("zone2", "/village/worklog?worker={worker1}", 404),
    ("zone2", "/village/worklog.xlsx?worker={worker1}", 404),
    ("county", "/village/worklog?worker={head1}", 404),  # not a child worker
    ("head1", "/village/worklog", 404), ("head1", "/village/duties", 404),
    ("counselor1", "/village/duties", 404), ("worker1", "/village/duties", 404),
    ("worker1", "/checkins/rules/", 404), ("zone1", "/checkins/rules/", 404), ("county", "/checkins/rules/", 200),
])
def test_who_may_open_the_supervisors_pages(county, login_as, username, url, status):
    ids = {"worker1": county.users.worker1.id, "head1": county.users.head1.id}
    assert login_as(username).get(url.format(**ids)).status_code == status


def test_a_worker_only_ever_reads_her_own_log(county, login_as):
    _a_month_of_work(county, login_as)
    page = login_as("worker2").get(f"/village/worklog?worker={county.users.worker1.id}").get_data(as_text=True)
    assert "worker2 的工作日志" in page and "张三" not in page


def test_the_county_asks_for_two_visits_a_month_and_one_is_no_longer_enough(county, login_as):
    worker = login_as("worker1")
    register(worker, county.villages[0])
    girl = Child.get(Child.name == "刘小雨")
    check_in(worker, girl)
    assert "入户走访" in section(worker.get("/checkins/").get_data(as_text=True), "done")

    admin = login_as("county")
    page = admin.get("/checkins/rules/").get_data(as_text=True)
    assert "童伴妈妈工作职责" in page and "入户走访" in page
    response = admin.post("/checkins/rules/", {
        "prefix": "r1", "r1-key": "home_visit:child:month", "r1-kind": "home_visit", "r1-per": "child",
        "r1-frequency": "month", "r1-count": "2", "r1-active": "y",
    })
    assert response.status_code == 302
    assert DutyRule.select().count() == 5  # the defaults were stored on the first change
    assert DutyRule.get(DutyRule.kind == "home_visit").count == 2
    later = section(worker.get("/checkins/").get_data(as_text=True), "later")
    assert "入户走访 1/2" in later


def test_a_rule_that_makes_no_sense_is_refused(county, login_as):
    admin = login_as("county")
    admin.get("/checkins/rules/")
    response = admin.post("/checkins/rules/", {
        "prefix": "new", "new-kind": "file", "new-per": "child", "new-frequency": "month", "new-count": "1",
    })
    assert response.status_code == 422 and "档案只需建一次" in response.get_data(as_text=True)
    duplicate = admin.post("/checkins/rules/", {
        "prefix": "new", "new-kind": "home_visit", "new-per": "child", "new-frequency": "month", "new-count": "1",
        "new-active": "y",
    })
    assert duplicate.status_code == 422 and "这条职责已经有了" in duplicate.get_data(as_text=True)
