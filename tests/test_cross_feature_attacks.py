"""Attacks across features (a hostile insider's second round): each test is an attack that once
worked, and what must now happen instead."""
import re

from webapp.models import AuditEvent, LoginAttempt, ScreeningSession, SelfCheckCount

from .county import PASSWORD
from .screening_steps import open_round


def text_of(response):
    return response.get_data(as_text=True)


def _start_session(counselor, screening_round, school_class):
    counselor.get(f"/screening/{screening_round.id}/sessions")
    response = counselor.post(f"/screening/{screening_round.id}/sessions",
                              {"school_class": str(school_class.id), "instrument": "phq9"})
    assert response.status_code == 302
    return response.headers["Location"]


def _session_cookie_dropped(browser):
    """What closing the browser does: the session cookie (no expiry) goes, a remember cookie stays."""
    browser.client.delete_cookie("session")


def test_a_pupil_closing_the_tablets_browser_does_not_reopen_the_counsellors_account(app, county, browser):
    """The device's lock lived in the session cookie only: a counsellor signed in with 记住我
    started a class session, a pupil closed the browser and opened it again, and the remember
    cookie signed the counsellor in afresh with no lock: her cases, concerns and children."""
    with app.app_context():
        screening_round = open_round(county)
    browser.login("counselor1", remember=True)
    _start_session(browser, screening_round, county.classes.c41)
    _session_cookie_dropped(browser)
    for url in ("/", "/concerns/", f"/children/{county.kids.li_si.id}"):
        response = browser.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/login", url
    # The counsellor signs in again and ends the session as before.
    browser.login("counselor1")
    assert browser.get("/").status_code == 200


def test_the_sessions_password_is_no_oracle_for_the_counsellors_password(app, county, login_as):
    """Ending a session checked the counsellor's password with no count: a pupil holding the
    tablet could try password after password. Now the tries count with her sign-in's."""
    with app.app_context():
        screening_round = open_round(county)
    device = login_as("counselor1")
    end_url = _start_session(device, screening_round, county.classes.c41) + "/end"
    device.get(end_url)
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_USER"]):
        assert device.post(end_url, {"password": f"guess-{n}"}).status_code == 422
    # Now even her right password is not checked until the lock passes.
    locked = device.post(end_url, {"password": PASSWORD})
    assert locked.status_code == 422 and "15" in text_of(locked)
    with app.app_context():
        assert ScreeningSession.get().ended_at is None
        assert LoginAttempt.select().where(LoginAttempt.username == "counselor1").count() >= 5
    app.config["CLOCK"].advance(minutes=16)
    ended = device.post(end_url, {"password": PASSWORD})
    assert ended.status_code == 302
    with app.app_context():
        assert ScreeningSession.get().ended_at is not None
        assert AuditEvent.select().where(AuditEvent.action == "screening_session_end").count() == 1


def _row_of(page, name):
    row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', page, re.S)
    return row and re.findall(r"<td>(\d+)</td>", row.group(1))


def test_the_self_check_total_does_not_give_away_a_school_below_five(app, county, login_as):
    """A school under 5 was hidden, but the row "All" summed every school in scope: zone1 took
    school 1's shown figures from it and read the level of school 3's one teacher."""
    with app.app_context():
        SelfCheckCount.create(school=county.schools[0], month="2026-11", instrument="phq9", level="general", count=6)
        SelfCheckCount.create(school=county.schools[2], month="2026-11", instrument="phq9", level="high", count=1)
    page = text_of(login_as("zone1").get("/self-check/counts"))
    assert _row_of(page, county.schools[0].name) == ["6", "0", "0", "0"]
    all_row = _row_of(page, "全部") or _row_of(page, "All")
    assert all_row in (None, ["6", "0", "0", "0"])  # never the hidden teacher's 高危
    # Once school 3 has 5, it shows, and the total with it.
    with app.app_context():
        SelfCheckCount.create(school=county.schools[2], month="2026-11", instrument="gad7", level="general", count=4)
    page = text_of(login_as("zone1").get("/self-check/counts"))
    assert _row_of(page, "全部") == ["10", "0", "0", "1"]


def test_a_home_naming_pupils_after_an_incident_or_a_screening_is_not_kept_on_the_phone(app, county, world,
                                                                                       login_as):
    """The home page is kept by the service worker (X-Offline-Page, a roster), and incidents and
    screening added to it the pupils a head teacher follows up after an incident and those whose
    测评预警 waits: their names stayed in the phone's cache after she signed out of the page."""
    head = login_as("head1")
    home = head.get("/")
    page = text_of(home)
    assert 'id="my-follow-ups"' in page and county.kids.zhang_san.name in page
    assert home.headers.get("X-Offline-Page") is None and home.headers["Cache-Control"] == "no-store"
    # A home with none of these is still kept for offline use (head2 has no follow-up, no warning).
    quiet = login_as("head2").get("/")
    assert 'id="my-follow-ups"' not in text_of(quiet) and quiet.headers.get("X-Offline-Page") == "1"
