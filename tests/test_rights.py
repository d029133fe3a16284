"""A child's data rights: the county exports everything about her, and erases it on a verified,
twice-confirmed request; the audit log keeps that it happened, without her name."""
import io

import pytest
from openpyxl import load_workbook

from webapp.models import AuditEvent, Case, CaseNote, Child, Concern, Notification, User

from .safeguarding_steps import open_case, raise_concern


@pytest.fixture
def zhang_san_with_a_case(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san)
    counselor = login_as("counselor1")
    case_id = open_case(counselor, Concern.get().id, county.users.counselor1, members=[county.users.head1])
    counselor.get(f"/cases/{case_id}")
    counselor.post(f"/cases/{case_id}/notes", {"text": "谈心记录", "contacted_on": "2026-11-18",
                                              "client_uuid": "8a1b2c3d-0000-4000-8000-000000000001"})
    return county.kids.zhang_san


def test_the_county_exports_everything_about_one_child(zhang_san_with_a_case, login_as):
    child = zhang_san_with_a_case
    response = login_as("county").get(f"/children/{child.id}/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert {"child", "concern", "case", "case_note", "case_member", "user"} <= set(workbook.sheetnames)
    child_rows = list(workbook["child"].iter_rows(values_only=True))
    assert "张三" in child_rows[1]
    notes = [row for row in workbook["case_note"].iter_rows(values_only=True)]
    assert any("谈心记录" in (cell or "") for row in notes for cell in row if isinstance(cell, str))
    account = list(workbook["user"].iter_rows(values_only=True))
    assert "password_hash" not in account[0]  # her committee account, without its secret
    assert AuditEvent.select().where(AuditEvent.action == "export_child").count() == 1


def test_erasure_takes_two_steps_and_the_name_typed_right(zhang_san_with_a_case, login_as):
    child = zhang_san_with_a_case
    county_user = login_as("county")
    url = f"/children/{child.id}/erase"
    step1 = county_user.get(url).get_data(as_text=True)
    assert "张三" in step1
    step2 = county_user.post(url, {"reason": "guardian_request", "verified_how": "in_person_id"})
    assert step2.status_code == 200 and 'name="confirm_name"' in step2.get_data(as_text=True)
    assert Child.select().where(Child.id == child.id).exists()  # nothing yet
    wrong = county_user.post(url, {"reason": "guardian_request", "verified_how": "in_person_id",
                                   "confirm_name": "李四"})
    assert wrong.status_code == 422 and Child.select().where(Child.id == child.id).exists()

    done = county_user.post(url, {"reason": "guardian_request", "verified_how": "in_person_id",
                                  "confirm_name": "张三"})
    assert done.status_code == 302
    assert not Child.select().where(Child.id == child.id).exists()
    assert Concern.select().count() == 0 and Case.select().count() == 0 and CaseNote.select().count() == 0
    assert Notification.select().count() == 0
    assert not User.select().where(User.username == "committee1").exists()  # her pupil account
    assert User.select().where(User.username == "head1").exists()  # nobody else's
    assert Child.select().count() == 8
    event = AuditEvent.get(AuditEvent.action == "erase_child")
    assert event.child_id == child.id and "guardian_request" in event.detail and "张三" not in event.detail
    assert "张三" not in "".join(e.detail for e in AuditEvent.select())


@pytest.mark.parametrize("username", ["zone1", "counselor1", "principal1", "head1", "worker1"])
def test_only_the_county_exports_or_erases(county, login_as, username):
    user = login_as(username)
    child_id = county.kids.zhang_san.id
    assert user.get(f"/children/{child_id}/export.xlsx").status_code == 404
    assert user.get(f"/children/{child_id}/erase").status_code == 404
    assert user.post(f"/children/{child_id}/erase", {"reason": "guardian_request", "verified_how": "in_person_id",
                                                      "confirm_name": "张三"}).status_code == 404
    assert Child.select().where(Child.id == child_id).exists()
