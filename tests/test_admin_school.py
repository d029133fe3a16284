"""A principal keeps her school's roster: classes, children, head teachers and the class
psychology committee (from grade 4, one boy and one girl per class). Other schools: 404."""
import logging
from datetime import date

import pytest

from webapp.models import AuditEvent, Child, ClassTeacher, SchoolClass, User

from .county import PIN


@pytest.fixture(autouse=True)
def english(county):
    """Read pages in English (the msgids), whatever the Chinese catalog says."""
    User.update(locale="en").execute()


@pytest.fixture
def principal(login_as):
    return login_as("principal1")


def page(response):
    return response.get_data(as_text=True)


def test_the_principal_sees_her_schools_sections(principal):
    html = page(principal.get("/admin/"))
    assert "My school" in html and "Head teachers and committee members" in html
    assert "Zones" not in html


def test_the_class_list_shows_each_class_with_its_committee_gaps(county, principal):
    html = page(principal.get(f"/admin/schools/{county.schools[0].id}/classes"))
    assert "Grade 4 class 1" in html and "Grade 4 class 2" in html and "Grade 3 class 1" in html
    # 4-1 has its boy and girl; 4-2 has neither; 3-1 needs none.
    assert html.count("Committee missing:") == 1
    assert "Committee missing: Boy, Girl" in html


def test_the_principal_creates_a_class_with_its_head_teacher(county, principal):
    school = county.schools[0]
    response = principal.post(f"/admin/schools/{school.id}/classes/new", {
        "grade": "5", "number": "2", "head_teachers": [county.users.head2.id],
    })
    school_class = SchoolClass.get(school=school, grade=5, number=2)
    assert school_class.school_year == 2026
    assert response.headers["Location"] == f"/admin/classes/{school_class.id}"
    assert ClassTeacher.get(school_class=school_class).user_id == county.users.head2.id
    html = page(principal.get(f"/admin/schools/{school.id}/classes"))
    assert "Grade 5 class 2" in html
    assert AuditEvent.get(action="admin_create_class").object_id == school_class.id


def test_a_class_that_exists_is_refused_and_a_grade_out_of_range_explained(county, principal):
    url = f"/admin/schools/{county.schools[0].id}/classes/new"
    assert "already in use" in page(principal.post(url, {"grade": "4", "number": "1"}))
    html = page(principal.post(url, {"grade": "13", "number": "1"}))
    assert "The grade is a number from 1 to 12." in html and 'value="13"' in html


def test_a_head_teacher_of_another_school_cannot_be_assigned(county, principal):
    url = f"/admin/schools/{county.schools[0].id}/classes/new"
    principal.post(url, {"grade": "6", "number": "1", "head_teachers": [county.users.head3.id]})
    assert not SchoolClass.select().where(SchoolClass.grade == 6).exists()


def test_the_principal_adds_a_child_to_a_class(county, principal):
    c42 = county.classes.c42
    response = principal.post(f"/admin/schools/{county.schools[0].id}/children/new", {
        "name": "钱多多", "sex": "f", "birth_date": "2016-09-01", "school_class": c42.id,
        "village": county.villages[0].id, "left_behind": "y", "guardian_name": "钱奶奶",
        "guardian_relation": "祖母", "guardian_phone": "13800000001",
    })
    assert response.headers["Location"] == f"/admin/classes/{c42.id}"
    child = Child.get(name="钱多多")
    assert (child.school_id, child.birth_date) == (county.schools[0].id, date(2016, 9, 1))
    assert child.left_behind and not child.single_parent
    assert child.name_initials == "qdd"
    html = page(principal.get(f"/admin/classes/{c42.id}"))
    assert "钱多多" in html and "Left-behind" in html
    assert AuditEvent.get(action="admin_create_child").child_id == child.id


def test_a_child_without_name_is_refused_and_the_rest_kept(county, principal):
    response = principal.post(f"/admin/schools/{county.schools[0].id}/children/new", {
        "name": "", "sex": "m", "school_class": county.classes.c41.id, "guardian_name": "王爷爷",
    })
    html = page(response)
    assert response.status_code == 200 and "Please fill this in." in html and 'value="王爷爷"' in html


def test_the_principal_edits_a_childs_key_groups(county, principal):
    child = county.kids.wang_wu
    principal.post(f"/admin/children/{child.id}", {
        "name": "王五", "sex": "m", "birth_date": "2016-05-01", "school_class": county.classes.c42.id,
        "single_parent": "y",
    })
    child = Child.get_by_id(child.id)
    assert child.single_parent and not child.left_behind


OTHER_SCHOOL = [
    "/admin/schools/{school2}/classes", "/admin/schools/{school2}/classes/new", "/admin/classes/{s2c41}",
    "/admin/classes/{s2c41}/edit", "/admin/classes/{s2c41}/committee/new", "/admin/children/{zhou_ba}",
    "/admin/schools/{school2}/children/new", "/admin/users/{head3}", "/admin/users/{head3}/secret",
    "/admin/users/{counselor1}", "/admin/children/{zheng_shi}", "/admin/schools/{school1}/edit",
]


@pytest.mark.parametrize("template", OTHER_SCHOOL)
def test_another_schools_records_answer_404(county, principal, template):
    url = template.format(
        school1=county.schools[0].id, school2=county.schools[1].id, s2c41=county.classes.s2c41.id,
        zhou_ba=county.kids.zhou_ba.id, zheng_shi=county.kids.zheng_shi.id, head3=county.users.head3.id,
        counselor1=county.users.counselor1.id,
    )
    assert principal.get(url).status_code == 404
    assert principal.post(url, {"name": "x"}).status_code in (404, 405)  # 405: a page without a form


def test_a_committee_member_of_another_school_cannot_be_removed(county, login_as):
    response = login_as("principal2").post(f"/admin/users/{county.users.committee1.id}/remove-committee")
    assert response.status_code == 404
    assert User.get_by_id(county.users.committee1.id).active


def test_the_principal_creates_a_head_teacher_for_her_classes(county, principal, browser):
    response = principal.post("/admin/users/new", {
        "username": "head7", "display_name": "陈老师", "password": "a-long-password", "active": "y",
    })
    head = User.get(username="head7")
    assert (head.role, head.school_id) == ("head_teacher", county.schools[0].id)
    assert response.headers["Location"] == f"/admin/users/{head.id}"
    principal.post(f"/admin/users/{head.id}", {
        "username": "head7", "display_name": "陈老师", "classes": [county.classes.c31.id], "active": "y",
    })
    assert [link.school_class_id for link in head.class_links] == [county.classes.c31.id]
    browser.login("head7", "a-long-password")
    assert "孙七" in page(browser.get("/children/"))


def test_the_principal_lists_only_her_schools_teachers_and_pupils(principal):
    html = page(principal.get("/admin/users/"))
    assert "head1" in html and "committee2" in html
    assert "head3" not in html and "counselor1" not in html and "principal1" not in html


# --- the class psychology committee (policy §四.17) ------------------------------------------

def test_a_boy_and_a_girl_join_a_grade_4_class_and_its_gap_closes(county, principal, browser):
    c42 = county.classes.c42
    response = principal.post(f"/admin/classes/{c42.id}/committee/new", {
        "child": county.kids.wang_wu.id, "username": "wangwu", "pin": "246810",
    })
    assert response.headers["Location"] == f"/admin/classes/{c42.id}"
    member = User.get(username="wangwu")
    assert (member.role, member.child_id) == ("committee", county.kids.wang_wu.id)
    assert member.school_id == c42.school_id
    assert member.display_name == "王五"
    html = page(principal.get(f"/admin/schools/{c42.school_id}/classes"))
    assert "Committee missing: Girl" in html
    assert browser.login("wangwu", "246810").status_code == 302


def test_a_third_member_is_refused(county, principal):
    c41 = county.classes.c41
    extra = Child.create(name="钱七", sex="m", birth_date=date(2016, 3, 3), school_class=c41)
    response = principal.post(f"/admin/classes/{c41.id}/committee/new", {
        "child": extra.id, "username": "qianqi", "pin": "246810",
    })
    assert "already has a boy committee member" in page(response)
    assert not User.select().where(User.username == "qianqi").exists()


def test_a_grade_3_class_has_no_committee(county, principal):
    c31 = county.classes.c31
    html = page(principal.get(f"/admin/classes/{c31.id}/committee/new"))
    assert "from grade 4 up; this class is grade 3" in html
    response = principal.post(f"/admin/classes/{c31.id}/committee/new", {
        "child": county.kids.sun_qi.id, "username": "sunqi", "pin": "246810",
    })
    assert "from grade 4 up" in page(response)
    assert not User.select().where(User.username == "sunqi").exists()


def test_a_pin_must_be_six_digits(county, principal):
    response = principal.post(f"/admin/classes/{county.classes.c42.id}/committee/new", {
        "child": county.kids.zhao_liu.id, "username": "zhaoliu", "pin": "12345",
    })
    assert "exactly 6 digits" in page(response)


def test_a_removed_member_cannot_sign_in_and_frees_her_slot(county, principal, browser):
    c41 = county.classes.c41
    principal.post(f"/admin/users/{county.users.committee2.id}/remove-committee")
    assert "Committee missing: Girl" in page(principal.get(f"/admin/classes/{c41.id}"))
    assert browser.login("committee2", PIN).status_code == 200
    assert AuditEvent.get(action="admin_remove_committee").child_id == county.kids.li_si.id
    # The same pupil may come back, with a new username and PIN.
    principal.post(f"/admin/classes/{c41.id}/committee/new", {
        "child": county.kids.li_si.id, "username": "lisi2", "pin": "975310",
    })
    assert User.get_by_id(county.users.committee2.id).username == "lisi2"
    assert browser.login("lisi2", "975310").status_code == 302


def test_a_member_cannot_be_moved_into_a_class_whose_seat_is_taken(county, principal):
    other_boy = Child.create(
        name="钱七", sex="m", birth_date=date(2016, 3, 3), school_class=county.classes.c42
    )
    User.create(username="qianqi", display_name="钱七", role="committee", password_hash="x",
                school=county.schools[0], child=other_boy)
    response = principal.post(f"/admin/children/{county.kids.zhang_san.id}", {
        "name": "张三", "sex": "m", "birth_date": "2016-05-01", "school_class": county.classes.c42.id,
    })
    assert "already has a boy committee member" in page(response)
    assert Child.get_by_id(county.kids.zhang_san.id).school_class_id == county.classes.c41.id


def test_resetting_a_pin_is_audited_and_signs_the_pupil_out(county, principal, login_as, browser):
    pupil = login_as("committee1")
    target = county.users.committee1
    html = page(principal.post(f"/admin/users/{target.id}/secret", {"secret": "12345", "confirm": "12345"}))
    assert "exactly 6 digits" in html
    response = principal.post(f"/admin/users/{target.id}/secret", {"secret": "864200", "confirm": "864200"})
    assert response.status_code == 302
    event = AuditEvent.get(action="reset_secret")
    assert (event.object_id, event.username) == (target.id, "principal1")
    assert pupil.get("/").status_code == 302  # her old session has ended
    assert browser.login("committee1", PIN).status_code == 200
    assert browser.login("committee1", "864200").status_code == 302


def test_the_roster_pages_cost_the_same_queries_for_any_number_of_children(county, principal):
    c42 = county.classes.c42

    def queries():
        handler = _Counter()
        logger = logging.getLogger("peewee")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            assert principal.get(f"/admin/classes/{c42.id}").status_code == 200
            assert principal.get(f"/admin/schools/{c42.school_id}/classes").status_code == 200
            assert principal.get("/admin/users/").status_code == 200
        finally:
            logger.removeHandler(handler)
        return handler.count

    before = queries()
    assert before > 0
    for n in range(15):
        child = Child.create(name=f"新生{n}", sex="mf"[n % 2], school_class=c42, village=county.villages[0])
        teacher = User.create(username=f"t{n}", display_name=f"老师{n}", role="head_teacher", password_hash="x",
                              school=c42.school_id)
        ClassTeacher.create(user=teacher, school_class=c42)
        User.create(username=f"p{n}", display_name=child.name, role="committee", password_hash="x",
                    school=c42.school_id, child=child, active=False)
    assert queries() == before


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def emit(self, record):
        self.count += 1
