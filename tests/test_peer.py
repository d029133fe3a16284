"""The class psychology committee (心理委员): a pupil sends the weekly class report, a nil week in
one tap, a worrying classmate reaches the counsellor, the other member adds a supplement."""
import pytest

from webapp.models import AuditEvent, Concern, Notification, ReportMention, WeeklyReport

from .peer_steps import (
    LAST_MONDAY,
    NEXT_MONDAY,
    add_classmates,
    mention,
    send_nil,
    send_weekly,
    text,
    weekly_data,
)


@pytest.fixture
def pupils(app, county):
    with app.app_context():
        return add_classmates(county)


def _told(username):
    return [n.kind for n in Notification.select().join_from(Notification, Notification.user.rel_model)
            .where(Notification.user.rel_model.username == username)]


def test_the_pupil_home_is_three_big_buttons_with_help_my_submissions_and_sign_out(county, login_as):
    page = text(login_as("committee1").get("/"))
    for words in ("本周晴雨表", "我帮助了同学", "我担心一位同学", "求助", "我提交的", "退出"):
        assert words in page, words
    assert "本周晴雨表还没交" in page


def test_a_quiet_week_is_one_tap(county, login_as):
    pupil = login_as("committee1")
    page = text(pupil.get("/peer/weekly"))
    assert "本周无特殊情况" in page and "11月16日–11月22日" in page
    response = send_nil(pupil)
    assert response.status_code == 200
    assert "已收到,谢谢你" in text(response)
    report = WeeklyReport.get()
    assert (report.nil, report.part, report.mood, report.author_id) == (True, 0, None, county.users.committee1.id)
    assert report.made_at.isoformat() == "2026-11-18T01:58:00"  # made on the phone, kept
    assert report.received_at.isoformat() == "2026-11-18T02:00:00"
    assert "本周晴雨表已交" in text(pupil.get("/"))
    assert Concern.select().count() == 0


def test_a_report_naming_an_urgent_classmate_reaches_the_counsellors_inbox(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    response = send_weekly(pupil, mood="2", events="周二体育课有两位同学吵架了",
                           mentions=[mention(qian, "她说不想活了,手臂上有划痕", days=4, urgency="urgent")])
    assert response.status_code == 200
    page = text(response)
    assert "现在就告诉身边的老师" in page and "110" in page
    concern = Concern.get()
    assert (concern.child_id, concern.urgency, concern.source) == (qian.id, "urgent", "weekly_report")
    assert concern.source_id == WeeklyReport.get().id and concern.reporter_id == county.users.committee1.id
    assert "手臂上有划痕" in concern.description
    assert _told("counselor1") == ["concern_urgent"] and _told("principal1") == ["concern_urgent"]
    inbox = text(login_as("counselor1").get("/concerns/"))
    assert "钱多多" in inbox


def test_a_soon_classmate_becomes_a_concern_and_a_mild_one_stays_in_the_report(county, login_as, pupils):
    qian, sun = pupils
    send_weekly(login_as("committee1"), mentions=[mention(qian, urgency="soon"), mention(sun)])
    assert [(c.child_id, c.urgency) for c in Concern.select()] == [(qian.id, "soon")]
    assert ReportMention.select().count() == 2


def test_a_classmate_named_two_weeks_in_a_row_becomes_a_concern_even_when_mild(county, login_as, pupils, clock):
    qian, sun = pupils
    pupil = login_as("committee1")
    send_weekly(pupil, week=LAST_MONDAY, mentions=[mention(qian, "上课一直趴着"), mention(sun, "忘带作业")])
    assert Concern.select().count() == 0
    send_weekly(pupil, mentions=[mention(qian, "还是一直趴着,不说话")])
    concern = Concern.get()
    assert (concern.child_id, concern.urgency, concern.source) == (qian.id, "normal", "repeated_mention")
    assert "还是一直趴着" in concern.description and "上课一直趴着" in concern.description
    # The other member names her again in a supplement the same week: still one concern.
    send_weekly(login_as("committee2"), mentions=[mention(qian, "今天哭了")])
    assert Concern.select().where(Concern.source == "repeated_mention").count() == 1


def test_the_second_member_sees_it_is_done_and_adds_a_supplement(county, login_as, pupils):
    qian, _sun = pupils
    send_weekly(login_as("committee1"), mood="4")
    girl = login_as("committee2")
    page = text(girl.get("/peer/weekly"))
    assert "已完成:committee1 已在" in page and "补充本周晴雨表" in page
    assert 'value="nil"' not in page  # no nil tap for a week that is already in
    response = send_weekly(girl, mood="", events="周五有同学转学走了,大家有点难过",
                           mentions=[mention(qian, "好朋友转学后一个人吃饭")])
    assert response.status_code == 200
    assert "作为补充收到了" in text(response)
    parts = list(WeeklyReport.select().order_by(WeeklyReport.part))
    assert [(p.part, p.author_id) for p in parts] == [(0, county.users.committee1.id), (1, county.users.committee2.id)]
    assert parts[1].mood is None


def test_a_second_full_report_for_the_same_week_becomes_a_supplement(county, login_as):
    send_weekly(login_as("committee1"), mood="4")
    response = send_weekly(login_as("committee2"), mood="2", events="好几个同学说考试压力大")
    assert "作为补充收到了" in text(response)
    assert [p.part for p in WeeklyReport.select().order_by(WeeklyReport.part)] == [0, 1]


def test_a_nil_tap_after_the_week_is_in_stores_nothing(county, login_as):
    send_weekly(login_as("committee1"), mood="4")
    response = send_nil(login_as("committee2"))
    assert response.status_code == 200 and "本周晴雨表已经交了" in text(response)
    assert WeeklyReport.select().count() == 1


def test_a_replayed_report_is_stored_once(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    first = send_weekly(pupil, client_uuid="0b7c5c1e-9a61-4f0e-8d7e-3a4f5b6c7d8e",
                        mentions=[mention(qian, urgency="urgent")])
    again = send_weekly(pupil, client_uuid="0b7c5c1e-9a61-4f0e-8d7e-3a4f5b6c7d8e",
                        mentions=[mention(qian, urgency="urgent")])
    assert first.status_code == again.status_code == 200
    assert "没有重复提交" in text(again)
    assert WeeklyReport.select().count() == 1 and Concern.select().count() == 1


def test_a_replayed_report_with_only_a_face_is_still_the_same_report(county, login_as):
    pupil = login_as("committee1")
    entry = "5d1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
    send_weekly(pupil, mood="4", client_uuid=entry)
    again = send_weekly(pupil, mood="4", client_uuid=entry)  # the week is in now: it would be a supplement
    assert again.status_code == 200 and "没有重复提交" in text(again)
    assert WeeklyReport.select().count() == 1


def test_add_another_classmate_shows_one_more_row_and_keeps_the_typing(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    pupil.get("/peer/weekly")
    response = pupil.post("/peer/weekly", weekly_data(events="运动会", mentions=[mention(qian, "跑步摔倒了")],
                                                      action="add"))
    page = text(response)
    assert response.status_code == 200
    assert "同学 2" in page and "mentions-1-child" in page
    assert "跑步摔倒了" in page and "运动会" in page
    assert WeeklyReport.select().count() == 0


@pytest.mark.parametrize("fields,message", [
    ({"mentions": "other-class"}, "请从本班同学中选择"),
    ({"week": NEXT_MONDAY}, "那一周还没有开始"),
    ({"week": "2026-10-26"}, "那一周太久以前了"),
    ({"mood": ""}, "请点一个表情"),
    ({"events": "很" * 1001}, "不要超过 1000 个字"),
    ({"mentions": "no-words"}, "请写一写你注意到了什么"),
    ({"mentions": "twice"}, "这位同学写了两次"),
])
def test_bad_input_gets_a_clear_message_and_keeps_the_input(county, login_as, pupils, fields, message):
    qian, _sun = pupils
    named = {
        "other-class": [mention(county.kids.wang_wu, "在操场上哭")],
        "no-words": [mention(qian, "")],
        "twice": [mention(qian, "一"), mention(qian, "二")],
    }.get(fields.pop("mentions", None), [mention(qian, "最近不爱说话")])
    data = {"events": "这周班上有点吵", **fields, "mentions": named}
    pupil = login_as("committee1")
    response = send_weekly(pupil, **data)
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert data["events"][:20] in page
    if named[0]["noticed"]:
        assert named[0]["noticed"] in page
    assert WeeklyReport.select().count() == 0 and Concern.select().count() == 0


def test_nothing_special_after_writing_something_keeps_what_was_written(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    response = send_weekly(pupil, mood="", events="班上有人打架", mentions=[mention(qian, "被推倒了")], action="nil")
    page = text(response)
    assert response.status_code == 422 and "请点最下面的“发送”" in page
    assert "班上有人打架" in page and "被推倒了" in page
    assert WeeklyReport.select().count() == 0


def test_a_nil_report_for_a_future_week_is_refused(county, login_as):
    response = send_nil(login_as("committee1"), week=NEXT_MONDAY)
    assert response.status_code == 422 and "那一周还没有开始" in text(response)
    assert WeeklyReport.select().count() == 0


def test_last_weeks_missing_report_can_still_be_sent(county, login_as):
    pupil = login_as("committee1")
    assert "上周的晴雨表还没有交" in text(pupil.get("/peer/weekly"))
    assert "上周" in text(pupil.get("/peer/weekly?week=last"))
    send_nil(pupil, week=LAST_MONDAY)
    assert WeeklyReport.get().week_start.isoformat() == LAST_MONDAY
    assert "上周的晴雨表还没有交" not in text(pupil.get("/peer/weekly"))


def test_sending_a_report_is_audited_without_names(county, login_as, pupils):
    qian, _sun = pupils
    send_weekly(login_as("committee1"), mentions=[mention(qian)])
    event = AuditEvent.get(AuditEvent.action == "create_weekly_report")
    assert event.username == "committee1" and "钱多多" not in event.detail


def test_a_pupil_is_signed_out_after_fifteen_idle_minutes_and_nothing_is_stored(county, login_as, clock):
    pupil = login_as("committee1")
    pupil.get("/peer/weekly")
    clock.advance(minutes=16)
    response = pupil.post("/peer/weekly", weekly_data())
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert WeeklyReport.select().count() == 0
    assert pupil.get("/peer/mine").status_code == 302
