"""The county searches the audit log; nobody can change it; everyone else gets 404."""
import io

import pytest
from openpyxl import load_workbook

from webapp.models import AuditEvent

from .safeguarding_steps import raise_concern


def test_the_county_finds_who_opened_a_child_and_when(county, login_as):
    login_as("head1").get(f"/children/{county.kids.zhang_san.id}")
    login_as("counselor1").get(f"/children/{county.kids.li_si.id}")
    page = login_as("county").get(f"/audit/?child={county.kids.zhang_san.id}").get_data(as_text=True)
    assert "read_child" in page and "head1" in page and "counselor1" not in page
    by_user = login_as("county").get("/audit/?username=counselor1&action=read_child").get_data(as_text=True)
    assert "counselor1" in by_user and "head1" not in by_user.split("<tbody>")[1]


def test_logins_failed_logins_writes_and_reads_all_appear(county, login_as, browser):
    browser.login("head1", "wrong-password")
    raise_concern(login_as("head1"), county.kids.zhang_san)
    login_as("counselor1").get("/concerns/1")
    actions = {e.action for e in AuditEvent.select()}
    assert {"login_failed", "login", "create_concern", "read_concern"} <= actions
    page = login_as("county").get("/audit/").get_data(as_text=True)
    for action in ("login_failed", "create_concern", "read_concern"):
        assert action in page


def test_dates_filter_by_the_county_day(county, login_as, clock):
    login_as("head1")
    clock.advance(days=3)
    login_as("head2")
    page = login_as("county").get("/audit/?since=2026-11-20").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert "head2" in body and "head1" not in body


def test_the_export_is_a_workbook_and_is_itself_audited(county, login_as):
    login_as("head1").get(f"/children/{county.kids.zhang_san.id}")
    response = login_as("county").get("/audit/export.xlsx?action=read_child")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "用户", "操作")
    assert [row[2] for row in rows[1:]] == ["read_child"]
    assert AuditEvent.select().where(AuditEvent.action == "export_audit").count() == 1


def test_audit_events_cannot_be_changed_or_deleted_through_the_app(county, login_as):
    login_as("head1")
    event = AuditEvent.get()
    event.action = "nothing_happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete_instance()
    assert AuditEvent.get().action == "login"


@pytest.mark.parametrize("username", ["zone1", "counselor1", "principal1", "head1", "worker1", "committee1"])
def test_only_the_county_opens_the_audit_log(county, login_as, username):
    user = login_as(username)
    assert user.get("/audit/").status_code == 404
    assert user.get("/audit/export.xlsx").status_code == 404
