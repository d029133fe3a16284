"""The school's programme register, the activity form, the matrix and the annual 台账 workbook."""
import io
import uuid
from datetime import date

from openpyxl import load_workbook

from webapp.clock import today
from webapp.demo.county import STAFF_PASSWORD, load_demo_county
from webapp.incidents.plan import steps_for
from webapp.models import Attachment, AuditEvent, ProgrammeActivity, ProgrammeStaff, Requirement, School, Training
from webapp.programme import compliance

from .programme_steps import lessons, log_activity, staff


def text_of(response):
    return response.get_data(as_text=True)


def test_a_head_teacher_logs_a_lesson_from_her_home_for_her_class(app, county, login_as):
    head1 = login_as("head1")
    home = text_of(head1.get("/"))
    assert 'id="log-lesson"' in home and "记录心理健康课" in home
    form = text_of(head1.get("/programme/activities/new?kind=lesson"))
    # Her class and today come filled in; the kinds are the class ones only.
    assert "4年级1班" in form or "4-1" in form
    assert "法治宣传教育活动" not in form and "心理健康课" in form
    assert 'value="2026-11-18"' in form
    response = log_activity(head1, school_class=county.classes.c41, topic="认识情绪")
    assert response.status_code == 302
    page = text_of(head1.get("/programme/activities"))
    assert "认识情绪" in page and "1 / 9 课时" in page
    with app.app_context():
        lesson = ProgrammeActivity.get()
        assert (lesson.school_id, lesson.school_class_id, lesson.kind) == (county.schools[0].id, county.classes.c41.id,
                                                                           "lesson")
        assert AuditEvent.get(AuditEvent.action == "log_programme_activity").object_id == lesson.id


def test_a_head_teacher_logs_only_for_her_own_classes_and_only_lessons(app, county, login_as):
    head1 = login_as("head1")
    response = log_activity(head1, school_class=county.classes.c42)  # head2's class
    assert response.status_code == 422 and "请选择您任教的班级" in text_of(response)
    response = log_activity(head1, kind="law", school_class=county.classes.c41)
    assert response.status_code == 422
    with app.app_context():
        assert ProgrammeActivity.select().count() == 0


def test_a_replayed_entry_is_stored_once(app, county, login_as):
    head1 = login_as("head1")
    head1.get("/programme/activities/new")
    data = {"kind": "lesson", "school_class": str(county.classes.c41.id), "day": "2026-11-18", "topic": "情绪",
            "client_uuid": str(uuid.uuid4())}
    assert head1.post("/programme/activities/new", data).status_code == 302
    assert head1.post("/programme/activities/new", data).status_code == 302
    with app.app_context():
        assert ProgrammeActivity.select().count() == 1


def test_the_counsellor_logs_school_activities_without_a_class(app, county, login_as):
    counsellor = login_as("counselor1")
    assert log_activity(counsellor, kind="law", topic="法治进校园").status_code == 302
    with app.app_context():
        activity = ProgrammeActivity.get()
        assert (activity.kind, activity.school_class_id, activity.school_id) == ("law", None, county.schools[0].id)


def test_the_principal_keeps_the_register(app, county, login_as):
    principal = login_as("principal1")
    school = county.schools[0]
    page = text_of(principal.get(f"/programme/school/{school.id}"))
    assert "尚未登记心理健康教育教师" in page and "未达标" in page
    assert principal.post(f"/programme/school/{school.id}/staff", {
        "staff-new-name": "刘老师", "staff-new-post": "full_time", "staff-new-qualification": "心理健康教育C证",
        "staff-new-user": str(county.users.counselor1.id)}).status_code == 302
    with app.app_context():
        member = ProgrammeStaff.get()
        assert (member.post, member.user_id, member.active) == ("full_time", county.users.counselor1.id, True)
    assert principal.post(f"/programme/staff/{member.id}/training", {
        f"training-{member.id}-title": "心理健康教育骨干教师培训", f"training-{member.id}-day": "2026-10-10",
        f"training-{member.id}-hours": "24", f"training-{member.id}-level": "city"}).status_code == 302
    assert principal.post(f"/programme/school/{school.id}/room", {
        "room-built": "y", "room-built_year": "2021", "room-standard": "y", "room-equipment": ["sand_tray", "books"],
    }).status_code == 302
    assert principal.post(f"/programme/school/{school.id}/plan", {
        "plan-approved_on": "2026-09-15", "plan-last_drill_on": "2026-10-20",
        "plan-steps": "报告校长\n心理老师到场\n通知家长"}).status_code == 302
    page = text_of(principal.get(f"/programme/school/{school.id}"))
    assert "刘老师" in page and "心理健康教育骨干教师培训" in page and "沙盘" in page and "通知家长" in page
    with app.app_context():
        assert Training.select().count() == 1
        # The critical-incident checklist now follows the school's own filed plan.
        assert steps_for(school.id) == ("school", ["报告校长", "心理老师到场", "通知家长"])
        assert steps_for(county.schools[1].id)[0] == "county"
        actions = {e.action for e in AuditEvent.select()}
    assert {"save_programme_staff", "add_training", "save_counselling_room", "save_emergency_plan"} <= actions
    # A room not built cannot be standard.
    response = principal.post(f"/programme/school/{school.id}/room", {"room-standard": "y"})
    assert response.status_code == 422 and "尚未建成的辅导室不能达标" in text_of(response)


def test_out_of_scope_users_get_404(app, county, login_as):
    school1, school2 = county.schools[0], county.schools[1]
    with app.app_context():
        other = staff(school2, "别校老师", "part_time")
    counsellor = login_as("counselor1")
    assert counsellor.get(f"/programme/school/{school2.id}").status_code == 404
    assert counsellor.get(f"/programme/school/{school2.id}/requirement/lesson").status_code == 404
    assert counsellor.post(f"/programme/school/{school2.id}/staff", {"staff-new-name": "x",
                                                                     "staff-new-post": "full_time"}).status_code == 404
    assert counsellor.post(f"/programme/staff/{other.id}", {f"staff-{other.id}-name": "x",
                                                            f"staff-{other.id}-post": "full_time"}).status_code == 404
    assert counsellor.post(f"/programme/staff/{other.id}/training", {}).status_code == 404
    assert counsellor.get(f"/programme/report.xlsx?school={school2.id}").status_code == 404
    zone1 = login_as("zone1")
    assert zone1.get(f"/programme/school/{school2.id}").status_code == 404
    assert zone1.get(f"/programme/matrix?zone={county.zones[1].id}").status_code == 404
    assert zone1.get(f"/programme/school/{school1.id}").status_code == 200
    # The zone reads; it does not edit.
    assert zone1.post(f"/programme/school/{school1.id}/plan", {"plan-approved_on": "2026-09-01"}).status_code == 404
    head1 = login_as("head1")
    assert head1.get(f"/programme/school/{school1.id}").status_code == 404
    assert login_as("worker1").get("/programme/activities/new").status_code == 404
    assert login_as("committee1").get("/programme/activities/new").status_code == 404
    with app.app_context():
        assert ProgrammeStaff.get_by_id(other.id).name == "别校老师"


def test_the_county_matrix_says_each_state_in_words_sorts_and_drills(app, county, login_as):
    with app.app_context():
        staff(county.schools[0], "刘老师", "full_time")
        lessons(county.schools[0], county.classes.c41, 2)
    county_user = login_as("county")
    # The county's page has a row per zone; its schools are on the zone's page and, when they
    # miss something, on the list of those (tests/test_matrix_zones.py).
    page = text_of(county_user.get(f"/programme/matrix?zone={county.zones[0].id}"))
    for school in (county.schools[0], county.schools[2]):
        assert school.name in page
    assert "✓ 已达标" in page.replace('<span aria-hidden="true">✓</span> ', "✓ ") or "已达标" in page
    assert "未达标" in page and "进行中" in page
    assert f"/programme/school/{county.schools[0].id}/requirement/full_time" in page
    # Sorted by the 专职 column, the schools missing it come first.
    page = text_of(county_user.get("/programme/matrix/missing?sort=full_time&order=desc"))
    body = page.split('id="matrix"')[1].split("<tbody>")[1]
    assert body.index(county.schools[0].name) > body.index(county.schools[1].name)
    assert 'aria-sort="descending"' in page
    drill = text_of(county_user.get(f"/programme/school/{county.schools[0].id}/requirement/lesson"))
    assert "第1课" in drill and "第2课" in drill and "每班每学期 ≥ 9" in drill
    # Eleven weeks into the term, two lessons are behind the pace of one every two weeks (四、9).
    assert "进度落后：应至少 5 节，已上 2 节 (2/9)" in drill
    zone_page = text_of(login_as("zone1").get("/programme/matrix"))
    assert county.schools[0].name in zone_page and county.schools[1].name not in zone_page


def test_the_plan_section_is_cited_in_english_and_bare_in_chinese(app, county, login_as):
    """The matrix's columns carry the plan's section: a Chinese page shows 四、3 under its heading
    as before; an English page cites it as its other pages do (《实施方案》四、3), not as a bare
    Chinese number. A county user who types the cited form of a new requirement's section (the
    English example shows it) does not get the citation twice."""
    county_user = login_as("county")
    zh = text_of(county_user.get("/programme/matrix"))
    assert '<small class="muted">四、3</small>' in zh
    county_user.post("/profile", {"locale": "en"})
    en = text_of(county_user.get("/programme/matrix"))
    assert '<small class="muted">《实施方案》四、3</small>' in en
    assert '<small class="muted">四、' not in en
    assert 'placeholder="《实施方案》四、9"' in text_of(county_user.get("/programme/requirements"))
    response = county_user.post("/programme/requirements", {
        "form": "new", "new-kind": "open_lesson", "new-per": "school", "new-period": "year",
        "new-count": "2", "new-section": "《实施方案》四、7"})
    assert response.status_code == 302
    with app.app_context():
        assert Requirement.get(Requirement.key == "open_lesson_school_year").section == "四、7"


def test_the_matrix_workbook_has_a_row_per_school(app, county, login_as):
    response = login_as("county").get("/programme/matrix.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(county.schools)
    assert rows[0][2].startswith("四、3")


def test_the_annual_report_has_a_sheet_per_requirement_matching_the_records(app, county, login_as):
    school = county.schools[0]
    with app.app_context():
        lessons(school, county.classes.c41, 3)
        lessons(school, None, 1, kind="law")
        lessons(county.schools[1], county.classes.s2c41, 2)  # another school's: not in school 1's report
        staff(school, "刘老师", "full_time")
        staff(school, "何老师", "part_time", trained_on=date(2025, 3, 1))
    response = login_as("principal1").get("/programme/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 1 + 13
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][0] == "年度心理健康教育工作台账" and summary[0][1] == "2026–2027"
    assert [row[0] for row in summary[2:]] == [school.name]
    lesson_sheet = next(book[name] for name in book.sheetnames if name.startswith("四、9 每班"))
    lesson_rows = list(lesson_sheet.iter_rows(values_only=True))[2:]
    assert sorted(row[5] for row in lesson_rows) == ["第1课", "第2课", "第3课"]
    assert {row[4] for row in lesson_rows} == {"4-1"}
    law_rows = list(book[next(n for n in book.sheetnames if n.startswith("四、10"))].iter_rows(values_only=True))[2:]
    assert len(law_rows) == 1 and law_rows[0][3] == "法治宣传教育活动"
    full_time = list(book[next(n for n in book.sheetnames if n.startswith("四、5"))].iter_rows(values_only=True))[2:]
    assert [row[2] for row in full_time] == ["刘老师"]
    trained = list(book[next(n for n in book.sheetnames if n.startswith("四、6 兼职"))].iter_rows(values_only=True))[2:]
    assert [row[2] for row in trained] == ["何老师"] and trained[0][6] == "2025-03-01"
    # The county's workbook has every school; a school without records still has its row.
    county_book = load_workbook(io.BytesIO(login_as("county").get("/programme/report.xlsx").data))
    summary = list(county_book["汇总"].iter_rows(values_only=True))
    assert sorted(row[0] for row in summary[2:]) == sorted(s.name for s in county.schools)
    with app.app_context():
        assert AuditEvent.select().where(AuditEvent.action == "export_programme_report").count() == 2


def test_the_demo_shows_four_schools_at_different_stages(app, browser):
    with app.app_context():
        load_demo_county()
        schools = list(School.select().order_by(School.id).limit(4))
        found = compliance.evaluate([s.id for s in schools], today())
        missed = [compliance.summary(found.cells[s.id])["missed"] for s in schools]
        first, third = found.cells[schools[0].id], found.cells[schools[2].id]
        # School 1 nearly compliant: nothing missed, its staff, room and plan met.
        assert missed[0] == 0
        assert {first[k].state for k in ("full_time", "room", "plan", "expert_lecture")} == {"met"}
        # School 3 has no 专职 teacher (a 兼职 only), no room and no plan; it misses the most.
        assert third["full_time"] == compliance.Cell("missed", 0, 1)
        assert third["room"].why == "none" and third["plan"].why == "none"
        assert missed[2] == max(missed) and len(set(missed)) > 2
        assert ProgrammeActivity.select().where(ProgrammeActivity.school == schools[0].id).count() > 5
        # School 1's own filed plan is the one its critical incidents follow.
        assert steps_for(schools[0].id)[0] == "school"
    browser.login("county", STAFF_PASSWORD)
    assert all(s.name in text_of(browser.get(f"/programme/matrix?zone={s.zone_id}")) for s in schools)


def test_the_plan_document_and_a_certificate_are_attached_and_listed_on_the_register(app, county, login_as):
    from .test_attachments import PDF, png, upload
    school = county.schools[0]
    principal = login_as("principal1")
    register_url = f"/programme/school/{school.id}"
    assert "先登记应急预案" in text_of(principal.get(register_url))  # no plan yet: nothing to attach to
    assert principal.post(f"{register_url}/plan", {"plan-approved_on": "2026-09-01"}).status_code == 302
    with app.app_context():
        member = staff(school, "何老师", "part_time", trained_on=date(2026, 10, 1))
        training = Training.get(Training.staff == member.id)
    page = text_of(principal.get(register_url))
    assert f'action="/attachments/plan/{school.id}"' in page
    # The certificate's upload is in her fold, drawn when it opens.
    assert f'action="/attachments/training/{training.id}"' not in page and f"?fold=staff-{member.id}" in page
    fold = text_of(principal.get(f"{register_url}?fold=staff-{member.id}"))
    assert f'action="/attachments/training/{training.id}"' in fold
    response = upload(principal, f"/attachments/plan/{school.id}", PDF, "plan.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{register_url}#plan")
    assert upload(principal, f"/attachments/training/{training.id}", png(), "cert.png").status_code == 302
    with app.app_context():
        plan_file = Attachment.get(Attachment.owner_kind == "emergency_plan")
        certificate = Attachment.get(Attachment.owner_kind == "training")
        assert certificate.owner_id == training.id
    # Listed on the register, for the school and for the zone that reads it (no upload form there).
    for reader in (principal, login_as("zone1")):
        page = text_of(reader.get(register_url))
        plan_part = page.split('id="plan"')[1]
        staff_part = page.split('id="staff"')[1].split('id="room"')[0]
        assert f'href="/attachments/{plan_file.id}"' in plan_part
        assert f'href="/attachments/{certificate.id}"' in staff_part
    assert "/attachments/plan/" not in text_of(login_as("zone1").get(register_url))
    assert login_as("zone1").get(f"/attachments/{certificate.id}").status_code == 200


def _logged(app, author_name):
    with app.app_context():
        return ProgrammeActivity.get(ProgrammeActivity.topic == author_name)


def test_a_wrongly_logged_activity_is_deleted_by_its_author_or_the_schools_editors(app, county, login_as):
    head1 = login_as("head1")
    for topic in ("记错了", "校长删", "心理老师删", "留着"):
        assert log_activity(head1, school_class=county.classes.c41, topic=topic).status_code == 302
    wrong = _logged(app, "记错了")
    page = text_of(head1.get("/programme/activities"))
    assert f'action="/programme/activities/{wrong.id}/delete"' in page
    response = head1.post(f"/programme/activities/{wrong.id}/delete")
    assert response.status_code == 302
    page = text_of(head1.get("/programme/activities"))
    assert "记错了" not in page and "3 / 9 课时" in page
    # The school's principal and psychology teacher delete a lesson a head teacher logged.
    principal_case, counsellor_case = _logged(app, "校长删"), _logged(app, "心理老师删")
    principal = login_as("principal1")
    assert f"/programme/activities/{principal_case.id}/delete" in text_of(principal.get(
        f"/programme/school/{county.schools[0].id}"))
    assert principal.post(f"/programme/activities/{principal_case.id}/delete").status_code == 302
    assert login_as("counselor1").post(f"/programme/activities/{counsellor_case.id}/delete").status_code == 302
    with app.app_context():
        assert [a.topic for a in ProgrammeActivity.select()] == ["留着"]
        events = list(AuditEvent.select().where(AuditEvent.action == "delete_programme_activity")
                      .order_by(AuditEvent.id))
        assert [e.object_id for e in events] == [wrong.id, principal_case.id, counsellor_case.id]
        assert [e.username for e in events] == ["head1", "principal1", "counselor1"]
        assert "记错了" not in (events[0].detail or "")


def test_deleting_an_activity_needs_csrf_and_scope(app, county, login_as):
    head1 = login_as("head1")
    assert log_activity(head1, school_class=county.classes.c41, topic="留着").status_code == 302
    kept = _logged(app, "留着")
    # Another head teacher of the school, another school's editors, the zone: 404.
    for name in ("head2", "principal2", "counselor2", "zone1"):
        assert login_as(name).post(f"/programme/activities/{kept.id}/delete").status_code == 404, name
    assert login_as("principal1").post("/programme/activities/999999/delete").status_code == 404
    # Without the CSRF token the author is refused too.
    assert head1.post(f"/programme/activities/{kept.id}/delete", csrf=False).status_code == 400
    with app.app_context():
        assert ProgrammeActivity.select().count() == 1


def test_the_registers_editing_forms_come_with_their_fold(app, county, login_as):
    """The register carries no editing form closed: each fold links to itself (?fold=), htmx asks
    for that fold alone when it opens, and without script the link opens the page with the fold
    open. A refused post opens its fold with the typing kept. A reader who may not edit, or a
    fold of another school's teacher, gets no form."""
    school, other = county.schools[0], county.schools[1]
    with app.app_context():
        member = staff(school, "何老师", "part_time", trained_on=date(2026, 10, 1))
        stranger = staff(other, "外校老师", "full_time")
    principal = login_as("principal1")
    register_url = f"/programme/school/{school.id}"
    page = text_of(principal.get(register_url))
    assert "<form" not in page.split('id="staff"')[1].split('id="activities"')[0].replace(
        'action="/attachments/plan/', "")  # only the plan's upload (outside the folds) is a form there
    for fold in (f"staff-{member.id}", "staff-new", "room", "plan"):
        assert f'hx-get="{register_url}?fold={fold}"' in page, fold
    fragment = text_of(principal.get(f"{register_url}?fold=room", headers={"HX-Request": "true"}))
    assert "<html" not in fragment and f'action="{register_url}/room"' in fragment
    whole = text_of(principal.get(f"{register_url}?fold=staff-{member.id}"))
    assert f'<details id="fold-staff-{member.id}" open>' in whole and 'value="何老师"' in whole
    assert f'action="/programme/staff/{member.id}"' in whole and 'id="fold-room" open' not in whole
    refused = principal.post(f"{register_url}/room", {"room-standard": "y", "room-built_year": "2019"})
    assert refused.status_code == 422 and '<details id="fold-room" open>' in text_of(refused)
    assert 'value="2019"' in text_of(refused)
    assert "<form" not in text_of(principal.get(f"{register_url}?fold=staff-{stranger.id}")).split(
        'id="staff"')[1].split('id="room"')[0]
    zone_page = text_of(login_as("zone1").get(f"{register_url}?fold=room", headers={"HX-Request": "true"}))
    assert f'action="{register_url}/room"' not in zone_page and "<form" not in zone_page.split('id="room"')[1]


def test_a_new_requirement_takes_its_pace_on_the_form_that_adds_it(app, county, login_as):
    """The county adds a requirement with its pace at once (it had to edit the new line after);
    a pace that is not a number of days is refused with the typing back, and nothing is added."""
    county_user = login_as("county")
    assert 'name="new-pace_days"' in text_of(county_user.get("/programme/requirements"))
    new = {"form": "new", "new-kind": "expert_lecture", "new-per": "school", "new-period": "term",
           "new-count": "4", "new-section": "四、9"}
    added_one = (Requirement.kind == "expert_lecture") & (Requirement.per == "school") & (Requirement.period == "term")
    refused = county_user.post("/programme/requirements", {**new, "new-pace_days": "两周"})
    assert refused.status_code == 422 and 'value="两周"' in text_of(refused) and "天数" in text_of(refused)
    with app.app_context():
        assert not Requirement.select().where(added_one).exists()
    assert county_user.post("/programme/requirements", {**new, "new-pace_days": "21"}).status_code == 302
    with app.app_context():
        added = Requirement.get(added_one)
        assert (added.count, added.pace_days) == (4, 21)
    assert "每 21 天至少一次" in text_of(county_user.get("/programme/requirements"))
