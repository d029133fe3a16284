"""The whole safeguarding loop, and who may read and do what on a case."""
import uuid
from datetime import date

import pytest

from webapp.models import (
    AuditEvent,
    Case,
    CaseNote,
    Concern,
    Institution,
    LevelChange,
    Notification,
    Referral,
)
from webapp.safeguarding.tick import run_tick

from .safeguarding_steps import ID_IN_PATH, open_case, raise_concern


def _kinds(username):
    from webapp.models import User

    return {n.kind for n in Notification.select().join(User).where(User.username == username)}


def test_the_whole_loop_from_urgent_concern_to_closed_case(app, county, login_as, clock):
    users = county.users
    # 1. A head teacher raises an urgent concern: counsellor, head teacher and principal hear at once.
    raise_concern(login_as("head1"), county.kids.zhang_san)
    concern = Concern.get()
    for username in ("counselor1", "head1", "principal1"):
        assert "concern_urgent" in _kinds(username)

    # 2. Nobody acknowledges; 30 simulated minutes later the zone and the county have it.
    clock.advance(minutes=29)
    with app.app_context():
        run_tick()
    assert "concern_escalated" not in _kinds("zone1")
    clock.advance(minutes=2)
    with app.app_context():
        run_tick()
    assert "concern_escalated" in _kinds("zone1") and "concern_escalated" in _kinds("county")
    assert "concern_escalated" not in _kinds("zone2")
    assert "紧急预警尚未确认" in login_as("county").get("/inbox/").get_data(as_text=True)

    # 3. The counsellor acknowledges, sets 高危 and opens a case with a team of two.
    counselor = login_as("counselor1")
    counselor.get(f"/concerns/{concern.id}")
    counselor.post(f"/concerns/{concern.id}/acknowledge")
    response = counselor.post(f"/concerns/{concern.id}/triage", {"risk_level": "high", "decision": "case"})
    assert response.status_code == 302 and "/cases/new" in response.headers["Location"]
    case_id = open_case(counselor, concern.id, users.counselor1, members=[users.head1], level="high")
    case = Case.get_by_id(case_id)
    assert case.level == "high" and Concern.get().status == "case"
    assert case.next_review_on == date(2026, 11, 25)  # 高危: weekly review
    page = counselor.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "高危" in page and "head1" in page

    # 4. A referral with the guardian's consent, feedback, then the outcome.
    login_as("county").post("/cases/settings/institutions", {"name": "达州市精神卫生中心", "kind": "psychiatric"})
    institution = Institution.get()
    counselor.get(f"/cases/{case_id}")
    counselor.post(f"/cases/{case_id}/referrals", {
        "institution": str(institution.id), "referred_on": "2026-11-18", "guardian_informed": "y",
        "guardian_consented": "y", "consent_how": "paper", "handover_notes": "已转交评估材料",
        "client_uuid": str(uuid.uuid4()),
    })
    referral = Referral.get()
    assert referral.guardian_consented and referral.consent_how == "paper"
    assert "等待反馈" in counselor.get(f"/cases/{case_id}").get_data(as_text=True)
    counselor.post(f"/cases/{case_id}/referrals/{referral.id}/feedback",
                   {"received_on": "2026-11-18", "text": "已门诊评估,需复诊"})
    counselor.post(f"/cases/{case_id}/referrals/{referral.id}/feedback",
                   {"received_on": "2026-11-18", "text": "诊断为适应障碍,门诊随访", "is_outcome": "y"})
    assert Referral.get().outcome_on == date(2026, 11, 18)
    assert "已有结果" in counselor.get(f"/cases/{case_id}").get_data(as_text=True)

    # 5. The level goes down, with the reason in its history; then the case closes.
    counselor.post(f"/cases/{case_id}/level", {"level": "attention", "reason": "情绪稳定,已复学"})
    assert [c.to_level for c in LevelChange.select().order_by(LevelChange.id)] == ["high", "attention"]
    assert Case.get_by_id(case_id).next_review_on == date(2026, 12, 18)  # 关注: monthly
    counselor.post(f"/cases/{case_id}/close", {"reason": "连续两月情况良好"})
    case = Case.get_by_id(case_id)
    assert case.status == "closed" and case.close_reason == "连续两月情况良好"
    actions = {e.action for e in AuditEvent.select()}
    assert {"create_concern", "escalate_concern", "acknowledge_concern", "open_case", "create_referral",
            "referral_feedback", "change_case_level", "close_case", "read_case"} <= actions


@pytest.fixture
def case_id(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san)
    counselor = login_as("counselor1")
    return open_case(counselor, Concern.get().id, county.users.counselor1, members=[county.users.head1])


def _note(user_browser, case_id, text, restricted=False):
    user_browser.get(f"/cases/{case_id}")
    data = {"text": text, "contacted_on": "2026-11-18", "client_uuid": str(uuid.uuid4())}
    if restricted:
        data["restricted"] = "y"
    return user_browser.post(f"/cases/{case_id}/notes", data)


@pytest.mark.parametrize("username,expected", [
    ("counselor1", 200), ("zone1", 200), ("county", 200), ("principal1", 200), ("head1", 200),
    ("head2", 404), ("counselor2", 404), ("zone2", 404), ("principal2", 404), ("worker1", 404),
    ("committee1", 404),
])
def test_who_may_open_a_case(case_id, login_as, username, expected):
    assert login_as(username).get(f"/cases/{case_id}").status_code == expected


def test_restricted_notes_are_read_by_psychology_teachers_only(case_id, login_as):
    counselor = login_as("counselor1")
    _note(counselor, case_id, "家访所见:家庭关系紧张")
    _note(counselor, case_id, "咨询记录:自述曾有自伤念头", restricted=True)
    for username in ("counselor1", "zone1", "county"):
        page = login_as(username).get(f"/cases/{case_id}").get_data(as_text=True)
        assert "自伤念头" in page and "家庭关系紧张" in page, username
    team_member = login_as("head1").get(f"/cases/{case_id}").get_data(as_text=True)
    assert "家庭关系紧张" in team_member and "自伤念头" not in team_member
    principal = login_as("principal1").get(f"/cases/{case_id}").get_data(as_text=True)
    assert "高危" in principal and "head1" in principal  # level and team
    assert "家庭关系紧张" not in principal and "稳定情绪" not in principal  # not notes or goals
    chronology = login_as("head1").get(f"/children/{Case.get().child_id}").get_data(as_text=True)
    assert "家庭关系紧张" in chronology and "自伤念头" not in chronology


def test_a_team_member_adds_a_note_but_cannot_restrict_or_manage(case_id, login_as):
    head = login_as("head1")
    _note(head, case_id, "与家长电话沟通", restricted=True)
    assert CaseNote.get().restricted is False  # the flag is only for psychology teachers
    assert head.post(f"/cases/{case_id}/level", {"level": "general", "reason": "x"}).status_code == 404
    assert head.post(f"/cases/{case_id}/close", {"reason": "x"}).status_code == 404
    assert login_as("principal1").post(f"/cases/{case_id}/notes", {"text": "x"}).status_code == 404


def test_a_note_submitted_twice_is_stored_once(case_id, login_as):
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    data = {"text": "每周谈心", "contacted_on": "2026-11-18", "client_uuid": str(uuid.uuid4())}
    counselor.post(f"/cases/{case_id}/notes", data)
    counselor.post(f"/cases/{case_id}/notes", data)
    assert CaseNote.select().count() == 1


@pytest.mark.parametrize("field,value,message", [
    ("contacted_on", "2026-12-30", "不能是将来"),
    ("text", "", "请写下"),
    ("contacted_on", "not-a-date", "日期"),
])
def test_bad_follow_up_input_is_refused_with_the_typing_kept(case_id, login_as, field, value, message):
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    data = {"text": "今天谈心半小时", "contacted_on": "2026-11-18", "client_uuid": str(uuid.uuid4()), field: value}
    response = counselor.post(f"/cases/{case_id}/notes", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    if data["text"]:
        assert "今天谈心半小时" in page
    assert CaseNote.select().count() == 0


def test_a_referral_dated_in_the_future_is_refused(case_id, login_as):
    Institution.create(name="渠县人民医院")
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    response = counselor.post(f"/cases/{case_id}/referrals", {
        "institution": str(Institution.get().id), "referred_on": "2027-01-05", "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 422 and "不能是将来" in response.get_data(as_text=True)
    assert Referral.select().count() == 0


def test_an_unknown_level_is_refused(case_id, login_as):
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    response = counselor.post(f"/cases/{case_id}/level", {"level": "extreme", "reason": "x"})
    assert response.status_code == 422 and Case.get().level == "high"


def test_the_case_list_puts_overdue_reviews_first(case_id, login_as, clock):
    clock.advance(days=8)
    page = login_as("counselor1").get("/cases/").get_data(as_text=True)
    assert "复查逾期" in page


def test_a_key_period_gives_each_team_member_a_checklist(case_id, login_as):
    login_as("county").post("/cases/settings/periods", {"kind": "exams", "starts_on": "2026-11-16",
                                                        "ends_on": "2026-11-30"})
    head = login_as("head1")
    page = head.get("/cases/").get_data(as_text=True)
    assert "待联系" in page and "已完成 0 / 1" in page
    _note(head, case_id, "考试前谈心")
    assert "已联系" in head.get("/cases/").get_data(as_text=True)


def test_case_settings_are_for_the_county_only(county, login_as):
    for username in ("counselor1", "zone1", "principal1", "head1"):
        assert login_as(username).get("/cases/settings/").status_code == 404
    assert login_as("county").get("/cases/settings/").status_code == 200


def test_opening_a_case_from_someone_elses_concern_is_404(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san)
    other = login_as("counselor2")
    assert other.get(f"/cases/new?concern={Concern.get().id}").status_code == 404
    assert ID_IN_PATH  # shared helper imported for the loop above


def test_consent_without_saying_how_is_refused(case_id, login_as):
    Institution.create(name="渠县人民医院")
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    response = counselor.post(f"/cases/{case_id}/referrals", {
        "institution": str(Institution.get().id), "referred_on": "2026-11-18", "guardian_consented": "y",
        "handover_notes": "交接材料", "client_uuid": str(uuid.uuid4())})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请说明监护人以何种方式同意" in page and "交接材料" in page
    assert Referral.select().count() == 0


def test_every_case_action_is_404_for_a_psychology_teacher_of_another_school(case_id, login_as):
    Institution.create(name="渠县人民医院")
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    counselor.post(f"/cases/{case_id}/referrals", {
        "institution": str(Institution.get().id), "referred_on": "2026-11-18", "client_uuid": str(uuid.uuid4())})
    referral_id = Referral.get().id
    other = login_as("counselor2")
    for url, data in [
        (f"/cases/{case_id}/notes", {"text": "x", "contacted_on": "2026-11-18", "client_uuid": str(uuid.uuid4())}),
        (f"/cases/{case_id}/level", {"level": "general", "reason": "x"}),
        (f"/cases/{case_id}/team", {"responsible": "1"}),
        (f"/cases/{case_id}/close", {"reason": "x"}),
        (f"/cases/{case_id}/reopen", {"reason": "x"}),
        (f"/cases/{case_id}/referrals", {"institution": "1", "referred_on": "2026-11-18"}),
        (f"/cases/{case_id}/referrals/{referral_id}/feedback", {"received_on": "2026-11-18", "text": "x"}),
    ]:
        assert other.post(url, data).status_code == 404, url
    assert CaseNote.select().count() == 0 and Case.get().status == "open"


def test_the_team_can_be_changed_and_a_closed_case_reopened(case_id, county, login_as):
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    counselor.post(f"/cases/{case_id}/team", {"responsible": str(county.users.head1.id),
                                              "members": [str(county.users.counselor1.id)]})
    page = login_as("head1").get(f"/cases/{case_id}").get_data(as_text=True)
    assert "责任人" in page
    assert login_as("head2").get(f"/cases/{case_id}").status_code == 404
    counselor.post(f"/cases/{case_id}/close", {"reason": "好转"})
    missing = counselor.post(f"/cases/{case_id}/reopen", {"reason": ""})
    assert missing.status_code == 422 and Case.get().status == "closed"
    counselor.post(f"/cases/{case_id}/reopen", {"reason": "期末前情绪反复"})
    case = Case.get()
    assert case.status == "open" and case.next_review_on is not None


def test_a_team_member_of_another_school_cannot_be_chosen(case_id, county, login_as):
    counselor = login_as("counselor1")
    counselor.get(f"/cases/{case_id}")
    response = counselor.post(f"/cases/{case_id}/team", {"responsible": str(county.users.head3.id)})
    assert response.status_code == 422


def test_the_inbox_is_each_users_own(case_id, login_as):
    assert "紧急预警" in login_as("principal1").get("/inbox/").get_data(as_text=True)
    assert "紧急预警" not in login_as("principal2").get("/inbox/").get_data(as_text=True)
    assert login_as("committee1").get("/inbox/").status_code == 404
    assert login_as("committee1").get("/inbox/badge").status_code == 404


def test_restricted_notes_cost_no_query_each(case_id, county, login_as):
    """The case page and the child's chronology decide once per case whether restricted notes
    show, so their queries do not grow with the notes."""
    from .test_query_counts import counting_queries

    counselor = login_as("counselor1")
    counts = []
    for _round in range(2):
        for n in range(3):
            _note(counselor, case_id, f"咨询记录{n}", restricted=True)
        with counting_queries() as case_page:
            assert counselor.get(f"/cases/{case_id}").status_code == 200
        with counting_queries() as chronology:
            assert counselor.get(f"/children/{county.kids.zhang_san.id}").status_code == 200
        counts.append((case_page["n"], chronology["n"]))
    assert counts[0] == counts[1]


def test_the_level_team_and_close_forms_come_with_their_fold(case_id, county, login_as):
    """The case page carries the note and referral forms (the phone's outbox keeps those) but not
    the level, team and close forms until their fold opens: htmx asks for ?fold=, a refused post
    opens its fold with the typing kept, and a team member who does not manage gets none."""
    counselor = login_as("counselor1")
    page = counselor.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'action="/cases/{case_id}/notes"' in page and f'action="/cases/{case_id}/referrals"' in page
    for fold in ("level", "team", "close"):
        assert f'action="/cases/{case_id}/{fold}"' not in page, fold
        assert f'hx-get="/cases/{case_id}?fold={fold}"' in page, fold
    fragment = counselor.get(f"/cases/{case_id}?fold=team", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and f'action="/cases/{case_id}/team"' in fragment
    assert county.users.head1.display_name in fragment  # the candidates, read only now
    whole = counselor.get(f"/cases/{case_id}?fold=close").get_data(as_text=True)
    assert '<details id="fold-close" open>' in whole and f'action="/cases/{case_id}/close"' in whole
    refused = counselor.post(f"/cases/{case_id}/level", {"level": "extreme", "reason": "情况有变化"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and '<details id="fold-level" open>' in text and "情况有变化" in text
    member = login_as("head1").get(f"/cases/{case_id}?fold=team", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'action="/cases/{case_id}/team"' not in member and "<html" in member  # no fold for her: the page
