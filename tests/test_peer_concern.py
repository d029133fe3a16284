"""A pupil worried about a classmate, a pupil who helped one, and what she sees of it afterwards:
only her own entries, only their status (已收到 / 老师已查看 / 已处理)."""
import pytest

from webapp.models import Concern, Notification, PeerSupport

from .peer_steps import add_classmates, mention, send_concern, send_nil, send_support, send_weekly, text


@pytest.fixture
def pupils(app, county):
    with app.app_context():
        return add_classmates(county)


def _told(username):
    return sorted(n.kind for n in Notification.select().join_from(Notification, Notification.user.rel_model)
                  .where(Notification.user.rel_model.username == username))


def test_a_concern_about_a_classmate_reaches_the_counsellor_and_head_teacher(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    form = text(pupil.get("/peer/concern/new"))
    assert "钱多多" in form and "李四" in form
    assert "王五" not in form and "张三" not in form  # own class only, not herself
    response = send_concern(pupil, qian, urgency="soon")
    assert response.status_code == 200 and "已收到,谢谢你" in text(response)
    concern = Concern.get()
    assert (concern.child_id, concern.source, concern.urgency) == (qian.id, "peer_concern", "soon")
    assert concern.reporter_id == county.users.committee1.id
    assert _told("counselor1") == ["concern_soon"] and _told("head1") == ["concern_soon"]
    assert _told("principal1") == []


def test_an_urgent_concern_first_says_tell_the_nearest_teacher_then_sends(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    first = send_concern(pupil, qian, urgency="urgent", text="他说今晚要从楼上跳下去", client_uuid=None)
    page = text(first)
    assert first.status_code == 200
    assert "现在就告诉身边的老师" in page and 'href="tel:110"' in page and 'href="tel:120"' in page
    assert "他说今晚要从楼上跳下去" in page and 'name="confirmed" value="yes"' in page
    assert Concern.select().count() == 0  # nothing is sent before the pupil has read it
    second = send_concern(pupil, qian, urgency="urgent", text="他说今晚要从楼上跳下去", confirmed=True)
    assert second.status_code == 200 and "现在就告诉身边的老师" in text(second)
    assert Concern.get().urgency == "urgent"
    assert _told("principal1") == ["concern_urgent"]


def test_going_back_from_the_urgent_warning_keeps_what_was_written(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    pupil.get("/peer/concern/new")
    response = pupil.post("/peer/concern/new", {
        "child": str(qian.id), "description": "他把自己关在厕所里", "urgency": "urgent", "confirmed": "yes",
        "action": "edit", "client_uuid": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    })
    page = text(response)
    assert response.status_code == 200 and "他把自己关在厕所里" in page
    assert 'name="confirmed" type="hidden" value=""' in page
    assert Concern.select().count() == 0


@pytest.mark.parametrize("case,message", [
    ("other-class", "请从本班同学中选择"), ("no-child", "请选择是哪位同学"), ("empty", "请写一写发生了什么"),
    ("too-long", "不要超过 1000 个字"), ("herself", "请从本班同学中选择"),
])
def test_bad_concerns_get_a_clear_message_and_keep_the_input(county, login_as, pupils, case, message):
    qian, _sun = pupils
    child = {"other-class": county.kids.wang_wu, "herself": county.kids.zhang_san}.get(case, qian)
    words = {"empty": "", "too-long": "急" * 1001}.get(case, "下课被几个同学围着推搡")
    pupil = login_as("committee1")
    pupil.get("/peer/concern/new")
    response = pupil.post("/peer/concern/new", {
        "child": "" if case == "no-child" else str(child.id), "description": words, "urgency": "normal",
        "client_uuid": "1f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    })
    assert response.status_code == 422
    assert message in text(response)
    assert words[:30] in text(response)
    assert Concern.select().count() == 0


def test_a_replayed_concern_is_raised_once(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    entry = "2a1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
    send_concern(pupil, qian, client_uuid=entry)
    again = send_concern(pupil, qian, client_uuid=entry)
    assert again.status_code == 200 and "没有重复提交" in text(again)
    assert Concern.select().count() == 1


def test_a_pupil_logs_peer_support_named_or_not(county, login_as, pupils):
    qian, _sun = pupils
    pupil = login_as("committee1")
    form = text(pupil.get("/peer/support/new"))
    assert "不写名字" in form and "被取笑或欺负" in form
    assert send_support(pupil, qian, topics=("study", "mood"), tell_teacher=True).status_code == 200
    assert send_support(pupil, None, topics=(), about="同桌的奶奶住院了,她很担心").status_code == 200
    named, unnamed = PeerSupport.select().order_by(PeerSupport.id)
    assert (named.child_id, named.topic_list, named.tell_teacher) == (qian.id, ["study", "mood"], True)
    assert unnamed.child_id is None and unnamed.about.startswith("同桌")
    assert unnamed.school_class_id == county.classes.c41.id


@pytest.mark.parametrize("fields,message", [
    ({"done": ""}, "请写一写你是怎么帮助的"),
    ({"topics": (), "about": ""}, "请勾选是关于什么的"),
    ({"child": "other-class"}, "请从本班同学中选择"),
    ({"about": "长" * 1001}, "不要超过 1000 个字"),
])
def test_bad_support_entries_are_refused_with_the_input_kept(county, login_as, pupils, fields, message):
    if fields.get("child") == "other-class":
        fields["child"] = county.kids.wang_wu
    response = send_support(login_as("committee1"), **{"done": "陪他去了医务室", **fields})
    assert response.status_code == 422 and message in text(response)
    if fields.get("done", "x"):
        assert "陪他去了医务室" in text(response)
    assert PeerSupport.select().count() == 0


def test_my_submissions_show_each_entry_with_its_status_only(county, login_as, pupils, clock):
    qian, sun = pupils
    pupil = login_as("committee1")
    send_weekly(pupil, mentions=[mention(sun, "连续三天没交作业")])
    send_support(pupil, qian)
    send_concern(pupil, qian, urgency="soon", text="她说爸爸妈妈要离婚了")
    page = text(pupil.get("/peer/mine"))
    assert page.count("已收到") == 3
    for kind in ("班级心理晴雨表", "我帮助了同学", "我担心一位同学"):
        assert kind in page
    # Status only: no names, no text, nothing a classmate could read over her shoulder.
    for private in ("钱多多", "孙小明", "连续三天没交作业", "离婚"):
        assert private not in page

    concern_id = Concern.get().id
    login_as("head1").get(f"/concerns/{concern_id}")  # a teacher opened it
    assert "老师已查看" in text(pupil.get("/peer/mine"))
    counselor = login_as("counselor1")
    counselor.get(f"/concerns/{concern_id}")
    counselor.post(f"/concerns/{concern_id}/triage", {"risk_level": "attention", "decision": "monitor",
                                                      "note": "已约谈家长,内部备注"})
    page = text(pupil.get("/peer/mine"))
    assert "已处理" in page and "内部备注" not in page


def test_a_pupil_sees_only_her_own_submissions(county, login_as, pupils):
    send_nil(login_as("committee1"))
    page = text(login_as("committee2").get("/peer/mine"))
    assert "这学期还没有提交过" in page
