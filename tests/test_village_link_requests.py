"""A child worker names only the pupils of her own villages' catchment; any other pupil she may
have found is linked by the county or the pupil's school, and until then she sees only what she
registered (issue 14, item 5)."""
import re
import uuid
from datetime import date

import pytest

from webapp.models import AuditEvent, CheckIn, Child, LeftBehindFile, LinkRequest

from .village_steps import check_in, register

NOTICE = "县里已有一名信息相同的学生"


@pytest.fixture
def far_pupil(county):
    """A pupil of school 2 (township 2, zone 2): far outside worker1's village 1 (township 1).
    Not on any village register, with the school's guardian and phone."""
    return Child.create(name="冯小梅", sex="f", birth_date=date(2015, 9, 1), school_class=county.classes.s2c41,
                        guardian_name="冯建国", guardian_relation="父亲", guardian_phone="13712345678")


def _same_details(pupil, **changes):
    return {"name": pupil.name, "sex": pupil.sex, "birth_date": pupil.birth_date.isoformat(), **changes}


def _pupil(pupil):
    return Child.get_by_id(pupil.id)


def _her_child():
    """The child worker1 registered herself while the link waits."""
    return Child.get((Child.name == "冯小梅") & Child.school.is_null())


def test_a_pupil_outside_her_catchment_is_neither_named_nor_linked(county, login_as, far_pupil):
    worker = login_as("worker1")
    first = register(worker, county.villages[0], **_same_details(far_pupil))
    page = first.get_data(as_text=True)
    assert "天星镇中心小学" not in page and "4年级1班" not in page and "13712345678" not in page
    assert "是同一个孩子吗" not in page and f'value="{far_pupil.id}"' not in page
    assert NOTICE in page  # she learns no more than that, and that the county will link them

    # The answer of the old offer, sent by hand: a request, not a link.
    again = register(worker, county.villages[0], link=str(far_pupil.id), **_same_details(far_pupil))
    assert "天星镇中心小学" not in again.get_data(as_text=True)
    pupil = _pupil(far_pupil)
    assert (pupil.village_id, pupil.left_behind) == (None, False)
    assert not LeftBehindFile.select().where(LeftBehindFile.child == far_pupil.id).exists()
    assert worker.get(f"/children/{far_pupil.id}").status_code == 404
    assert "13712345678" not in worker.get("/children/").get_data(as_text=True)
    requests = list(LinkRequest.select())
    assert {r.child_id for r in requests} == {far_pupil.id} and {r.status for r in requests} == {"pending"}


def test_while_pending_she_sees_only_what_she_registered(county, login_as, far_pupil):
    worker = login_as("worker1")
    register(worker, county.villages[0], **_same_details(far_pupil))
    mine = _her_child()
    page = worker.get(f"/children/{mine.id}").get_data(as_text=True)
    assert "刘秀英" in page and "13800001111" in page  # her own record, as she typed it
    assert "13712345678" not in page and "冯建国" not in page and "天星镇中心小学" not in page
    assert "等待县里核实关联" in page
    assert check_in(worker, mine).status_code == 200  # her work goes on meanwhile


def test_a_pupil_of_her_catchment_is_still_offered_and_linked(county, login_as):
    worker = login_as("worker1")
    wu_jiu = county.kids.wu_jiu  # school 3: township 1, as her village 1
    offer = register(worker, county.villages[0], name="吴九", sex="m", birth_date="2016-05-01")
    assert offer.status_code == 422 and "渠县第三小学" in offer.get_data(as_text=True)
    linked = register(worker, county.villages[0], name="吴九", sex="m", birth_date="2016-05-01", link=str(wu_jiu.id))
    assert linked.status_code == 200 and "已与学校的记录关联" in linked.get_data(as_text=True)
    assert _pupil(wu_jiu).village_id == county.villages[0].id
    assert worker.get(f"/children/{wu_jiu.id}").status_code == 200
    assert not LinkRequest.select().exists()


def _decide(user, link, decision):
    user.get("/village/links/")
    return user.post(f"/village/links/{link.id}/{decision}")


def test_the_county_confirms_and_then_the_worker_sees_the_pupil(county, login_as, far_pupil):
    worker = login_as("worker1")
    register(worker, county.villages[0], **_same_details(far_pupil))
    mine = _her_child()
    check_in(worker, mine)
    link = LinkRequest.get()

    county_user = login_as("county")
    listing = county_user.get("/village/links/").get_data(as_text=True)
    assert "冯小梅" in listing and "天星镇中心小学" in listing and "worker1" in listing
    assert _decide(county_user, link, "confirm").status_code == 302

    pupil = _pupil(far_pupil)
    assert (pupil.village_id, pupil.left_behind, pupil.school_class_id) == (
        county.villages[0].id, True, county.classes.s2c41.id)
    assert pupil.guardian_phone == "13712345678"  # the school's guardian stays
    record = LeftBehindFile.get(LeftBehindFile.child == pupil.id)
    assert record.linked_pupil and record.guardian_name == "刘秀英"
    assert CheckIn.get().child_id == pupil.id  # her check-in moved with her record
    assert not Child.select().where(Child.id == mine.id).exists()  # one child, not two
    assert worker.get(f"/children/{pupil.id}").status_code == 200
    assert worker.get(f"/children/{mine.id}").status_code == 404
    decided = LinkRequest.get()
    assert (decided.status, decided.decided_by_id) == ("confirmed", county.users.county.id)
    event = AuditEvent.get(AuditEvent.action == "confirm_link_request")
    assert event.child_id == pupil.id and "冯" not in event.detail
    assert "冯小梅" not in county_user.get("/village/links/").get_data(as_text=True)  # nothing left pending


def test_the_pupils_school_may_decide_too(county, login_as, far_pupil):
    register(login_as("worker1"), county.villages[0], **_same_details(far_pupil))
    counselor = login_as("counselor2")  # school 2's psychology teacher
    assert "冯小梅" in counselor.get("/village/links/").get_data(as_text=True)
    assert _decide(counselor, LinkRequest.get(), "confirm").status_code == 302
    assert _pupil(far_pupil).village_id == county.villages[0].id


def test_refusal_leaves_the_pupil_untouched(county, login_as, far_pupil):
    worker = login_as("worker1")
    register(worker, county.villages[0], **_same_details(far_pupil))
    mine = _her_child()
    assert _decide(login_as("principal2"), LinkRequest.get(), "refuse").status_code == 302
    pupil = _pupil(far_pupil)
    assert (pupil.village_id, pupil.left_behind) == (None, False)
    assert not LeftBehindFile.select().where(LeftBehindFile.child == pupil.id).exists()
    assert worker.get(f"/children/{pupil.id}").status_code == 404
    assert worker.get(f"/children/{mine.id}").status_code == 200  # her child stays hers, a different child
    assert LinkRequest.get().status == "refused"
    assert AuditEvent.select().where(AuditEvent.action == "refuse_link_request").count() == 1
    # Decided once: a second decision changes nothing.
    assert _decide(login_as("county"), LinkRequest.get(), "confirm").status_code == 302
    assert _pupil(far_pupil).village_id is None


@pytest.mark.parametrize("username", ["worker1", "worker2", "counselor1", "principal1", "head3", "zone2"])
def test_others_cannot_see_or_decide_a_request(county, login_as, far_pupil, username):
    register(login_as("worker1"), county.villages[0], **_same_details(far_pupil))
    link = LinkRequest.get()
    user = login_as(username)
    listing = user.get("/village/links/")
    assert listing.status_code == 404 or "冯小梅" not in listing.get_data(as_text=True)
    for decision in ("confirm", "refuse"):
        assert user.post(f"/village/links/{link.id}/{decision}").status_code == 404
    assert LinkRequest.get().status == "pending"


def test_home_pages_count_the_pending_requests(county, login_as, far_pupil):
    assert "关联申请" not in login_as("county").get("/").get_data(as_text=True)
    register(login_as("worker1"), county.villages[0], **_same_details(far_pupil))
    for username in ("county", "counselor2"):
        page = login_as(username).get("/").get_data(as_text=True)
        assert re.search(r"待核实的关联申请.*?<span class=\"count\">1</span>", page, re.S), username
    assert "关联申请" not in login_as("counselor1").get("/").get_data(as_text=True)


def test_a_replayed_registration_asks_once(county, login_as, far_pupil):
    worker, entry = login_as("worker1"), str(uuid.uuid4())
    register(worker, county.villages[0], client_uuid=entry, **_same_details(far_pupil))
    again = register(worker, county.villages[0], client_uuid=entry, **_same_details(far_pupil))
    assert again.status_code == 200 and NOTICE in again.get_data(as_text=True)
    assert LinkRequest.select().count() == 1 and Child.select().where(Child.name == "冯小梅").count() == 2


def test_confirming_merges_her_open_case_into_the_pupils_open_case(app, county, login_as, far_pupil):
    """Both children have an open 一生一策 case: confirming leaves the pupil one open case holding
    every note and level change of both (the one-open-case index refused the move before, and the
    decider read that the pupil was already on a village register)."""
    from webapp.models import Case, CaseNote, LevelChange
    from webapp.safeguarding import cases

    worker = login_as("worker1")
    register(worker, county.villages[0], **_same_details(far_pupil))
    mine = _her_child()
    users = county.users
    with app.app_context():
        today = app.config["CLOCK"]().date()
        school_case, _ = cases.open_case(_pupil(far_pupil), users.counselor2, today, "attention", ["family"],
                                         "改善亲子沟通", "每两周家校沟通", users.counselor2, [], str(uuid.uuid4()))
        village_case, _ = cases.open_case(mine, users.county, today, "high", ["left_behind"], "稳定情绪",
                                          "童伴妈妈每周探访", users.worker1, [], str(uuid.uuid4()))
        for case, author in ((school_case, users.counselor2), (village_case, users.county)):
            cases.add_note(case, author, "谈话记录", False, False, today, app.config["CLOCK"](), str(uuid.uuid4()),
                           today)
    notes, changes = CaseNote.select().count(), LevelChange.select().count()

    county_user = login_as("county")
    response = _decide(county_user, LinkRequest.get(), "confirm")
    assert response.status_code == 302
    assert "已登记到某个村" not in county_user.get("/village/links/").get_data(as_text=True)
    assert LinkRequest.get().status == "confirmed"
    pupil = _pupil(far_pupil)
    assert pupil.village_id == county.villages[0].id
    open_cases = list(Case.select().where((Case.child == pupil.id) & (Case.status == "open")))
    assert [case.id for case in open_cases] == [village_case.id]  # the higher level is kept
    kept = open_cases[0]
    assert set(kept.category_list) == {"left_behind", "family"}
    assert CaseNote.select().where(CaseNote.case == kept.id).count() == 2 == notes
    assert LevelChange.select().where(LevelChange.case == kept.id).count() == changes
    assert Case.get_by_id(school_case.id).status == "closed"
    merged = AuditEvent.get(AuditEvent.action == "merge_case")
    assert (merged.object_id, merged.child_id, merged.user_id) == (kept.id, pupil.id, users.county.id)
    assert f'"merged": {school_case.id}' in merged.detail
