"""Inspections (督导) with 整改 (issue 19): recorded by the county or a zone user in her zone, the
checklist prefilled from the computed compliance, each finding an item owned at the school,
reported done, accepted or sent back; overdue items on both home pages and the dashboard."""
import io
import re

from PIL import Image
from werkzeug.datastructures import FileStorage

from webapp.models import Attachment, AuditEvent, Inspection, InspectionCheck, Notification, Rectification

from .inspection_steps import inspection_id_from, last_inspection_and_item, record_inspection


def _text(response):
    return response.get_data(as_text=True)


def _section(html, section_id):
    match = re.search(rf'id="{section_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_a_zone_user_cannot_inspect_a_school_of_another_zone(app, county, login_as):
    zone1 = login_as("zone1")
    other = county.schools[1].id  # zone 2's school
    assert zone1.get(f"/inspections/new?school={other}").status_code == 404
    response = zone1.post(f"/inspections/new?school={other}", {"day": "2026-11-18"})
    assert response.status_code == 404
    with app.app_context():
        assert Inspection.select().count() == 0
    # Her own zone's schools she inspects; the county any.
    assert zone1.get(f"/inspections/new?school={county.schools[2].id}").status_code == 200
    assert login_as("county").get(f"/inspections/new?school={other}").status_code == 200
    # The school's own staff read their inspections but do not record one.
    assert login_as("principal1").get(f"/inspections/new?school={county.schools[0].id}").status_code == 404


def test_the_checklist_starts_from_the_computed_compliance(app, county, login_as):
    zone1 = login_as("zone1")
    page = _text(zone1.get(f"/inspections/new?school={county.schools[0].id}"))
    # School 1 has no 专职 psychology teacher on its register: the line starts as not met.
    assert re.search(r'name="check-full_time" value="not_met" checked', page)
    response = record_inspection(zone1, county.schools[0].id, county.users.principal1.id, check_full_time="not_met")
    assert response.status_code == 302
    with app.app_context():
        inspection, item = last_inspection_and_item()
        line = InspectionCheck.get((InspectionCheck.inspection == inspection.id)
                                   & (InspectionCheck.requirement == "full_time"))
        assert (line.computed, line.verdict) == ("missed", "not_met")
        assert item.owner_id == county.users.principal1.id and str(item.due_on) == "2026-11-25"


def test_the_rectification_lifecycle_reported_sent_back_and_accepted(app, county, login_as):
    zone1, principal1, counselor1 = login_as("zone1"), login_as("principal1"), login_as("counselor1")
    inspection_id = inspection_id_from(record_inspection(zone1, county.schools[0].id, county.users.principal1.id))
    with app.app_context():
        _inspection, item = last_inspection_and_item()
        note = Notification.get(Notification.user == county.users.principal1.id)
        assert (note.kind, note.rectification_id) == ("rectification_assigned", item.id)
    # The owner's message leads to the item; her home lists it.
    assert principal1.get(f"/inspections/items/{item.id}").headers["Location"].endswith(
        f"/inspections/{inspection_id}#item-{item.id}")
    assert "心理辅导室未按时开放" in _section(_text(principal1.get("/")), "rectifications")
    # Nothing to accept before the school reports.
    assert zone1.post(f"/inspections/items/{item.id}/accept").status_code == 409
    # A report needs words; the counsellor of the school may report it too.
    assert counselor1.post(f"/inspections/items/{item.id}/report", {"note": ""}).status_code == 422
    assert counselor1.post(f"/inspections/items/{item.id}/report", {"note": "已排定每日开放时间"}).status_code == 302
    assert "心理辅导室未按时开放" in _section(_text(zone1.get("/")), "rectifications-to-accept")
    assert counselor1.post(f"/inspections/items/{item.id}/report", {"note": "again"}).status_code == 409
    # Sent back: open again, the owner told again.
    assert zone1.post(f"/inspections/items/{item.id}/return", {"note": "请附开放时间表"}).status_code == 302
    with app.app_context():
        item = Rectification.get_by_id(item.id)
        assert (item.status, item.returned_count, item.return_note) == ("open", 1, "请附开放时间表")
        assert Notification.select().where((Notification.user == county.users.principal1.id)
                                           & (Notification.kind == "rectification_returned")).count() == 1
    assert principal1.post(f"/inspections/items/{item.id}/report", {"note": "开放时间表已张贴"}).status_code == 302
    assert zone1.post(f"/inspections/items/{item.id}/accept").status_code == 302
    page = _text(principal1.get(f"/inspections/{inspection_id}"))
    assert "已验收" in page and "开放时间表已张贴" in page
    with app.app_context():
        assert Rectification.get_by_id(item.id).status == "accepted"
        actions = [e.action for e in AuditEvent.select().where(AuditEvent.object_type.in_(
            ("Inspection", "Rectification"))).order_by(AuditEvent.id)]
    assert actions[:2] == ["record_inspection", "add_rectification"]
    for action in ("report_rectification", "return_rectification", "accept_rectification", "read_inspection"):
        assert action in actions


def test_other_schools_and_zones_neither_read_nor_work_the_items(app, county, login_as):
    zone1 = login_as("zone1")
    inspection_id = inspection_id_from(record_inspection(zone1, county.schools[0].id, county.users.principal1.id))
    with app.app_context():
        _inspection, item = last_inspection_and_item()
    for username in ("principal2", "counselor2"):
        other = login_as(username)
        assert other.get(f"/inspections/{inspection_id}").status_code == 404
        assert other.post(f"/inspections/items/{item.id}/report", {"note": "x"}).status_code == 404
    zone2 = login_as("zone2")
    assert zone2.get(f"/inspections/{inspection_id}").status_code == 404
    login_as("counselor1").post(f"/inspections/items/{item.id}/report", {"note": "done"})
    assert zone2.post(f"/inspections/items/{item.id}/accept").status_code == 404
    with app.app_context():
        assert Rectification.get_by_id(item.id).status == "reported"


def _dashboard_overdue(browser):
    section = _section(_text(browser.get("/dashboard/")), "rectifications")
    match = re.search(r"<dd>(\d+)</dd>", section)
    return int(match.group(1)) if match else None


def test_an_item_not_reported_by_its_deadline_is_overdue_on_both_homes_and_the_dashboard(app, county, clock,
                                                                                          login_as):
    zone1 = login_as("zone1")
    record_inspection(zone1, county.schools[0].id, county.users.principal1.id, due_on="2026-11-20")
    principal1, county_user = login_as("principal1"), login_as("county")
    assert "已超期" not in _section(_text(principal1.get("/")), "rectifications")
    assert _dashboard_overdue(county_user) == 0
    clock.advance(days=3)  # 2026-11-21 in the county: the deadline has passed
    principal1, county_user, zone1 = login_as("principal1"), login_as("county"), login_as("zone1")
    assert "已超期" in _section(_text(principal1.get("/")), "rectifications")
    assert "已超期" in _section(_text(login_as("counselor1").get("/")), "rectifications")
    assert "渠县第一小学" in _section(_text(zone1.get("/")), "rectifications-overdue")
    assert "渠县第一小学" in _section(_text(county_user.get("/")), "rectifications-overdue")
    assert _dashboard_overdue(county_user) == 1
    # Zone 2 sees nothing of zone 1's items.
    assert 'id="rectifications-overdue"' not in _text(login_as("zone2").get("/"))
    # Reported (late): no longer the school's delay, now the inspector's to accept.
    with app.app_context():
        _inspection, item = last_inspection_and_item()
    principal1.post(f"/inspections/items/{item.id}/report", {"note": "已整改"})
    assert _dashboard_overdue(county_user) == 0
    with app.app_context():
        event = AuditEvent.get(AuditEvent.action == "report_rectification")
        assert '"late": true' in event.detail


def test_a_finding_needs_an_owner_at_the_school_and_a_deadline_ahead(app, county, login_as):
    zone1 = login_as("zone1")
    school = county.schools[0].id
    # Another school's principal is not an owner here; a past deadline is refused.
    response = record_inspection(zone1, school, county.users.principal2.id)
    assert response.status_code == 422 and "请选择学校的校长或心理教师" in _text(response)
    response = record_inspection(zone1, school, county.users.principal1.id, due_on="2026-11-01")
    assert response.status_code == 422 and "整改期限不能早于今天" in _text(response)
    with app.app_context():
        assert Inspection.select().count() == 0
    # Without a finding the inspection stands alone; findings can be added on its page.
    inspection_id = inspection_id_from(record_inspection(zone1, school))
    response = zone1.post(f"/inspections/{inspection_id}/findings",
                          {"finding": "台账不全", "owner": str(county.users.counselor1.id), "due_on": "2026-12-01"})
    assert response.status_code == 302
    with app.app_context():
        assert Rectification.get(Rectification.inspection == inspection_id).owner_id == county.users.counselor1.id
        assert Notification.get(Notification.user == county.users.counselor1.id).kind == "rectification_assigned"


def test_a_second_report_of_the_same_item_changes_nothing_and_is_not_logged(app, county, login_as):
    """Two reports racing (both read the item while it was open): the first is the report; the
    second neither rewrites its note nor leaves a second report in the audit log."""
    from webapp.inspections import service
    from webapp.models import User

    record_inspection(login_as("zone1"), county.schools[0].id, county.users.principal1.id)
    with app.app_context():
        _inspection, item = last_inspection_and_item()
        principal = User.get_by_id(county.users.principal1.id)
        service.report_done(item, principal, "已按时开放")
        service.report_done(item, principal, "第二次")  # the same item as read while open
        assert Rectification.get_by_id(item.id).report_note == "已按时开放"
        reports = AuditEvent.select().where((AuditEvent.action == "report_rectification")
                                            & (AuditEvent.object_id == item.id))
        assert reports.count() == 1


def _png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "PNG")
    return out.getvalue()


def test_a_second_report_racing_the_first_keeps_no_evidence(app, county, login_as):
    """Both reports read the item while it was open: the first keeps its file, the second none."""
    from webapp.attachments import files
    from webapp.inspections import service
    from webapp.models import User

    record_inspection(login_as("zone1"), county.schools[0].id, county.users.principal1.id)
    with app.app_context():
        _inspection, item = last_inspection_and_item()
        principal = User.get_by_id(county.users.principal1.id)
        for note in ("已按时开放", "第二次"):
            evidence = files.prepare(FileStorage(io.BytesIO(_png()), "photo.png"))
            service.report_done(item, principal, note, evidence)
        kept = Attachment.select().where((Attachment.owner_kind == "rectification") & (Attachment.owner_id == item.id))
        assert kept.count() == 1
        assert AuditEvent.select().where(AuditEvent.action == "attach_file").count() == 1


def test_the_school_user_whose_report_lost_the_race_is_told_and_her_file_not_kept(app, county, login_as,
                                                                                    monkeypatch):
    from webapp.access import can
    from webapp.inspections import views

    record_inspection(login_as("zone1"), county.schools[0].id, county.users.principal1.id)
    with app.app_context():
        inspection, item = last_inspection_and_item()
    principal1, counselor1 = login_as("principal1"), login_as("counselor1")
    for browser in (principal1, counselor1):
        browser.get(f"/inspections/{inspection.id}")
    # Both pages were read while the item was open: the counsellor's report finds it open too.
    monkeypatch.setattr(views, "can", lambda user, action, obj=None: action == "report_rectification"
                        or can(user, action, obj))
    def report(browser, note, name):
        return browser.post(f"/inspections/items/{item.id}/report", {"note": note, "file": (io.BytesIO(_png()), name)},
                            content_type="multipart/form-data")

    assert report(principal1, "已整改", "a.png").status_code == 302
    second = report(counselor1, "也整改了", "b.png")
    assert second.status_code == 409 and "这项整改目前不需要学校报告" in _text(second)
    with app.app_context():
        assert Rectification.get_by_id(item.id).report_note == "已整改"
        kept = Attachment.select().where((Attachment.owner_kind == "rectification") & (Attachment.owner_id == item.id))
        assert [a.uploaded_by_id for a in kept] == [county.users.principal1.id]
