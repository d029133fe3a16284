"""The demo county: a newcomer runs `flask --app wsgi demo` and every documented account works."""
import re

import pytest

from webapp.demo import demo_command
from webapp.demo.county import COMMITTEE_PIN, STAFF_PASSWORD, demo_accounts, load_demo_county
from webapp.models import Child, SchoolClass, User, Village, Zone

from .conftest import Browser, _empty_tables

# DESIGN.md §5, the accounts a newcomer is promised.
DESIGN_ACCOUNTS = (
    "county", "zone1", "counselor1", "principal1", "head1", "head2", "committee1", "committee2",
    "worker1", "counselor2", "head3",
)
CHILD_LINK = re.compile(r'href="/children/(\d+)"')


@pytest.fixture
def demo(app):
    with app.app_context():
        summary = load_demo_county()
    # Everyone on one page, so a page shows a user's whole scope.
    app.config["CHILDREN_PER_PAGE"] = 1000
    return summary


def secret_of(username):
    return COMMITTEE_PIN if username.startswith("committee") else STAFF_PASSWORD


def children_on_page(browser):
    page = browser.get("/children/").get_data(as_text=True)
    return {int(child_id) for child_id in CHILD_LINK.findall(page)}


def test_the_demo_county_has_about_400_children_in_16_classes(demo):
    assert demo["loaded"]
    assert 360 <= demo["children"] <= 440
    assert demo["zones"] == 2 and demo["schools"] == 4
    assert 14 <= demo["classes"] <= 18
    left_behind = Child.select().where(Child.left_behind).count()
    assert 0.12 <= left_behind / demo["children"] <= 0.3


@pytest.mark.parametrize("username", DESIGN_ACCOUNTS)
def test_every_documented_account_signs_in(demo, browser, username):
    response = browser.login(username, secret_of(username))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_staff_who_read_cases_are_enrolled_with_the_published_totp_secret(demo):
    enrolled = {u.username for u in User.select().where(User.totp_enabled & (User.totp_secret == "JBSWY3DPEHPK3PXP"))}
    assert enrolled == {"county", "zone1", "zone2", "counselor1", "principal1", "counselor2", "principal2"}


def test_every_printed_account_signs_in_with_its_printed_secret(demo, app):
    for username, _role, _name, _where, secret in demo_accounts():
        assert Browser(app.test_client()).login(username, secret).status_code == 302, username


def test_the_committee_members_are_a_boy_and_a_girl_of_class_4_1(demo):
    boy = User.get(User.username == "committee1").child
    girl = User.get(User.username == "committee2").child
    assert (boy.sex, girl.sex) == ("m", "f")
    for pupil in (boy, girl):
        assert (pupil.school_class.grade, pupil.school_class.number) == (4, 1)
        assert pupil.school.name == "渠县第一小学"
    assert User.get(User.username == "committee1").school_id == boy.school_id


def test_head1_sees_only_her_class_4_1(demo, browser):
    class_4_1 = SchoolClass.get(
        (SchoolClass.school == User.get(User.username == "head1").school)
        & (SchoolClass.grade == 4) & (SchoolClass.number == 1)
    )
    expected = {c.id for c in Child.select().where(Child.school_class == class_4_1)}
    browser.login("head1", STAFF_PASSWORD)
    assert children_on_page(browser) == expected
    assert len(expected) >= 20


def test_worker1_sees_the_children_of_village_1(demo, browser):
    village_1 = Village.get(Village.name == "红旗村")
    expected = {c.id for c in Child.select().where(Child.village == village_1)}
    browser.login("worker1", STAFF_PASSWORD)
    assert children_on_page(browser) == expected


def test_village_1_children_are_pupils_of_school_1_or_not_at_school(demo):
    school_1 = User.get(User.username == "counselor1").school
    village_1 = Village.get(Village.name == "红旗村")
    schools = {c.school_id for c in Child.select().where(Child.village == village_1)}
    assert schools == {school_1.id, None}
    pre_school = Child.select().where((Child.village == village_1) & Child.school_class.is_null())
    assert pre_school.count() >= 2


def test_school_2_pupils_do_not_live_in_village_1(demo):
    school_2 = User.get(User.username == "head3").school
    village_1 = Village.get(Village.name == "红旗村")
    assert not Child.select().where((Child.school == school_2) & (Child.village == village_1)).exists()
    assert school_2.zone.name == "二片区"


def test_search_keys_are_computed_for_bulk_inserted_children(demo):
    child = Child.select().where(Child.school_class.is_null(False)).first()
    assert child.name_initials and child.name_pinyin
    assert child.name_initials[0] == child.name_pinyin[0]


def test_loading_twice_changes_nothing(demo, app):
    with app.app_context():
        again = load_demo_county()
    assert again["loaded"] is False
    assert again["children"] == demo["children"] and again["users"] == demo["users"]
    assert Zone.select().count() == 2


def test_the_same_county_every_time(app):
    with app.app_context():
        load_demo_county()
        names = [c.name for c in Child.select().order_by(Child.id).limit(20)]
        _empty_tables()
        load_demo_county()
    assert [c.name for c in Child.select().order_by(Child.id).limit(20)] == names


def test_the_demo_command_loads_and_prints_the_accounts(app):
    result = app.test_cli_runner().invoke(demo_command, ["--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Loaded the demo county" in result.output
    for username in DESIGN_ACCOUNTS:
        assert username in result.output
    assert STAFF_PASSWORD in result.output and COMMITTEE_PIN in result.output

    again = app.test_cli_runner().invoke(demo_command, ["--no-serve"])
    assert again.exit_code == 0, again.output
    assert "not loaded again" in again.output
    assert Zone.select().count() == 2


def test_the_demo_has_an_open_incident_with_an_overdue_follow_up_and_a_closed_one(demo, browser, app):
    from webapp.models import FollowUp, Incident, IncidentStep

    open_one = Incident.get(Incident.status == "open")
    closed = Incident.get(Incident.status == "closed")
    assert open_one.kind == "bullying" and open_one.school.name == "渠县第一小学"
    assert closed.review_what and closed.review_learned
    steps = IncidentStep.select().where(IncidentStep.incident == open_one.id)
    assert 0 < steps.where(IncidentStep.done_at.is_null(False)).count() < steps.count()
    tasks = list(FollowUp.select().where(FollowUp.incident == open_one.id))
    assert len(tasks) >= 4 and sum(1 for t in tasks if t.done_at) == 1
    now = app.config["CLOCK"]()
    overdue = [t for t in tasks if t.done_at is None and t.due_at < now]
    assert len(overdue) == 1
    # counselor1's home leads with her overdue follow-up: the first task listed, marked overdue.
    browser.login("counselor1", STAFF_PASSWORD)
    page = browser.get("/").get_data(as_text=True)
    tasks_part = page[page.index('id="my-follow-ups"'):]
    first = tasks_part[tasks_part.index("<li>"):tasks_part.index("</li>")]
    assert overdue[0].child.name in first and "已超期" in first
    listed = browser.get("/incidents/").get_data(as_text=True)
    assert f"/incidents/{open_one.id}" in listed and f"/incidents/{closed.id}" in listed


def test_the_demo_has_an_inspection_of_school_3_with_an_overdue_item_and_an_accepted_one(demo, browser, app):
    from webapp.models import Inspection, Rectification, School

    school3 = School.get(School.name == "渠县第三中学")
    inspection = Inspection.get(Inspection.school == school3.id)
    assert inspection.inspector.username == "zone1" and inspection.checks.count() > 0
    today = app.config["CLOCK"]().date()
    items = list(Rectification.select().where(Rectification.inspection == inspection.id))
    overdue = [item for item in items if item.status == "open" and item.due_on < today]
    assert len(overdue) == 1 and "专职" in overdue[0].finding
    accepted = Rectification.get(Rectification.status == "accepted")
    assert accepted.school.name == "渠县天星镇中心小学" and accepted.reported_at < accepted.decided_at
    # zone1 is told on her home page; the county dashboard counts it.
    browser.login("zone1", STAFF_PASSWORD)
    home = browser.get("/").get_data(as_text=True)
    assert 'id="rectifications-overdue"' in home and "渠县第三中学" in home and "已超期" in home
    page = browser.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert overdue[0].finding in page
    county = Browser(app.test_client())
    county.login("county", STAFF_PASSWORD)
    dashboard = county.get("/dashboard/").get_data(as_text=True)
    figures = dashboard[dashboard.index('id="rectifications"'):]
    assert "<dt>已超期</dt><dd>1</dd>" in figures.replace("\n", "").replace(" ", "")
