"""The county centre administers the organisation: zones, townships, villages, schools and
accounts of every role. Nobody else gets past /admin/ (except principals, for their school)."""
import pytest

from webapp.models import AuditEvent, ClassTeacher, School, Township, User, Village, WorkerVillage, Zone

from .county import PASSWORD


@pytest.fixture(autouse=True)
def english(county):
    """Read pages in English (the msgids), whatever the Chinese catalog says."""
    User.update(locale="en").execute()


def page(response):
    return response.get_data(as_text=True)


def audited(action):
    return AuditEvent.select().where(AuditEvent.action == action).count()


@pytest.mark.parametrize("username", ["head1", "committee1", "worker1", "counselor1", "zone1"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/zones/", "/admin/users/", "/admin/import/users"])
def test_nobody_but_county_and_principals_gets_into_admin(login_as, username, url):
    assert login_as(username).get(url).status_code == 404


def test_the_county_sees_every_section_of_the_organisation(login_as):
    html = page(login_as("county").get("/admin/"))
    for section in ("Zones", "Schools", "Townships", "Villages", "Accounts", "Import accounts",
                    "Import classes and children"):
        assert section in html


COUNTY_ONLY = ["/admin/zones/", "/admin/schools/new", "/admin/villages/", "/admin/townships/new"]


@pytest.mark.parametrize("url", COUNTY_ONLY)
def test_a_principal_cannot_change_the_county_organisation(login_as, url):
    assert login_as("principal1").get(url).status_code == 404


def test_the_county_creates_a_zone_and_sees_it_listed(login_as):
    county = login_as("county")
    response = county.post("/admin/zones/new", {"name": "三片区"})
    assert response.status_code == 302
    html = page(county.get("/admin/zones/"))
    assert "三片区" in html and "Saved." in html
    assert audited("admin_create_zone") == 1


def test_a_zone_name_in_use_is_refused_and_the_input_kept(login_as):
    response = login_as("county").post("/admin/zones/new", {"name": "一片区"})
    html = page(response)
    assert response.status_code == 200
    assert "already in use" in html and 'value="一片区"' in html
    assert Zone.select().count() == 2


def test_the_county_renames_a_zone(county, login_as):
    zone = county.zones[0]
    login_as("county").post(f"/admin/zones/{zone.id}", {"name": "城区片区"})
    assert Zone.get_by_id(zone.id).name == "城区片区"


def test_the_county_adds_a_township_and_a_village_with_its_childrens_home(login_as):
    county = login_as("county")
    county.post("/admin/townships/new", {"name": "涌兴镇"})
    town = Township.get(name="涌兴镇")
    response = county.post(
        "/admin/villages/new", {"township": town.id, "name": "凉水村", "home_name": "凉水村童伴之家"}
    )
    assert response.status_code == 302
    village = Village.get(name="凉水村")
    assert village.township_id == town.id and village.home_name == "凉水村童伴之家"
    html = page(county.get("/admin/villages/"))
    assert "凉水村" in html and "凉水村童伴之家" in html


def test_the_same_village_twice_in_one_township_is_refused(county, login_as):
    town = county.townships[0]
    response = login_as("county").post("/admin/villages/new", {"township": town.id, "name": "一村"})
    assert "already in use" in page(response)
    assert Village.select().where(Village.name == "一村").count() == 1


def test_the_county_creates_a_school_with_its_counselling_mailbox_and_hours(county, login_as):
    admin = login_as("county")
    response = admin.post("/admin/schools/new", {
        "name": "渠县第四小学", "stage": "primary", "zone": county.zones[1].id,
        "township": county.townships[1].id,
        "mailbox": "图书室门口", "counselling_hours": "周一至周五 12:30-13:30",
    })
    assert response.status_code == 302
    school = School.get(name="渠县第四小学")
    assert (school.zone_id, school.township_id) == (county.zones[1].id, county.townships[1].id)
    assert school.mailbox == "图书室门口"
    assert "渠县第四小学" in page(admin.get("/admin/schools/"))
    assert audited("admin_create_school") == 1


def test_a_school_without_zone_is_refused_with_a_message(login_as):
    response = login_as("county").post(
        "/admin/schools/new", {"name": "无片区学校", "stage": "primary", "zone": ""}
    )
    assert response.status_code == 200
    assert "Please fill this in." in page(response)
    assert not School.select().where(School.name == "无片区学校").exists()


def test_the_county_creates_a_head_teacher_who_can_sign_in_and_links_her_classes(county, login_as, browser):
    admin = login_as("county")
    school = county.schools[0]
    response = admin.post("/admin/users/new", {
        "username": "head9", "display_name": "刘老师", "phone": "13900000009", "role": "head_teacher",
        "school": school.id, "password": "a-long-password", "active": "y",
    })
    user = User.get(username="head9")
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    edit = page(admin.get(f"/admin/users/{user.id}"))
    assert "Grade 3 class 1" in edit  # classes of her school this year, to tick
    admin.post(f"/admin/users/{user.id}", {
        "username": "head9", "display_name": "刘老师", "role": "head_teacher", "school": school.id,
        "classes": [county.classes.c31.id], "active": "y",
    })
    assert [link.school_class_id for link in ClassTeacher.select().where(ClassTeacher.user == user.id)] == [
        county.classes.c31.id
    ]
    assert browser.login("head9", "a-long-password").status_code == 302


def test_each_role_needs_its_scope(county, login_as):
    admin = login_as("county")
    base = {"username": "someone", "display_name": "某人", "password": "a-long-password", "active": "y"}
    html = page(admin.post("/admin/users/new", {**base, "role": "zone"}))
    assert "needs a zone" in html
    html = page(admin.post("/admin/users/new", {**base, "role": "counselor"}))
    assert "needs a school" in html
    html = page(admin.post("/admin/users/new", {**base, "role": "child_worker"}))
    assert "at least one village" in html
    assert not User.select().where(User.username == "someone").exists()


def test_the_county_creates_a_child_worker_for_two_villages(county, login_as):
    village1, village2, _ = county.villages
    login_as("county").post("/admin/users/new", {
        "username": "worker9", "display_name": "童伴妈妈九", "role": "child_worker",
        "villages": [village1.id, village2.id], "password": "a-long-password", "active": "y",
    })
    worker = User.get(username="worker9")
    links = {link.village_id for link in WorkerVillage.select().where(WorkerVillage.user == worker.id)}
    assert links == {village1.id, village2.id}


def test_a_short_password_is_refused_and_the_rest_of_the_input_kept(county, login_as):
    response = login_as("county").post("/admin/users/new", {
        "username": "zone9", "display_name": "九片区老师", "role": "zone", "zone": county.zones[0].id,
        "password": "short", "active": "y",
    })
    html = page(response)
    assert response.status_code == 200
    assert "at least 10 characters" in html and 'value="九片区老师"' in html
    assert not User.select().where(User.username == "zone9").exists()


def test_a_username_in_use_is_refused(login_as):
    response = login_as("county").post("/admin/users/new", {
        "username": "head1", "display_name": "x", "role": "county", "password": "a-long-password",
        "active": "y",
    })
    assert "already in use" in page(response)


def test_the_user_list_filters_by_role(login_as):
    html = page(login_as("county").get("/admin/users/?role=principal"))
    assert "principal1" in html and "principal2" in html
    assert "head1" not in html and "worker1" not in html


def test_a_new_password_is_audited_and_the_old_one_stops_working(county, login_as, browser):
    admin = login_as("county")
    target = county.users.head1
    new = {"secret": "brand-new-secret", "confirm": "brand-new-secret"}
    response = admin.post(f"/admin/users/{target.id}/secret", new)
    assert response.status_code == 302
    event = AuditEvent.get(AuditEvent.action == "reset_secret")
    assert (event.object_type, event.object_id, event.username) == ("User", target.id, "county")
    assert "brand-new-secret" not in event.detail
    assert browser.login("head1", PASSWORD).status_code == 200
    assert browser.login("head1", "brand-new-secret").status_code == 302


def test_a_deactivated_account_is_signed_out(county, login_as):
    head = login_as("head1")
    login_as("county").post(f"/admin/users/{county.users.head1.id}", {
        "username": "head1", "display_name": "head1", "role": "head_teacher", "school": county.schools[0].id,
    })
    assert User.get(username="head1").active is False
    assert head.get("/").status_code == 302


def test_the_county_cannot_lock_herself_out(county, login_as):
    response = login_as("county").post(f"/admin/users/{county.users.county.id}", {
        "username": "county", "display_name": "county", "role": "county",
    })
    assert "your own account" in page(response)
    assert User.get(username="county").active
