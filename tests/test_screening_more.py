"""Annual screening (issue 18), continued: the chronology, the provincial ledger, the supervised
class session on a shared device, and teachers' confidential self-check."""
import re
from io import BytesIO

from openpyxl import load_workbook

from webapp.models import AuditEvent, ScreeningResult, SelfCheckContact, SelfCheckCount, SignIn, User
from webapp.screening import instruments, service

from .county import PASSWORD
from .screening_steps import open_round


def text_of(response):
    return response.get_data(as_text=True)


def _result(county, child, code="phq9", answers=None, uuid="r-1", screening_round=None):
    return service.record_result(child, instruments.get(code), answers=answers or [2] * 8 + [0],
                                 source="individual", taken_on=screening_round.opens_on if screening_round else None,
                                 user=county.users.counselor1, client_uuid=uuid, screening_round=screening_round)[0]


def test_the_chronology_says_took_part_and_only_psychology_teachers_see_which_and_the_level(app, county, login_as):
    with app.app_context():
        screening_round = open_round(county)
        _result(county, county.kids.li_si, screening_round=screening_round)
    child_url = f"/children/{county.kids.li_si.id}"
    counsellor_page = text_of(login_as("counselor1").get(child_url))
    assert "参加测评:PHQ-9" in counsellor_page and "测评预警待约谈" in counsellor_page
    head_page = text_of(login_as("head1").get(child_url))
    assert "参加测评" in head_page and "PHQ-9" not in head_page and "/screening/results/" not in head_page


def test_the_ledger_takes_key_and_high_screening_pupils_not_on_a_case(app, county, login_as):
    with app.app_context():
        screening_round = open_round(county)
        _result(county, county.kids.li_si, answers=[3] * 8 + [0], screening_round=screening_round)  # 24: 高危
        _result(county, county.kids.wang_wu, answers=[1] * 9, uuid="r-2", screening_round=screening_round)  # 关注
    response = login_as("counselor1").get("/exports/ledger.xlsx")
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))[1:]
    assert [(row[2], row[5], row[6]) for row in rows] == [("李四", "高危", "心理测评预警")]
    assert login_as("counselor2").get("/exports/ledger.xlsx").status_code == 200
    other = list(load_workbook(BytesIO(login_as("counselor2").get("/exports/ledger.xlsx").data)).active.iter_rows(
        values_only=True))[1:]
    assert other == []


def _start_session(counselor, screening_round, school_class):
    counselor.get(f"/screening/{screening_round.id}/sessions")
    response = counselor.post(f"/screening/{screening_round.id}/sessions",
                              {"school_class": str(school_class.id), "instrument": "phq9"})
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_class_session_locks_the_device_until_the_counsellors_password(app, county, login_as):
    with app.app_context():
        screening_round = open_round(county)
    device = login_as("counselor1")
    session_url = _start_session(device, screening_round, county.classes.c41)
    listing = device.get(session_url)
    assert listing.headers["Cache-Control"] == "no-store"
    page = text_of(listing)
    assert "张三" in page and "李四" in page and "王五" not in page  # class 4-1 only
    assert "app.js" not in page and "sw.js" not in page  # no outbox, no service worker on the device
    # Nothing else of her account opens while the session runs.
    for url in ("/", "/concerns/", f"/children/{county.kids.li_si.id}", "/screening/warnings/"):
        response = device.get(url)
        assert response.status_code == 302 and response.headers["Location"] == session_url, url
    assert device.post("/logout").headers["Location"] == session_url
    pupil_url = re.search(rf'href="(/screening/session/\d+/pupil/{county.kids.li_si.id})"', page).group(1)
    form = text_of(device.get(pupil_url))
    assert "做事时提不起劲" in form and "李四" in form
    answers = {f"item-{i}": "1" for i in range(9)}
    answers["client_uuid"] = re.search(r'name="client_uuid"[^>]*value="([^"]+)"', form).group(1)
    done = device.post(pupil_url, answers)
    assert done.status_code == 302
    thanks = text_of(device.get(done.headers["Location"]))
    assert "谢谢你" in thanks and "9" not in re.sub(r"<[^>]+>|\d{4}|12355", "", thanks).split("谢谢你")[1][:80]
    # Back to her questionnaire: it shows no answers, only that she has answered.
    again = text_of(device.get(pupil_url))
    assert "已经答过了" in again and "checked" not in again
    with app.app_context():
        result = ScreeningResult.get()
        assert (result.child_id, result.source, result.total, result.critical) == (county.kids.li_si.id, "session", 9,
                                                                                   True)
    end_url = session_url + "/end"
    device.get(end_url)
    assert device.post(end_url, {"password": "wrong-password"}).status_code == 422
    assert device.get("/").status_code == 302
    ended = device.post(end_url, {"password": PASSWORD})
    assert ended.status_code == 302 and ended.headers["Location"] == f"/screening/{screening_round.id}"
    assert device.get("/").status_code == 200
    assert device.get(session_url).status_code == 404
    with app.app_context():
        assert AuditEvent.get(AuditEvent.action == "screening_session_end")


def test_a_locked_device_whose_sign_in_ended_elsewhere_shows_the_sign_in_page(app, county, login_as):
    """She signs out everywhere from her phone while the tablet is locked: the tablet must not
    bounce between the sign-in page and the session for ever, nor open the session again."""
    with app.app_context():
        screening_round = open_round(county)
    device = login_as("counselor1")
    session_url = _start_session(device, screening_round, county.classes.c41)
    with app.app_context():
        SignIn.delete().where(SignIn.user == User.get(User.username == "counselor1").id).execute()
    assert device.get(session_url).headers["Location"].startswith("/login")
    assert device.get("/login").status_code == 200
    assert device.get(session_url).status_code == 302


def test_a_teachers_self_check_is_hers_alone_and_counts_show_from_five(app, county, login_as):
    head = login_as("head1")
    head.get("/self-check/phq9")
    response = head.post("/self-check/phq9", {f"item-{i}": "2" for i in range(8)} | {"item-8": "0"})
    page = text_of(response)
    assert response.status_code == 200 and "16" in page and "12355" in page and "12320" in page
    assert "talk-now" not in page
    with app.app_context():
        assert SelfCheckCount.get().count == 1 and SelfCheckContact.select().count() == 0
        # Nothing anywhere names her: the count has no person, the audit log no self-check.
        assert not AuditEvent.select().where(AuditEvent.action.contains("self_check")).exists()
    # A critical answer: the talk-to-someone-now page first.
    head.get("/self-check/phq9")
    page = text_of(head.post("/self-check/phq9", {f"item-{i}": "0" for i in range(8)} | {"item-8": "1"}))
    assert 'id="talk-now"' in page and "12355" in page
    principal = login_as("principal1")
    counts = text_of(principal.get("/self-check/counts"))
    assert "少于 5 人" in counts and "渠县第一小学" in counts
    for username in ("head2", "counselor1", "principal1"):
        browser = login_as(username)
        browser.get("/self-check/gad7")
        browser.post("/self-check/gad7", {f"item-{i}": "0" for i in range(7)})
    counts = text_of(principal.get("/self-check/counts"))
    assert "少于 5 人" not in counts
    # She asks to be contacted: then, and only then, the county sees her name.
    head.get("/self-check/")
    head.post("/self-check/contact", {"level": "high", "critical": "1"})
    county_page = text_of(login_as("county").get("/self-check/counts"))
    assert "head1" in county_page
    assert "head1" not in text_of(principal.get("/self-check/counts"))
    with app.app_context():
        assert SelfCheckContact.get().user_id == User.get(User.username == "head1").id


def test_self_check_counts_and_session_pages_are_closed_to_others(app, county, login_as):
    with app.app_context():
        open_round(county)
    assert login_as("head1").get("/self-check/counts").status_code == 404
    assert login_as("committee1").get("/self-check/").status_code == 404
    assert login_as("head1").get("/self-check/mht").status_code == 404


def test_coverage_figures_match_a_hand_count(app, county, login_as, clock):
    # School 1, grades 3 and 4: 4-1 张三 李四, 4-2 王五 赵六, 3-1 孙七 (5 enrolled). Screened: 张三,
    # 李四 (twice: two instruments), 王五 → 3. Warnings: 李四 高危, overdue; 王五 关注, followed up in time.
    from webapp.models import ScreeningWarning

    with app.app_context():
        screening_round = open_round(county, grades="3,4")
        _result(county, county.kids.zhang_san, answers=[0] * 9, uuid="h-1", screening_round=screening_round)
        _result(county, county.kids.li_si, answers=[3] * 8 + [0], uuid="h-2", screening_round=screening_round)
        _result(county, county.kids.li_si, code="gad7", answers=[0] * 7, uuid="h-3", screening_round=screening_round)
        _result(county, county.kids.wang_wu, answers=[1] * 8 + [2], uuid="h-4", screening_round=screening_round)
        _result(county, county.kids.zhou_ba, answers=[0] * 9, uuid="h-5", screening_round=screening_round)
        wang = ScreeningWarning.get(ScreeningWarning.child == county.kids.wang_wu.id)
        wang.critical = False  # a plain 关注 for this count
        wang.save()
        service.record_interview(wang, county.users.counselor1, clock.now.date(), "")
        service.close_warning(wang, county.users.counselor1, "monitor", "")
    clock.advance(days=3)
    rows, totals = None, None
    with app.app_context():
        from webapp.screening import overview

        rows, totals = overview.coverage(screening_round, county.users.county)
        by_class = overview.coverage(screening_round, county.users.county, county.schools[0].id)[0][0]
    school1 = next(row for row in rows if row["id"] == county.schools[0].id)
    assert by_class["classes"] and not school1["classes"]  # classes only for one school
    assert (school1["enrolled"], school1["screened"]) == (5, 3)
    assert (by_class["enrolled"], by_class["screened"]) == (5, 3)
    assert {(c["grade"], c["number"]): (c["screened"], c["enrolled"]) for c in by_class["classes"]} == {
        (3, 1): (0, 1), (4, 1): (2, 2), (4, 2): (1, 2)}
    assert school1["warnings"]["open"] == 1 and school1["warnings"]["on_time"] == 1
    assert school1["warnings"]["high"] == 1 and school1["warnings"]["attention"] == 1
    assert (totals["enrolled"], totals["screened"]) == (6, 4)  # school 2's 4-1: 周八
    # The school with overdue follow-ups comes first; the page and its export say the same.
    assert rows[0]["id"] == county.schools[0].id and totals["overdue"] == 1
    page = text_of(login_as("county").get("/screening/"))
    assert re.search(r"渠县第一小学</a></th><td>3</td><td>5</td><td>1</td><td>1</td>", page)
    workbook = load_workbook(BytesIO(login_as("principal1").get(f"/screening/{screening_round.id}/coverage.xlsx").data))
    first = list(workbook.active.iter_rows(values_only=True))[1]
    assert first[:6] == ("渠县第一小学", None, 5, 3, 1, 1)


def test_the_demo_county_has_a_round_in_progress(app):
    from webapp.demo.county import STAFF_PASSWORD, load_demo_county
    from webapp.models import ScreeningRound, ScreeningWarning

    from .conftest import Browser

    with app.app_context():
        load_demo_county()
        assert ScreeningRound.select().count() == 1
        counselor = User.get(User.username == "counselor1")
        waiting = list(ScreeningWarning.select().where((ScreeningWarning.school == counselor.school_id)
                                                       & ScreeningWarning.closed_at.is_null()))
        assert len(waiting) == 2 and sum(w.critical for w in waiting) == 1
        assert ScreeningWarning.select().where(ScreeningWarning.outcome == "monitor").count() == 1
        sources = {r.source for r in ScreeningResult.select()}
        assert sources == {"import", "session"}
    browser = Browser(app.test_client())
    browser.login("counselor1", STAFF_PASSWORD)
    queue = text_of(browser.get("/screening/warnings/"))
    assert queue.count('href="/screening/warnings/') == 3  # two waiting, one done
    home = text_of(browser.get("/"))
    assert "2 条测评预警待约谈" in home


def test_the_county_drills_from_the_round_to_a_schools_classes_and_a_zone_stays_in_hers(app, county, login_as):
    with app.app_context():
        screening_round = open_round(county, grades="3,4")
        _result(county, county.kids.li_si, uuid="d-1", screening_round=screening_round)
    school1, school2 = county.schools[0].id, county.schools[1].id
    page = text_of(login_as("county").get(f"/screening/{screening_round.id}"))
    assert f"/screening/{screening_round.id}?school={school1}" in page
    page = text_of(login_as("county").get(f"/screening/{screening_round.id}?school={school1}"))
    assert re.search(r"4-1</th><td>1</td><td>2</td>", page) and "天星镇中心小学" not in page
    zone = login_as("zone1")
    assert zone.get(f"/screening/{screening_round.id}?school={school1}").status_code == 200
    assert zone.get(f"/screening/{screening_round.id}?school={school2}").status_code == 404


def test_each_self_check_counts_one_more_in_its_row(app, county):
    from webapp.screening.selfcheck import count_one

    with app.app_context():
        school = county.schools[0].id
        for school_id in (school, school, None, None):
            count_one(school_id, "2026-11", "phq9", "一般")
        assert {row.school_id: row.count for row in SelfCheckCount.select()} == {school: 2, None: 2}
        assert SelfCheckCount.select().count() == 2


def test_the_triage_page_shows_the_first_ten_warnings_and_counts_them_all(app, county, login_as):
    """Beside the concerns, the 测评预警 section lists the first ten of the queue (soonest due
    first) with the count of all open ones and a way to the whole queue; another school sees none."""
    from datetime import date

    from webapp.models import Child

    with app.app_context():
        screening_round = open_round(county)
        for number in range(12):
            pupil = Child.create(name=f"预警生{number:02d}", sex="f", birth_date=date(2016, 5, 1),
                                 school_class=county.classes.c41)
            _result(county, pupil, answers=[2] * 8 + [0], uuid=f"triage-{number}", screening_round=screening_round)
    page = text_of(login_as("counselor1").get("/concerns/"))
    section = page.split('id="screening-warnings"')[1].split("</section>")[0]
    assert '<span class="count">12</span>' in section
    assert len(re.findall(r"预警生\d\d", section)) == 10
    assert "查看全部 12 条测评预警" in section and 'href="/screening/warnings/"' in section
    assert "预警生" not in text_of(login_as("counselor2").get("/concerns/"))
