"""Entry ids: a replayed entry is answered only to its author, and the ids the server derives for
the concerns it raises cannot be worked out (and taken first) from outside.

Issue 14, item 3: as head3 (school 2) the id of school 1's concern answered with that concern, and
an id pre-posted from another account silenced the repeated-mention alert.
"""
import threading
import uuid
from collections import Counter

import pytest

from webapp.demo.county import COMMITTEE_PIN, STAFF_PASSWORD, load_demo_county
from webapp.models import (
    Activity,
    Case,
    CaseNote,
    CheckIn,
    Child,
    Concern,
    HomeVisit,
    Institution,
    LeftBehindFile,
    PeerSupport,
    Referral,
    User,
    WeeklyReport,
)

from .conftest import Browser
from .peer_steps import LAST_MONDAY, THIS_MONDAY, mention, send_concern, send_nil, send_support, send_weekly
from .safeguarding_steps import raise_concern
from .village_steps import check_in, record_activity, register
from .visit_steps import log_visit

TAKEN = "这条记录的编号已被使用"


def old_id(*parts):
    """An id as the server derived it before: uuid5 over public values, anyone could compute it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "xinqiao:" + ":".join(str(p) for p in parts)))


def text(response):
    return response.get_data(as_text=True)


def assert_refused(response, *secrets):
    """A 409 in the user's language that names nothing of the entry holding the id."""
    body = text(response)
    assert response.status_code == 409, body[-800:]
    assert TAKEN in body
    for secret in secrets:
        assert str(secret) not in body


# --- The demo county, as the reproduction ran it. ---------------------------------------

@pytest.fixture
def demo(app):
    with app.app_context():
        return load_demo_county()


@pytest.fixture
def demo_login(app, demo):
    """A fresh browser signed in with a demo account's published secret."""

    def _login(username):
        user_browser = Browser(app.test_client())
        user_browser.login(username, COMMITTEE_PIN if username.startswith("committee") else STAFF_PASSWORD)
        return user_browser
    return _login


def test_another_schools_concern_id_answers_409_and_discloses_nothing(demo_login):
    concern = Concern.get(Concern.source == "repeated_mention")  # school 1's concern 6
    assert concern.child.school_id == 1
    head3 = demo_login("head3")
    response = raise_concern(head3, Child.get_by_id(201), urgency="normal", text="自己的担心",
                             client_uuid=concern.client_uuid)
    assert_refused(response, f"/concerns/{concern.id}", concern.description[:12], "待处理", "尽快", "紧急")
    assert Concern.select().where(Concern.child == 201).count() == 0
    assert Concern.get_by_id(concern.id).status == concern.status


def test_pre_posted_derived_ids_silence_no_alert_and_leak_nothing(demo_login):
    """Every id the server derives, computed the old way and taken first by head3 (school 2):
    the repeated mention, a weekly report's worrying mention, a visit's and a check-in's concern
    are all still raised, each as its author's, and head3 learns nothing of them."""
    last_week, this_week, visit, checkin = (str(uuid.uuid4()) for _ in range(4))
    class_id, kid, worried, visited, village_kid = 4, 85, 86, 87, 5
    taken = [
        old_id("repeated", class_id, LAST_MONDAY, kid), old_id("repeated", class_id, THIS_MONDAY, kid),
        old_id("concern", last_week, kid), old_id("concern", this_week, kid), old_id("concern", this_week, worried),
        old_id("concern", visit), old_id("concern", "checkin", checkin),
    ]
    head3, pupil_201 = demo_login("head3"), Child.get_by_id(201)
    for entry in taken:
        response = raise_concern(head3, pupil_201, urgency="normal", text="先占用编号", client_uuid=entry)
        assert response.status_code == 200 and "已发送" in text(response)

    pupil = demo_login("committee1")
    send_weekly(pupil, week=LAST_MONDAY, client_uuid=last_week, mentions=[mention(kid, "上课一直趴着")])
    send_weekly(pupil, client_uuid=this_week,
                mentions=[mention(kid, "还是一直趴着,不说话"), mention(worried, "说不想回家", urgency="soon")])
    log_visit(demo_login("head1"), Child.get_by_id(visited), client_uuid=visit,
              concern="手臂上有淤青", concern_urgency="soon")
    check_in(demo_login("worker1"), Child.get_by_id(village_kid), client_uuid=checkin,
             concern="最近常常一个人发呆。", concern_urgency="soon")

    raised = {(c.child_id, c.source, c.reporter.username) for c in Concern.select().where(Concern.child != 201)}
    assert {(kid, "repeated_mention", "committee1"), (worried, "weekly_report", "committee1"),
            (visited, "home_visit", "head1"), (village_kid, "checkin", "worker1")} <= raised
    assert HomeVisit.get(HomeVisit.client_uuid == visit).concern.child_id == visited
    assert CheckIn.get(CheckIn.client_uuid == checkin).concern.child_id == village_kid
    assert Concern.select().where(Concern.client_uuid.in_(taken)).count() == len(taken)
    assert all(c.child_id == 201 for c in Concern.select().where(Concern.client_uuid.in_(taken)))

    # Their real ids tell head3 nothing either.
    for concern in Concern.select().where(Concern.child.in_([kid, worried, visited, village_kid])
                                          & (Concern.source != "staff")):
        assert_refused(raise_concern(head3, pupil_201, client_uuid=concern.client_uuid),
                       f"/concerns/{concern.id}", concern.description[:12])
        assert head3.get(f"/concerns/{concern.id}").status_code == 404


# --- Every create path of the small test county. ------------------------------------------------

def _case(login_as, username, child, client_uuid=None):
    """`username` (a counsellor) opens a case for `child` and is its responsible adult."""
    counselor = login_as(username)
    url = f"/cases/new?child={child.id}"
    counselor.get(url)
    response = counselor.post(url, {
        "level": "high", "categories": ["family"], "goals": "稳定情绪", "measures": "每周谈心",
        "responsible": str(User.get(User.username == username).id),
        "client_uuid": client_uuid or str(uuid.uuid4()),
    })
    return counselor, response


def _case_of(login_as, username, child):
    counselor, response = _case(login_as, username, child)
    assert response.status_code == 302, text(response)[-800:]
    return counselor, Case.get(Case.child == child.id)


def _note(counselor, case, client_uuid, words):
    counselor.get(f"/cases/{case.id}")
    return counselor.post(f"/cases/{case.id}/notes", {"text": words, "contacted_on": "2026-11-18",
                                                      "client_uuid": client_uuid})


def _referral(counselor, case, client_uuid, words):
    counselor.get(f"/cases/{case.id}")
    return counselor.post(f"/cases/{case.id}/referrals", {
        "institution": str(Institution.get().id), "referred_on": "2026-11-18", "handover_notes": words,
        "client_uuid": client_uuid})


def _admin_child(principal, school, school_class, client_uuid, name):
    return principal.post(f"/admin/schools/{school.id}/children/new", {
        "name": name, "sex": "f", "birth_date": "2016-09-01", "school_class": school_class.id,
        "guardian_name": "", "guardian_relation": "", "guardian_phone": "", "client_uuid": client_uuid})


def concern_path(county, login_as, entry):
    raise_concern(login_as("head1"), county.kids.zhang_san, text="在走廊上哭", client_uuid=entry)
    return raise_concern(login_as("head3"), county.kids.zhou_ba, client_uuid=entry), Concern, "在走廊上哭"


def weekly_path(county, login_as, entry):
    send_weekly(login_as("committee1"), events="班上有人被起外号", client_uuid=entry)
    return send_weekly(login_as("committee2"), events="有同学转学走了", client_uuid=entry), WeeklyReport, "被起外号"


def nil_path(county, login_as, entry):
    send_weekly(login_as("committee1"), events="班上有人被起外号", client_uuid=entry)
    return send_nil(login_as("committee2"), client_uuid=entry), WeeklyReport, "committee1"


def support_path(county, login_as, entry):
    send_support(login_as("committee1"), county.kids.li_si, done="陪她去医务室", client_uuid=entry)
    return send_support(login_as("committee2"), client_uuid=entry), PeerSupport, "医务室"


def peer_concern_path(county, login_as, entry):
    send_concern(login_as("committee1"), county.kids.li_si, text="她说有人在放学路上打她", client_uuid=entry)
    return (send_concern(login_as("committee2"), county.kids.zhang_san, client_uuid=entry), Concern,
            "放学路上打她")


def visit_path(county, login_as, entry):
    log_visit(login_as("head1"), county.kids.zhang_san, client_uuid=entry, findings="奶奶说孩子晚上睡得不好。")
    return log_visit(login_as("head2"), county.kids.wang_wu, client_uuid=entry), HomeVisit, "睡得不好"


def checkin_path(county, login_as, entry):
    check_in(login_as("worker1"), county.kids.zheng_shi, client_uuid=entry, notes="和奶奶一起在家")
    return check_in(login_as("worker2"), county.kids.chen_yi, client_uuid=entry), CheckIn, "郑十"


def register_path(county, login_as, entry):
    register(login_as("worker1"), county.villages[0], client_uuid=entry)
    return (register(login_as("worker2"), county.villages[1], client_uuid=entry, name="周小花"), LeftBehindFile,
            "刘小雨")


def activity_path(county, login_as, entry):
    record_activity(login_as("worker1"), county.villages[0], [county.kids.zheng_shi], client_uuid=entry,
                    title="手工课:做风筝")
    return (record_activity(login_as("worker2"), county.villages[1], [county.kids.chen_yi], client_uuid=entry,
                            title="读书会"), Activity, "风筝")


def case_path(county, login_as, entry):
    assert _case(login_as, "counselor1", county.kids.zhang_san, client_uuid=entry)[1].status_code == 302
    return _case(login_as, "counselor2", county.kids.zhou_ba, client_uuid=entry)[1], Case, f"/cases/{Case.get().id}"


def note_path(county, login_as, entry):
    first, case1 = _case_of(login_as, "counselor1", county.kids.zhang_san)
    other, case2 = _case_of(login_as, "counselor2", county.kids.zhou_ba)
    _note(first, case1, entry, "今天谈心半小时,说起爸爸")
    return _note(other, case2, entry, "另一所学校的随访"), CaseNote, "说起爸爸"


def referral_path(county, login_as, entry):
    Institution.create(name="达州市精神卫生中心")
    first, case1 = _case_of(login_as, "counselor1", county.kids.zhang_san)
    other, case2 = _case_of(login_as, "counselor2", county.kids.zhou_ba)
    _referral(first, case1, entry, "已转交评估材料")
    return _referral(other, case2, entry, "另一份"), Referral, "评估材料"


def admin_child_path(county, login_as, entry):
    _admin_child(login_as("principal1"), county.schools[0], county.classes.c42, entry, "钱多多")
    return (_admin_child(login_as("principal2"), county.schools[1], county.classes.s2c41, entry, "周小花"), Child,
            f"/admin/classes/{county.classes.c42.id}")


PATHS = [concern_path, weekly_path, nil_path, support_path, peer_concern_path, visit_path, checkin_path,
         register_path, activity_path, case_path, note_path, referral_path, admin_child_path]


@pytest.mark.parametrize("path", PATHS, ids=[p.__name__.removesuffix("_path") for p in PATHS])
def test_an_entry_id_of_another_author_is_refused_on_every_create_path(county, login_as, path):
    entry = str(uuid.uuid4())
    response, model, secret = path(county, login_as, entry)
    assert_refused(response, secret)
    assert model.select().where(model.client_uuid == entry).count() == 1  # the first author's, untouched


def test_a_same_author_replay_returns_the_original_entry_once(county, login_as):
    head, entry = login_as("head1"), str(uuid.uuid4())
    first = raise_concern(head, county.kids.zhang_san, text="在走廊上哭", client_uuid=entry)
    again = raise_concern(head, county.kids.zhang_san, text="在走廊上哭", client_uuid=entry)
    concern = Concern.get()
    assert first.status_code == again.status_code == 200
    assert "已发送" in text(first) and "没有重复发送" in text(again)
    assert f"/concerns/{concern.id}" in text(again)
    assert Concern.select().count() == 1


def test_two_authors_racing_with_one_entry_id_store_one_entry_and_tell_the_other_nothing(app, county):
    """head1 and head2 send entries with the same ids at the same moment (real threads): each id
    is stored once, for one of them; the other gets a 409 without the winner's words."""
    entries = [str(uuid.uuid4()) for _ in range(6)]
    writers = {"head1": county.kids.zhang_san.id, "head2": county.kids.wang_wu.id}
    statuses, bodies, errors = Counter(), [], []
    barrier = threading.Barrier(len(writers))

    def writer(username, child_id):
        try:
            head = Browser(app.test_client())
            head.login(username)
            head.get(f"/concerns/new?child={child_id}")
            barrier.wait()
            for entry in entries:
                response = head.post(f"/concerns/new?child={child_id}", {
                    "urgency": "soon", "description": f"{username}的担心", "client_uuid": entry})
                statuses[response.status_code] += 1
                if response.status_code == 409:
                    bodies.append((username, text(response)))
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=item) for item in writers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == Counter({200: len(entries), 409: len(entries)})
    stored = {c.client_uuid: c.reporter.username for c in Concern.select()}
    assert set(stored) == set(entries) and Concern.select().count() == len(entries)
    for username, body in bodies:
        other = "head2" if username == "head1" else "head1"
        assert TAKEN in body and f"{other}的担心" not in body


def test_derived_ids_are_keyed_with_the_apps_secret(app):
    from webapp.entry_ids import derived_id

    with app.app_context():
        first = derived_id("repeated-mention", 4, THIS_MONDAY, 85)
        assert first == derived_id("repeated-mention", 4, THIS_MONDAY, 85)  # a replay finds it
        assert first != old_id("repeated", 4, THIS_MONDAY, 85)
        assert first != derived_id("repeated-mention", 4, THIS_MONDAY, 86)
        app.config["SECRET_KEY"] = "another county's secret"
        assert derived_id("repeated-mention", 4, THIS_MONDAY, 85) != first
    assert uuid.UUID(first).version == 8
