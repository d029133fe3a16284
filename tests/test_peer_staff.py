"""What teachers do with the committee's work: the head teacher confirms the weekly report on her
home page; a named classmate is read by her head teacher, counsellor and principal only; a week
with no report shows as missing; pupils never open anybody's records."""
import pytest

from webapp.models import AuditEvent, Concern, PeerSupport, WeeklyReport

from .peer_steps import add_classmates, mention, send_concern, send_nil, send_support, send_weekly, text


@pytest.fixture
def pupils(app, county):
    with app.app_context():
        return add_classmates(county)


@pytest.fixture
def report_id(county, login_as, pupils):
    qian, _sun = pupils
    send_weekly(login_as("committee1"), mood="3", events="数学测验后好几个人哭了",
                mentions=[mention(qian, "测验后一直在哭,说回家会挨打", days=1)])
    return WeeklyReport.get().id


def test_the_head_teacher_sees_the_report_on_her_home_page_and_confirms_it(county, login_as, report_id):
    head = login_as("head1")
    home = text(head.get("/"))
    assert "班级心理晴雨表" in home and "待确认" in home
    assert f'action="/peer/reports/{report_id}/confirm"' in home  # 确认 right from her home page
    page = text(head.get(f"/peer/reports/{report_id}"))
    assert "钱多多" in page and "说回家会挨打" in page and "数学测验后好几个人哭了" in page
    response = head.post(f"/peer/reports/{report_id}/confirm", {"remark": "已单独找钱多多谈话", "back": "home"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    report = WeeklyReport.get_by_id(report_id)
    assert report.confirmed_by_id == county.users.head1.id and report.confirm_remark == "已单独找钱多多谈话"
    assert "已确认" in text(head.get(f"/peer/reports/{report_id}"))
    assert "/confirm" not in text(head.get("/"))
    assert "已处理" in text(login_as("committee1").get("/peer/mine"))
    assert AuditEvent.select().where(AuditEvent.action == "confirm_weekly_report").count() == 1


def test_a_supplement_after_the_confirmation_waits_for_its_own(county, login_as, report_id):
    head = login_as("head1")
    head.get("/")
    head.post(f"/peer/reports/{report_id}/confirm", {"remark": ""})
    send_weekly(login_as("committee2"), mood="", events="周五又有同学哭了")
    supplement_id = WeeklyReport.get(WeeklyReport.part == 1).id
    assert f"/peer/reports/{supplement_id}/confirm" in text(head.get("/"))
    supplement = WeeklyReport.get(WeeklyReport.part == 1)
    assert supplement.confirmed_at is None and WeeklyReport.get_by_id(report_id).confirmed_at is not None


def test_an_overlong_remark_is_refused_and_kept(county, login_as, report_id):
    head = login_as("head1")
    head.get(f"/peer/reports/{report_id}")
    response = head.post(f"/peer/reports/{report_id}/confirm", {"remark": "好" * 1001})
    assert response.status_code == 422 and "不要超过 1000 个字" in text(response)
    assert WeeklyReport.get_by_id(report_id).confirmed_at is None


def test_opening_the_report_shows_the_pupil_a_teacher_has_seen_it(county, login_as, report_id):
    pupil = login_as("committee1")
    assert "老师已查看" not in text(pupil.get("/peer/mine"))
    login_as("counselor1").get(f"/peer/reports/{report_id}")
    assert "老师已查看" in text(pupil.get("/peer/mine"))
    event = AuditEvent.get(AuditEvent.action == "read_weekly_report")
    assert event.username == "counselor1" and "钱多多" not in event.detail


@pytest.mark.parametrize("username,expected", [
    ("head1", 200), ("counselor1", 200), ("principal1", 200),
    ("head2", 404), ("head3", 404), ("counselor2", 404), ("principal2", 404), ("zone1", 404), ("county", 404),
    ("worker1", 404), ("committee1", 404), ("committee2", 404),
])
def test_a_named_classmate_is_read_by_her_head_teacher_counsellor_and_principal_only(
        county, login_as, report_id, username, expected):
    assert login_as(username).get(f"/peer/reports/{report_id}").status_code == expected


@pytest.mark.parametrize("username", ["head2", "counselor1", "principal1", "committee1"])
def test_only_the_classs_own_head_teacher_confirms(county, login_as, report_id, username):
    user = login_as(username)
    user.get("/help")
    assert user.post(f"/peer/reports/{report_id}/confirm", {"remark": ""}).status_code == 404
    assert WeeklyReport.get_by_id(report_id).confirmed_at is None


def test_a_committee_member_cannot_read_another_classs_report_or_any_record(county, login_as, report_id, pupils):
    qian, _sun = pupils
    other = WeeklyReport.create(school_class=county.classes.c42, week_start=WeeklyReport.get().week_start,
                                nil=True, made_at=WeeklyReport.get().made_at,
                                client_uuid="3c1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
    send_concern(login_as("committee1"), qian, urgency="soon")
    concern_id = Concern.get().id
    pupil = login_as("committee1")
    for url in (f"/peer/reports/{other.id}", f"/peer/reports/{report_id}", "/peer/reports/", "/peer/support/",
                f"/children/{qian.id}", f"/children/{county.kids.zhang_san.id}", "/children/",
                f"/concerns/{concern_id}", "/concerns/", "/cases/", "/admin/",
                f"/admin/classes/{county.classes.c41.id}", "/inbox/"):
        assert pupil.get(url).status_code == 404, url


@pytest.mark.parametrize("url", ["/peer/weekly", "/peer/support/new", "/peer/concern/new", "/peer/mine"])
@pytest.mark.parametrize("username", ["head1", "counselor1", "principal1", "county", "worker1"])
def test_the_pupil_pages_are_for_committee_members_only(county, login_as, url, username):
    assert login_as(username).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/peer/reports/", "/peer/support/"])
@pytest.mark.parametrize("username,expected", [
    ("head1", 200), ("counselor1", 200), ("principal1", 200), ("zone1", 404), ("county", 404), ("worker1", 404),
])
def test_the_teachers_lists_are_for_head_teachers_counsellors_and_principals(county, login_as, url, username,
                                                                            expected):
    assert login_as(username).get(url).status_code == expected


def test_the_reports_list_shows_each_class_and_week(county, login_as, report_id):
    page = text(login_as("principal1").get("/peer/reports/"))
    assert "4年级1班" in page and "4年级2班" in page and "3年级1班" not in page  # from grade 4 only
    assert f"/peer/reports/{report_id}" in page and "未交" in page  # 4-2 sent nothing last week
    assert "天星镇" not in page and "钱多多" not in page  # no names on the overview


def test_a_class_with_no_report_by_sunday_night_shows_as_missing(county, login_as, clock):
    send_nil(login_as("committee1"))
    home = text(login_as("head1").get("/"))
    assert "上周未交:4-1" in home  # the test clock's Wednesday: last week nobody sent anything
    principal = text(login_as("principal1").get("/"))
    assert "上周未交:4-1、4-2" in principal
    clock.advance(days=5)  # Monday 23 November: this week's nil report covers 4-1
    assert "上周未交:4-2" in text(login_as("principal1").get("/"))
    assert "上周未交" not in text(login_as("head1").get("/"))


def test_the_peer_support_log_is_read_by_teachers_and_marks_entries_seen(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    send_support(pupil, qian, about="被几个男生起外号", tell_teacher=True)
    head = login_as("head1")
    assert "1 条朋辈帮扶记录需要老师知道" in text(head.get("/"))
    page = text(head.get("/peer/support/"))
    assert "钱多多" in page and "被几个男生起外号" in page
    assert PeerSupport.get().seen_at is not None
    assert "老师已查看" in text(pupil.get("/peer/mine"))
    assert "被几个男生起外号" not in text(login_as("head2").get("/peer/support/"))


def test_a_child_page_shows_the_mention_to_her_teachers_only(county, login_as, report_id, pupils):
    qian, _sun = pupils
    page = text(login_as("head1").get(f"/children/{qian.id}"))
    assert "在班级心理晴雨表中被提到" in page and "说回家会挨打" in page
    zone_page = text(login_as("zone1").get(f"/children/{qian.id}"))
    assert "说回家会挨打" not in zone_page


def test_help_works_signed_out_with_the_hotlines(county, browser):
    response = browser.get("/help")
    page = text(response)
    assert response.status_code == 200
    for number in ("12355", "12320", "110", "120"):
        assert f'href="tel:{number}"' in page


def test_help_shows_the_schools_mailbox_and_hours_set_by_the_principal(county, login_as, browser):
    school = county.schools[0]
    principal = login_as("principal1")
    assert "心理信箱和辅导室开放时间" in text(principal.get("/admin/"))
    principal.get(f"/admin/schools/{school.id}/help")
    response = principal.post(f"/admin/schools/{school.id}/help", {
        "mailbox": "行政楼一楼东侧心理信箱", "counselling_hours": "周一至周五 12:30–13:30"})
    assert response.status_code == 302
    pupil_help = text(login_as("committee1").get("/help"))
    assert "行政楼一楼东侧心理信箱" in pupil_help and "周一至周五 12:30–13:30" in pupil_help
    assert "行政楼一楼东侧心理信箱" in text(browser.get(f"/help?school={school.id}"))  # a poster's link
    assert "行政楼一楼东侧心理信箱" not in text(browser.get("/help"))
    assert login_as("principal2").get(f"/admin/schools/{school.id}/help").status_code == 404
    assert login_as("head1").get(f"/admin/schools/{school.id}/help").status_code == 404
