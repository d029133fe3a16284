"""A child worker registers the left-behind children of her village; school and village see one child."""
import uuid
from datetime import date

import pytest

from webapp.models import AuditEvent, Child, LeftBehindFile
from webapp.village import idcard

from .village_steps import GIRL, register


def _girl():
    return Child.get(Child.name == GIRL["name"])


def test_a_worker_registers_a_child_with_the_guardians_confirmation(county, login_as):
    worker = login_as("worker1")
    response = register(worker, county.villages[0])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已保存:刘小雨 已登记在册" in page and "监护人未确认" not in page
    girl = _girl()
    assert (girl.village_id, girl.left_behind, girl.school_id) == (county.villages[0].id, True, None)
    assert (girl.guardian_name, girl.guardian_relation) == ("刘秀英", "祖母")
    record = LeftBehindFile.get(LeftBehindFile.child == girl.id)
    assert record.confirmed and record.confirmed_how == "paper" and record.confirmed_by == "刘秀英"
    assert (record.father_work_place, record.left_behind_type, record.guardian_age) == ("广东省东莞市", "both_away", 63)
    assert record.made_at.isoformat() == "2026-11-18T01:58:00"
    event = AuditEvent.get(AuditEvent.action == "create_left_behind_file")
    assert event.child_id == girl.id and "刘" not in event.detail  # ids only in the log
    assert "刘小雨" in worker.get("/children/").get_data(as_text=True)


def test_without_confirmation_she_is_marked_everywhere_until_it_is_recorded(county, login_as):
    worker = login_as("worker1")
    response = register(worker, county.villages[0], confirmed_by="", confirmed_relation="", confirmed_on="",
                        confirmed_how=None)
    assert response.status_code == 200 and "监护人未确认" in response.get_data(as_text=True)
    girl = _girl()
    for url in ("/children/", "/checkins/", f"/children/{girl.id}", f"/checkins/new?child={girl.id}"):
        assert "监护人未确认" in worker.get(url).get_data(as_text=True), url

    worker.get(f"/village/children/{girl.id}/confirm")
    confirmed = worker.post(f"/village/children/{girl.id}/confirm", {
        "confirmed_by": "刘秀英", "confirmed_relation": "祖母", "confirmed_on": "2026-11-18", "confirmed_how": "phone",
    })
    assert confirmed.status_code == 302
    assert "监护人未确认" not in worker.get("/children/").get_data(as_text=True)
    assert LeftBehindFile.get().confirmed_how == "phone"


def test_half_a_confirmation_is_refused_with_the_typing_kept(county, login_as):
    response = register(login_as("worker1"), county.villages[0], confirmed_on="", confirmed_how=None)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填全确认人、确认日期和确认方式" in page
    assert "刘小雨" in page and "广东省东莞市" in page
    assert not LeftBehindFile.select().exists()


def test_a_repeated_registration_stores_one_child(county, login_as):
    worker, entry = login_as("worker1"), str(uuid.uuid4())
    register(worker, county.villages[0], client_uuid=entry)
    again = register(worker, county.villages[0], client_uuid=entry)
    assert again.status_code == 200 and "没有重复保存" in again.get_data(as_text=True)
    assert Child.select().where(Child.name == GIRL["name"]).count() == 1
    assert LeftBehindFile.select().count() == 1


def _li_si(**changes):
    return {"name": "李四", "sex": "f", "birth_date": "2016-05-01", **changes}


def test_the_school_already_knows_her_and_the_worker_links_the_same_child(county, login_as):
    worker = login_as("worker1")
    offer = register(worker, county.villages[0], **_li_si())
    page = offer.get_data(as_text=True)
    assert offer.status_code == 422  # nothing saved until she answers
    assert "是同一个孩子吗" in page and "渠县第一小学" in page and "4年级1班" in page
    assert "李四" in page and "广东省东莞市" in page  # her typing is kept for the answer
    assert not LeftBehindFile.select().exists()

    linked = register(worker, county.villages[0], link=str(county.kids.li_si.id), **_li_si())
    assert linked.status_code == 200 and "已与学校的记录关联" in linked.get_data(as_text=True)
    li_si = Child.get_by_id(county.kids.li_si.id)
    assert (li_si.village_id, li_si.left_behind, li_si.school_class_id) == (
        county.villages[0].id, True, county.classes.c41.id)
    assert Child.select().where(Child.name == "李四").count() == 1  # one child, not two
    assert LeftBehindFile.get().child_id == li_si.id and LeftBehindFile.get().linked_pupil

    # Each within her own scope: the worker now sees her, the head teacher learns she is followed.
    assert worker.get(f"/children/{li_si.id}").status_code == 200
    head_page = login_as("head1").get(f"/children/{li_si.id}").get_data(as_text=True)
    assert "童伴妈妈 worker1 在跟进这个孩子" in head_page
    assert "广东省东莞市" not in head_page  # not her file


def test_refusing_the_offer_registers_a_different_child(county, login_as):
    worker = login_as("worker1")
    register(worker, county.villages[0], **_li_si())
    response = register(worker, county.villages[0], link="new", **_li_si())
    assert response.status_code == 200
    assert Child.select().where(Child.name == "李四").count() == 2
    pupil = Child.get_by_id(county.kids.li_si.id)
    assert pupil.village_id is None and not pupil.left_behind  # the pupil is untouched


def test_a_pupil_of_another_village_is_never_offered(county, login_as):
    response = register(login_as("worker1"), county.villages[0], name="周八", sex="f", birth_date="2016-05-01")
    assert response.status_code == 200 and "是同一个孩子吗" not in response.get_data(as_text=True)
    assert Child.get_by_id(county.kids.zhou_ba.id).village_id == county.villages[2].id


def _id_number(born="20180307"):
    first17 = "511725" + born + "002"
    return first17 + idcard.check_digit(first17)


def test_the_id_number_is_masked_for_the_worker_and_whole_for_the_county(county, login_as):
    number = _id_number()
    worker = login_as("worker1")
    register(worker, county.villages[0], id_card=number)
    girl = _girl()
    worker_page = worker.get(f"/children/{girl.id}").get_data(as_text=True)
    assert idcard.masked(number) in worker_page and number not in worker_page
    assert number in login_as("county").get(f"/children/{girl.id}").get_data(as_text=True)


@pytest.mark.parametrize("changes,message", [
    ({"id_card": _id_number()[:17] + ("1" if _id_number()[17] != "1" else "2")}, "身份证号校验位不对"),
    ({"id_card": "51172520180307"}, "身份证号应为18位"),
    ({"id_card": _id_number(born="20180308")}, "身份证号里的出生日期和填写的出生日期不一致"),
    ({"birth_date": "2008-05-01"}, "已满18周岁"),
    ({"birth_date": "2027-01-01"}, "出生日期不能晚于今天"),
    ({"guardian_age": "15"}, "委托监护人须年满16周岁"),
    ({"guardian_name": ""}, "请填写委托监护人"),
    ({"left_behind_type": None}, "请选择留守类型"),
])
def test_bad_input_gets_a_clear_chinese_message_and_keeps_the_typing(county, login_as, changes, message):
    response = register(login_as("worker1"), county.villages[0], **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "刘小雨" in page and "一村三组12号" in page
    assert not LeftBehindFile.select().exists() and not Child.select().where(Child.name == "刘小雨").exists()


def test_a_worker_cannot_register_a_child_into_another_village(county, login_as):
    response = register(login_as("worker1"), county.villages[1])
    assert response.status_code == 422
    assert "只能登记您负责的村(社区)的儿童" in response.get_data(as_text=True)
    assert not LeftBehindFile.select().exists()


@pytest.mark.parametrize("username", ["head1", "counselor1", "principal1", "zone1", "county", "committee1"])
def test_only_child_workers_register_village_children(county, login_as, username):
    user = login_as(username)
    assert user.get("/village/children/new").status_code == 404
    assert register(user, county.villages[0]).status_code == 404
    assert not LeftBehindFile.select().exists()


def test_worker1_cannot_see_village_2(county, login_as):
    worker = login_as("worker1")
    chen_yi = county.kids.chen_yi
    assert worker.get(f"/children/{chen_yi.id}").status_code == 404
    assert "陈一" not in worker.get("/children/").get_data(as_text=True)
    assert worker.get(f"/checkins/new?child={chen_yi.id}").status_code == 404
    assert "二村" not in worker.get("/checkins/").get_data(as_text=True)
    register(login_as("worker2"), county.villages[1])
    assert worker.get(f"/village/children/{_girl().id}/confirm").status_code == 404


def test_the_birth_date_of_the_register_uses_the_county_day(county, login_as, clock):
    # 16:30 UTC on 17 Nov is already 18 Nov in Qu County: a child born on the 18th is not "in the future".
    clock.now = clock.now.replace(day=17, hour=16, minute=30)
    response = register(login_as("worker1"), county.villages[0], birth_date="2026-11-18",
                        confirmed_on=date(2026, 11, 18).isoformat())
    assert response.status_code == 200
