"""Numbers and days a request may carry: ids past what the database holds, far dates, a busy pool,
a racing replay. Each used to end in a 500; now each is a 404, a 422 with a message, or a 503."""
import threading
import uuid
from collections import Counter

import pytest

from webapp import create_app
from webapp.config import TestConfig
from webapp.db import db
from webapp.models import CaseNote, CheckIn, Child, Concern, HomeVisit, WeeklyReport

from .conftest import Browser
from .peer_steps import weekly_data
from .safeguarding_steps import open_case, raise_concern
from .village_steps import check_in

HUGE = "9999999999999999999999999"
JUST_PAST = str(2 ** 63)


@pytest.mark.parametrize("number", [HUGE, JUST_PAST])
@pytest.mark.parametrize("username,method,path", [
    ("county", "GET", "/children/{n}"),  # a record's page
    ("county", "GET", "/children/{n}/export.xlsx"),  # a download
    ("county", "POST", "/concerns/{n}/acknowledge"),  # an action
    ("county", "POST", "/cases/{n}/referrals/{n}/feedback"),  # two ids
    ("county", "GET", "/admin/schools/{n}/help"),  # administration
    ("county", "GET", "/dashboard/zone/{n}"),  # a dashboard
    ("counselor1", "GET", "/peer/reports/{n}"),  # the committee's reports
    ("head1", "GET", "/visits/{n}/edit"),  # a head teacher's entry
    ("worker1", "GET", "/village/children/{n}/confirm"),  # a child worker's entry
])
def test_an_id_past_what_the_database_holds_is_not_found(county, login_as, username, method, path, number):
    user = login_as(username)
    url = path.format(n=number)
    response = user.get(url) if method == "GET" else user.post(url, {})
    assert response.status_code == 404


def test_the_largest_id_the_database_holds_is_simply_not_found(county, login_as):
    assert login_as("county").get(f"/children/{2 ** 63 - 1}").status_code == 404


@pytest.mark.parametrize("username,url,status", [
    (None, f"/help?school={HUGE}", 200),  # the general help page, as with no school
    ("county", f"/dashboard/villages?school={HUGE}", 404),
    ("county", f"/dashboard/concerns.xlsx?zone={HUGE}", 404),
    ("county", f"/cases/new?concern={HUGE}", 404),
    ("county", f"/visits/?school={HUGE}", 200),
    ("county", f"/children/?page={HUGE}", 200),  # the first page
    ("county", f"/admin/users/?page={HUGE}", 200),
    ("county", f"/audit/?page={HUGE}", 200),
    ("worker1", f"/checkins/new?child={HUGE}", 404),
    ("county", f"/village/worklog?worker={HUGE}", 404),
    ("worker1", f"/village/worklog?month={HUGE}-01", 200),  # the current month
])
def test_a_huge_number_in_the_query_string_is_absent_or_not_found(app, county, login_as, username, url, status):
    user = login_as(username) if username else Browser(app.test_client())
    assert user.get(url).status_code == status


def test_the_help_page_with_a_huge_school_shows_the_hotlines(app, county):
    response = Browser(app.test_client()).get(f"/help?school={HUGE}")
    assert response.status_code == 200 and "12355" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.xlsx"])
@pytest.mark.parametrize("query,message", [
    ("since=0001-01-01", "日期不能早于2000年1月1日"),
    ("until=9999-12-31", "日期不能晚于2027年11月19日"),  # a year ahead of the test clock's 18 Nov 2026
    (f"child={HUGE}", "儿童编号是一个数字"),
])
def test_the_audit_filters_refuse_far_dates_and_huge_ids_with_a_message(county, login_as, path, query, message):
    response = login_as("county").get(f"{path}?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and query.split("=")[1] in page  # what she typed, back in the field


def test_the_audit_filters_still_take_a_sane_window(county, login_as):
    assert login_as("county").get("/audit/?since=2026-11-01&until=2026-11-18").status_code == 200


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "0001-01-02"])
def test_a_pupil_naming_a_far_week_is_told_which_weeks_she_may_report(county, login_as, week):
    pupil = login_as("committee1")
    assert pupil.get(f"/peer/weekly?week={week}").status_code == 200
    pupil.get("/peer/weekly")
    for action in ("send", "nil"):
        response = pupil.post(f"/peer/weekly?week={week}", weekly_data(week=week, action=action))
        assert response.status_code == 422, action
    assert not WeeklyReport.select().exists()


def test_a_check_in_dated_in_year_one_is_refused_with_the_typing_kept(county, login_as):
    response = check_in(login_as("worker1"), county.kids.zheng_shi, day="0001-01-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能早于2000年1月1日" in page and "和奶奶一起在家" in page
    assert not CheckIn.select().exists()


def test_a_case_note_dated_in_year_one_is_refused_with_the_typing_kept(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san)
    counselor = login_as("counselor1")
    case_id = open_case(counselor, Concern.get().id, county.users.counselor1, members=[county.users.head1])
    counselor.get(f"/cases/{case_id}")
    response = counselor.post(f"/cases/{case_id}/notes", {
        "text": "今天谈心半小时", "contacted_on": "0001-01-01", "client_uuid": str(uuid.uuid4())})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能早于2000年1月1日" in page and "今天谈心半小时" in page
    assert not CaseNote.select().exists()


def test_a_visit_dated_in_year_one_is_refused(county, login_as):
    head = login_as("head1")
    url = f"/visits/new?child={county.kids.zhang_san.id}"
    head.get(url)
    response = head.post(url, {"visited_on": "0001-01-01", "mode": "on_site", "received_by": ["mother"],
                               "findings": "家里一切正常", "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 422 and "家里一切正常" in response.get_data(as_text=True)
    assert not HomeVisit.select().exists()


def test_a_busy_pool_answers_503_with_retry_after(_schema, clock, county):
    """Every connection of a tiny pool is held by other threads: the next request is told to
    come back, it does not fail."""
    app = create_app(TestConfig, DATABASE_URL=_schema, CLOCK=clock, DATABASE_POOL_SIZE=2,
                     DATABASE_POOL_TIMEOUT=0.2)
    head = Browser(app.test_client())
    head.login("head1")
    held, release = threading.Barrier(3), threading.Event()

    def hold_a_connection():
        with db.connection_context():
            held.wait()
            release.wait(10)

    holders = [threading.Thread(target=hold_a_connection) for _ in range(2)]
    for holder in holders:
        holder.start()
    try:
        held.wait(10)
        response = app.test_client().get("/login")
        assert response.status_code == 503
        assert int(response.headers["Retry-After"]) > 0
        assert "请稍后再试" in response.get_data(as_text=True)
        # Signed in too: the page does not wait again to read who she is.
        response = head.get("/")
        assert response.status_code == 503 and "Retry-After" in response.headers
    finally:
        release.set()
        for holder in holders:
            holder.join()
    assert app.test_client().get("/login").status_code == 200
    assert head.get("/").status_code == 200


def test_twenty_concurrent_admin_creates_of_one_child_store_it_once(app, county):
    """The phone's outbox and a double tap send the same new child at once: one child, no 500."""
    school, c42 = county.schools[0], county.classes.c42
    entry = str(uuid.uuid4())
    writers = 20
    statuses, errors = Counter(), []
    barrier = threading.Barrier(writers)
    url = f"/admin/schools/{school.id}/children/new"

    # Signed in one after another: one authenticator code serves one sign-in at a time.
    principals = []
    for _ in range(writers):
        principal = Browser(app.test_client())
        principal.login("principal1")
        principal.get(url)
        principals.append(principal)

    def writer(principal):
        try:
            barrier.wait()
            response = principal.post(url, {
                "name": "钱多多", "sex": "f", "birth_date": "2016-09-01", "school_class": c42.id,
                "guardian_name": "钱奶奶", "client_uuid": entry})
            statuses[(response.status_code, response.headers.get("Location"))] += 1
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(p,)) for p in principals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == Counter({(302, f"/admin/classes/{c42.id}"): writers})
    assert Child.select().where(Child.name == "钱多多").count() == 1
