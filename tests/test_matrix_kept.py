"""The county's compliance matrix kept per school and day (webapp/programme/kept.py, migration
0035): the kept rows are always the ones the records give now, whatever is written, and the page
reads them instead of counting the records again."""
from contextlib import contextmanager
from datetime import date

from webapp.clock import today
from webapp.db import db
from webapp.models import ProgrammeActivity, ProgrammeStaff, School, SchoolClass, Tally
from webapp.programme import compliance, kept

from .programme_steps import log_activity


@contextmanager
def statements_sent():
    """Every SQL statement the app sends while the block runs."""
    seen, database = [], db.obj
    original = database.execute_sql

    def recorded(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(sql, params, *args, **kwargs)

    database.execute_sql = recorded
    try:
        yield seen
    finally:
        database.execute_sql = original


def assert_kept_matches_computed(app):
    """Both terms of the matrix, every school: the kept cells (stored before, read now) equal the
    cells computed from the records."""
    with app.app_context():
        day = today()
        ids = [school_id for (school_id,) in School.select(School.id).tuples()]
        for term in ("this", "last"):
            computed = compliance.evaluate(ids, day, as_of=kept.as_of(day, term), class_detail=False)
            found = kept.evaluate(ids, day, term)
            assert [r.key for r in found.requirements] == [r.key for r in computed.requirements]
            assert found.cells == computed.cells, term
            # read again: now all from the tallies
            assert kept.evaluate(ids, day, term).cells == computed.cells, term


def school_cells(app, school, term="this"):
    with app.app_context():
        return kept.evaluate([school.id], today(), term).cells[school.id]


def test_the_kept_matrix_equals_the_computed_one_before_and_after_each_kind_of_write(app, county, login_as):
    school = county.schools[0]
    assert_kept_matches_computed(app)
    counsellor, principal, county_user = login_as("counselor1"), login_as("principal1"), login_as("county")

    # An activity logged, then deleted.
    assert school_cells(app, school)["law"].state != "met"
    assert log_activity(counsellor, kind="law", topic="法治进校园").status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["law"].state == "met"
    with app.app_context():
        activity = ProgrammeActivity.get(ProgrammeActivity.topic == "法治进校园")
    assert principal.post(f"/programme/activities/{activity.id}/delete").status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["law"].state != "met"

    # A lesson for a class (the per-class requirement).
    assert log_activity(login_as("head1"), school_class=county.classes.c41).status_code == 302
    assert_kept_matches_computed(app)

    # Staff added, then changed from 专职 to 兼职, then trained.
    assert principal.post(f"/programme/school/{school.id}/staff", {
        "staff-new-name": "刘老师", "staff-new-post": "full_time"}).status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["full_time"].found == 1
    with app.app_context():
        member = ProgrammeStaff.get(ProgrammeStaff.name == "刘老师")
    assert principal.post(f"/programme/staff/{member.id}", {
        f"staff-{member.id}-name": "刘老师", f"staff-{member.id}-post": "part_time",
        f"staff-{member.id}-active": "y"}).status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["full_time"].found == 0
    assert school_cells(app, school)["part_time_trained"][1:3] == (0, 1)
    assert principal.post(f"/programme/staff/{member.id}/training", {
        f"training-{member.id}-title": "兼职心理教师培训", f"training-{member.id}-day": "2026-10-10",
        f"training-{member.id}-hours": "8", f"training-{member.id}-level": "county"}).status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["part_time_trained"][1:3] == (1, 1)

    # The emergency plan, the counselling room, the school's opening hours.
    assert principal.post(f"/programme/school/{school.id}/plan", {
        "plan-approved_on": "2026-09-15", "plan-steps": "报告校长"}).status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["plan"].state == "met"
    assert principal.post(f"/programme/school/{school.id}/room", {
        "room-built": "y", "room-built_year": "2021", "room-standard": "y"}).status_code == 302
    assert_kept_matches_computed(app)
    with app.app_context():
        School.update(counselling_hours="").where(School.id == school.id).execute()
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["room"].why == "no_hours"
    with app.app_context():
        School.update(counselling_hours="周一至周五 12:30–13:30").where(School.id == school.id).execute()
    assert_kept_matches_computed(app)
    assert school_cells(app, school)["room"].state == "met"

    # A class of the year added (the lesson cell counts classes).
    with app.app_context():
        SchoolClass.create(school=school, grade=6, number=9, school_year=county.classes.c41.school_year)
    assert_kept_matches_computed(app)

    # The county edits a requirement: every school's row follows.
    assert county_user.post("/programme/requirements", {
        "form": "q-law", "q-law-count": "2", "q-law-period": "term", "q-law-active": "y"}).status_code == 302
    assert_kept_matches_computed(app)
    assert school_cells(app, county.schools[1])["law"].required == 2
    assert county_user.post("/programme/requirements", {
        "form": "q-law", "q-law-count": "2", "q-law-period": "term"}).status_code == 302  # no longer in use
    assert_kept_matches_computed(app)
    assert "law" not in school_cells(app, school)


def test_the_matrix_page_reads_kept_rows_and_does_not_count_the_records_again(app, county, login_as):
    county_user = login_as("county")
    assert county_user.get("/programme/matrix").status_code == 200
    with app.app_context():
        assert Tally.select().where(Tally.kind == "mx_term").count() == School.select().count()
    with statements_sent() as seen:
        page = county_user.get("/programme/matrix")
    assert page.status_code == 200
    assert not [sql for sql in seen if "programme_activity" in sql or "school_class" in sql]
    # A lesson logged shows on the next read: the school's lesson cell counts it.
    assert log_activity(login_as("counselor1"), kind="law", topic="法治进校园").status_code == 302
    school = county.schools[0]
    page = county_user.get(f"/programme/matrix?zone={school.zone_id}&sort=law&order=asc").get_data(as_text=True)
    assert f'href="/programme/school/{school.id}/requirement/law"><span aria-hidden="true">✓</span>' in page


def test_the_tick_fills_both_terms_of_the_matrix_for_the_day(app, county):
    with app.app_context():
        assert kept.fill_day(today()) == 2 * School.select().count()
        assert kept.fill_day(today()) == 0
        assert Tally.select().where(Tally.kind == "mx_last", Tally.day == today()).count() == School.select().count()


def test_last_term_kept_apart_from_this_term(app, county, login_as):
    school = county.schools[0]
    with app.app_context():
        ProgrammeActivity.create(school=school, kind="law", day=date(2026, 4, 1), topic="春季法治",
                                 made_at=date(2026, 4, 1), client_uuid="c0ffee00-0000-0000-0000-000000000001")
    assert school_cells(app, school, "last")["law"].state == "met"
    assert school_cells(app, school, "this")["law"].state != "met"
    assert_kept_matches_computed(app)


def test_the_tick_has_the_matrix_ready_before_the_first_reader(app, county):
    from webapp.safeguarding.tick import run_tick

    with app.app_context():
        run_tick()
        for kind in ("mx_term", "mx_last"):
            assert Tally.select().where(Tally.kind == kind, Tally.day == today()).count() == School.select().count()
