"""A head teacher keeps her own class's psychology committee through the principal's roster pages
(access "manage_class"): she appoints a boy and a girl, resets a PIN (audited) and sees the gaps.
Other classes, and anything else in the admin area, stay closed to her."""
import pytest

from webapp.models import AuditEvent, User

from .county import PIN
from .peer_steps import text


def test_a_head_teacher_appoints_committee_members_of_her_own_class(county, login_as, browser):
    c42 = county.classes.c42
    head = login_as("head2")
    page = text(head.get(f"/admin/classes/{c42.id}"))
    assert "王五" in page and "赵六" in page
    assert f"/admin/classes/{c42.id}/edit" not in page  # the class itself stays the principal's
    assert f"/admin/classes/{c42.id}/committee/new" in page
    response = head.post(f"/admin/classes/{c42.id}/committee/new", {
        "child": county.kids.zhao_liu.id, "username": "zhaoliu", "pin": "246810",
    })
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/classes/{c42.id}"
    member = User.get(User.username == "zhaoliu")
    assert (member.role, member.child_id, member.school_id) == ("committee", county.kids.zhao_liu.id, c42.school_id)
    assert AuditEvent.get(AuditEvent.action == "admin_add_committee").username == "head2"
    assert browser.login("zhaoliu", "246810").status_code == 302
    # The roster rule still holds for her: one girl per class.
    head.get(f"/admin/classes/{c42.id}/committee/new")
    refused = head.post(f"/admin/classes/{c42.id}/committee/new", {
        "child": county.kids.zhao_liu.id, "username": "zhaoliu2", "pin": "246810"})
    assert not User.select().where(User.username == "zhaoliu2").exists()
    assert refused.status_code == 200


def test_the_head_teachers_home_shows_the_committee_gap_and_leads_to_her_class(county, login_as):
    home = text(login_as("head2").get("/"))
    assert f'href="/admin/classes/{county.classes.c42.id}"' in home
    assert "缺心理委员:男、女" in home  # 4-2 has neither a boy nor a girl member yet


def test_a_head_teacher_resets_her_pupils_pin_and_it_is_audited(county, login_as, browser):
    target = county.users.committee1
    head = login_as("head1")
    head.get(f"/admin/users/{target.id}/secret")
    response = head.post(f"/admin/users/{target.id}/secret", {"secret": "864200", "confirm": "864200"})
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/classes/{county.classes.c41.id}"
    event = AuditEvent.get(AuditEvent.action == "reset_secret")
    assert (event.object_id, event.username) == (target.id, "head1")
    assert browser.login("committee1", PIN).status_code == 200
    assert browser.login("committee1", "864200").status_code == 302


def test_a_head_teacher_removes_a_member_of_her_class(county, login_as):
    head = login_as("head1")
    head.get(f"/admin/classes/{county.classes.c41.id}")
    assert head.post(f"/admin/users/{county.users.committee2.id}/remove-committee").status_code == 302
    assert not User.get_by_id(county.users.committee2.id).active


@pytest.mark.parametrize("request_", [
    ("get", "/admin/classes/{c41}"), ("get", "/admin/classes/{c41}/committee/new"),
    ("post", "/admin/classes/{c41}/committee/new"), ("get", "/admin/users/{committee1}/secret"),
    ("post", "/admin/users/{committee1}/secret"), ("post", "/admin/users/{committee1}/remove-committee"),
    ("get", "/admin/users/{head1}/secret"), ("get", "/admin/classes/{c42}/edit"), ("get", "/admin/"),
    ("get", "/admin/users/{committee1}"),
])
def test_another_classs_committee_and_the_rest_of_admin_stay_closed_to_her(county, login_as, request_):
    method, url = request_
    url = url.format(c41=county.classes.c41.id, c42=county.classes.c42.id, committee1=county.users.committee1.id,
                     head1=county.users.head1.id)
    head = login_as("head2")
    head.get("/help")
    data = {"child": county.kids.li_si.id, "username": "x1", "pin": "246810", "secret": "864200",
            "confirm": "864200"}
    response = head.get(url) if method == "get" else head.post(url, data)
    assert response.status_code == 404
    assert User.get_by_id(county.users.committee1.id).active
    assert not AuditEvent.select().where(AuditEvent.action.in_(("reset_secret", "admin_add_committee"))).exists()


def test_committee_members_never_reach_the_roster(county, login_as):
    pupil = login_as("committee1")
    assert pupil.get(f"/admin/classes/{county.classes.c41.id}").status_code == 404
    assert pupil.get(f"/admin/users/{county.users.committee2.id}/secret").status_code == 404
