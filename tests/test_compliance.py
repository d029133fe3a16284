"""Compliance computed from the records, at each requirement's boundaries (《实施方案》四、3–四、17)."""
from datetime import date

from webapp.models import CounsellingRoom, EmergencyPlan, ProgrammeStaff, School
from webapp.programme import compliance

from .county import make_user
from .programme_steps import lessons, staff
from .test_query_counts import counting_queries

TERM_DAY = date(2026, 11, 18)  # the test clock's day, autumn term 2026 (1 Sep – 31 Jan)
AFTER_TERM = date(2027, 2, 1)
LAST_WEEKS = date(2027, 1, 10)  # three weeks before the term ends


def cells(app, school, day, as_of=None):
    with app.app_context():
        return compliance.evaluate([school.id], day, as_of=as_of).cells[school.id]


def per_class(app, school, day, as_of=None):
    with app.app_context():
        return compliance.evaluate([school.id], day, as_of=as_of).per_class


def test_nine_lessons_in_a_term_meet_it_and_eight_miss_it(app, county):
    school, c = county.schools[0], county.classes
    with app.app_context():
        lessons(school, c.c41, 9)
        lessons(school, c.c42, 8)
        lessons(school, c.c31, 9)
    # The term over: 4-2's eight lessons missed it; the school's cell says so (2 of 3 classes).
    after = per_class(app, school, AFTER_TERM, as_of=TERM_DAY)
    assert after[(c.c41.id, "lesson")].state == "met"
    assert after[(c.c42.id, "lesson")] == compliance.Cell("missed", 8, 9)
    cell = cells(app, school, AFTER_TERM, as_of=TERM_DAY)["lesson"]
    assert (cell.state, cell.found, cell.required) == ("missed", 2, 3)
    # Still within the term: due soon in its last 30 days, in progress before.
    assert per_class(app, school, LAST_WEEKS)[(c.c42.id, "lesson")].state == "due_soon"
    assert per_class(app, school, TERM_DAY)[(c.c42.id, "lesson")].state == "open"
    with app.app_context():
        lessons(school, c.c42, 1, first=date(2027, 1, 5))
    assert cells(app, school, AFTER_TERM, as_of=TERM_DAY)["lesson"].state == "met"
    # The next term starts from nothing.
    assert cells(app, school, AFTER_TERM)["lesson"] == compliance.Cell("open", 0, 3, "classes")


def test_lessons_of_last_year_and_of_another_kind_do_not_count(app, county):
    school, c = county.schools[0], county.classes
    with app.app_context():
        lessons(school, c.c41, 9, first=date(2026, 3, 2))  # spring term 2026
        lessons(school, c.c41, 9, kind="team_lesson")
    assert per_class(app, school, AFTER_TERM, as_of=TERM_DAY)[(c.c41.id, "lesson")] == compliance.Cell("missed", 0, 9)


def test_a_part_time_teacher_trained_37_months_ago_is_missed_and_35_months_ago_covered(app, county):
    school = county.schools[0]
    with app.app_context():
        member = staff(school, "何老师", "part_time", trained_on=date(2023, 10, 18))  # 37 months
    cell = cells(app, school, TERM_DAY)["part_time_trained"]
    assert (cell.state, cell.found, cell.required) == ("missed", 0, 1)
    with app.app_context():
        member.trainings.get().delete_instance()
        staff_training(member, date(2023, 11, 18))  # exactly 36 months: no longer within them
    assert cells(app, school, TERM_DAY)["part_time_trained"].state == "missed"
    with app.app_context():
        staff_training(member, date(2023, 12, 18))  # 35 months: covered, running out within 60 days
    assert cells(app, school, TERM_DAY)["part_time_trained"] == compliance.Cell("due_soon", 1, 1)
    with app.app_context():
        staff_training(member, date(2025, 6, 1))
    assert cells(app, school, TERM_DAY)["part_time_trained"] == compliance.Cell("met", 1, 1)
    # A 专职 teacher's trainings are not what 四、6 counts; one untrained 兼职 more opens it again.
    with app.app_context():
        staff(school, "唐老师", "full_time")
        staff(school, "江老师", "part_time")
    assert cells(app, school, TERM_DAY)["part_time_trained"] == compliance.Cell("missed", 1, 2)


def staff_training(member, day):
    member.trainings.model.create(staff=member, day=day, hours=8, level="city", title="培训")


def test_the_staffing_gap_stays_open_after_a_part_time_account_or_record(app, county):
    school3 = county.schools[2]
    assert cells(app, school3, TERM_DAY)["full_time"] == compliance.Cell("missed", 0, 1)
    with app.app_context():
        counsellor = make_user("counselor3", "counselor", school=school3)  # an account is not a 专职 post
        staff(school3, "何老师", "part_time", user=counsellor)
    assert cells(app, school3, TERM_DAY)["full_time"] == compliance.Cell("missed", 0, 1)
    with app.app_context():
        member = staff(school3, "唐老师", "full_time")
    assert cells(app, school3, TERM_DAY)["full_time"] == compliance.Cell("met", 1, 1)
    with app.app_context():
        ProgrammeStaff.update(active=False).where(ProgrammeStaff.id == member.id).execute()  # she left
    assert cells(app, school3, TERM_DAY)["full_time"].state == "missed"


def test_the_room_needs_the_standard_and_opening_hours(app, county):
    school = county.schools[0]
    assert cells(app, school, TERM_DAY)["room"] == compliance.Cell("missed", 0, 1, "none")
    with app.app_context():
        room = CounsellingRoom.create(school=school, built=True, built_year=2021)
    assert cells(app, school, TERM_DAY)["room"].why == "not_standard"
    with app.app_context():
        CounsellingRoom.update(standard=True).where(CounsellingRoom.id == room.id).execute()
    assert cells(app, school, TERM_DAY)["room"] == compliance.Cell("missed", 1, 1, "no_hours")
    with app.app_context():
        School.update(counselling_hours="周一至周五 12:30–13:30").where(School.id == school.id).execute()
    assert cells(app, school, TERM_DAY)["room"] == compliance.Cell("met", 1, 1, "")


def test_the_plan_must_be_on_file_and_reviewed_this_school_year(app, county):
    school = county.schools[0]
    assert cells(app, school, TERM_DAY)["plan"].state == "missed"
    with app.app_context():
        plan = EmergencyPlan.create(school=school, approved_on=date(2026, 8, 31))  # last school year
    assert cells(app, school, TERM_DAY)["plan"] == compliance.Cell("open", 0, 1, "old")
    assert cells(app, school, date(2027, 8, 10))["plan"].state == "due_soon"
    with app.app_context():
        EmergencyPlan.update(approved_on=date(2026, 9, 1)).where(EmergencyPlan.id == plan.id).execute()
    assert cells(app, school, TERM_DAY)["plan"].state == "met"


def test_once_a_term_once_a_year_and_the_may_month(app, county):
    school = county.schools[0]
    assert cells(app, school, AFTER_TERM, as_of=TERM_DAY)["law"] == compliance.Cell("missed", 0, 1)
    with app.app_context():
        lessons(school, None, 1, kind="law", first=date(2027, 1, 31))  # the term's last day
        lessons(school, None, 1, kind="contest_lesson", first=date(2027, 8, 31))  # the year's last day
    assert cells(app, school, AFTER_TERM, as_of=TERM_DAY)["law"].state == "met"
    assert cells(app, school, AFTER_TERM)["law"].state == "open"  # the spring term has its own
    assert cells(app, school, TERM_DAY)["contest_lesson"].state == "met"
    # May: due soon within May, missed once May is over without one; an activity in April is not May's.
    with app.app_context():
        lessons(school, None, 1, kind="may_month", first=date(2027, 4, 30))
    assert cells(app, school, TERM_DAY)["may_month"].state == "open"
    assert cells(app, school, date(2027, 5, 5))["may_month"].state == "due_soon"
    assert cells(app, school, date(2027, 6, 1))["may_month"] == compliance.Cell("missed", 0, 1)
    with app.app_context():
        lessons(school, None, 1, kind="may_month", first=date(2027, 5, 31))
    assert cells(app, school, date(2027, 6, 1))["may_month"] == compliance.Cell("met", 1, 1)


def test_the_county_changes_a_number_and_the_cells_follow(app, county, login_as):
    school, c = county.schools[0], county.classes
    with app.app_context():
        lessons(school, c.c42, 8)
    assert per_class(app, school, AFTER_TERM, as_of=TERM_DAY)[(c.c42.id, "lesson")].state == "missed"
    county_user = login_as("county")
    page = county_user.get("/programme/requirements").get_data(as_text=True)
    assert "《实施方案》四、9" in page and "每班每学期心理健康课" in page
    response = county_user.post("/programme/requirements", {"form": "q-lesson", "q-lesson-count": "8",
                                                            "q-lesson-period": "term", "q-lesson-active": "y"})
    assert response.status_code == 302
    assert per_class(app, school, AFTER_TERM, as_of=TERM_DAY)[(c.c42.id, "lesson")].state == "met"
    # Turned off, a requirement leaves the matrix.
    county_user.post("/programme/requirements", {"form": "q-law", "q-law-count": "1", "q-law-period": "term"})
    assert "law" not in cells(app, school, TERM_DAY)
    assert login_as("principal1").get("/programme/requirements").status_code == 404


def test_the_matrix_costs_the_same_queries_for_3_schools_and_403(app, county):
    with app.app_context():
        lessons(county.schools[0], county.classes.c41, 3)
        few = [s.id for s in School.select()]
        with counting_queries() as small:
            compliance.evaluate(few, TERM_DAY)
        School.insert_many([{"name": f"测试学校{n}", "zone": county.zones[0].id} for n in range(400)]).execute()
        many = [s.id for s in School.select()]
        with counting_queries() as large:
            found = compliance.evaluate(many, TERM_DAY)
    assert len(found.cells) == 403
    assert small["n"] == large["n"] <= 8


def test_the_matrix_summary_of_classes_says_what_the_class_by_class_count_says(app, county):
    """The county's matrix counts each school's classes in SQL (how many reach the number, the
    fewest lessons) instead of fetching every class: the cells must be the same, at 8 vs 9, for a
    class with none, and a school without classes."""
    school, other, c = county.schools[0], county.schools[1], county.classes
    with app.app_context():
        lessons(school, c.c41, 9)
        lessons(school, c.c42, 8)
        lessons(other, c.s2c41, 9)
        lessons(other, None, 2, kind="law")
        lessons(school, c.c41, 3, kind="team_lesson")
        empty = School.create(name="新建学校", zone=county.zones[0])
        ids = [s.id for s in School.select()]
        for day, as_of in ((TERM_DAY, None), (LAST_WEEKS, None), (AFTER_TERM, TERM_DAY), (AFTER_TERM, None)):
            detailed = compliance.evaluate(ids, day, as_of=as_of).cells
            summary = compliance.evaluate(ids, day, as_of=as_of, class_detail=False).cells
            assert summary == detailed, (day, as_of)
        assert summary[empty.id]["lesson"] == compliance.Cell("met", 0, 0, "classes")
        assert compliance.evaluate(ids, AFTER_TERM, as_of=TERM_DAY, class_detail=False).cells[school.id]["lesson"] == \
            compliance.Cell("missed", 1, 3, "classes")


def test_zone_posts_are_met_with_two_or_three_per_zone(app, county, login_as):
    """四、2: 2–3 counselling posts per zone (县管片用), counted from the zone's active accounts."""
    with app.app_context():
        zones = [county.zones[0], county.zones[1]]
        for n, zone in enumerate(list(zones)):
            zones.append(type(zone).create(name=f"第{n + 3}片区"))
        # Posts: zone1 has 1 (zone1), zone2 2, the third 3, the fourth 4; a left account never counts.
        for zone, extra in zip(zones, (0, 1, 3, 4), strict=True):
            for k in range(extra):
                make_user(f"z{zone.id}-{k}", "zone", zone=zone)
        make_user("gone", "zone", zone=zones[2], active=False)
        found = compliance.zone_posts([z.id for z in zones])
        assert [found[z.id] for z in zones] == [
            compliance.Cell("missed", 1, 2, "too_few"), compliance.Cell("met", 2, 2),
            compliance.Cell("met", 3, 2), compliance.Cell("missed", 4, 2, "too_many")]
    page = login_as("county").get("/programme/matrix").get_data(as_text=True)
    table = page.split('id="zone-posts"')[1].split("</table>")[0]
    assert "片区心理辅导岗位" in page and "《实施方案》四、2" in page.split('id="zone-posts"')[0][-600:]
    rows = table.split("<tr>")[2:]
    assert [zone.name in row for zone, row in zip(zones, rows, strict=True)] == [True] * 4
    assert "未达标: 不足 (1/2–3)" in rows[0] and "已达标 (2/2–3)" in rows[1] and "未达标: 超出 (4/2–3)" in rows[3]
    # A zone reads her own zone's line only.
    zone_page = login_as("zone1").get("/programme/matrix").get_data(as_text=True)
    zone_table = zone_page.split('id="zone-posts"')[1].split("</table>")[0]
    assert zones[0].name in zone_table and zones[1].name not in zone_table
