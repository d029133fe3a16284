"""《实施方案》四、9's pace: at least one 心理健康课 every two weeks, not only nine by the term's end.
A class behind the pace is due soon however far the term's end, and says why in words; the county
edits the pace like the count."""
from datetime import date, timedelta

from webapp.models import Requirement
from webapp.programme import compliance, rules

from .programme_steps import lessons
from .test_matrix_kept import assert_kept_matches_computed, school_cells

TERM_STARTS = date(2026, 9, 1)  # the test clock's day, 18 Nov 2026, is 78 days into the term
FAR_END = date(2027, 1, 31)  # the autumn term's last day


def state(found, elapsed, pace=14, required=9):
    return rules.paced_state(found, required, TERM_STARTS, FAR_END, TERM_STARTS + timedelta(days=elapsed), pace)


def test_a_class_is_behind_once_a_whole_fortnight_passes_without_its_lesson():
    assert state(0, 13) == ("open", 0)
    assert state(0, 14) == ("due_soon", 1)
    assert state(1, 27) == ("open", 0)
    assert state(1, 28) == ("due_soon", 2)
    assert state(2, 28) == ("open", 0)


def test_met_and_missed_stand_and_the_pace_never_asks_more_than_the_count():
    assert state(9, 140) == ("met", 0)  # ten fortnights in, nine lessons: met, not behind
    assert state(3, 140, required=3) == ("met", 0)
    assert state(2, 140, required=3) == ("due_soon", 3)
    assert rules.pace_due(TERM_STARTS, TERM_STARTS + timedelta(days=300), 14, 9) == 9
    assert rules.paced_state(8, 9, TERM_STARTS, FAR_END, FAR_END + timedelta(days=1), 14) == ("missed", 0)
    # No pace (or a day before the period): only the term's count, as before.
    assert state(0, 70, pace=None) == ("open", 0)
    assert rules.pace_due(TERM_STARTS, TERM_STARTS - timedelta(days=20), 14, 9) == 0


def test_a_class_with_no_lesson_for_ten_weeks_is_behind_and_its_school_with_it(app, county):
    school, c = county.schools[0], county.classes
    with app.app_context():
        lessons(school, c.c41, 9)
        lessons(school, c.c42, 5)
        day = TERM_STARTS + timedelta(days=70)  # ten weeks: five lessons due
        found = compliance.evaluate([school.id], day)
        summary = compliance.evaluate([school.id], day, class_detail=False)
    assert found.per_class[(c.c41.id, "lesson")].state == "met"
    assert found.per_class[(c.c42.id, "lesson")] == compliance.Cell("open", 5, 9)
    assert found.per_class[(c.c31.id, "lesson")] == compliance.Cell("due_soon", 0, 9, "", 5, 0)
    # The school stands as its worst class; the matrix's summary says the same.
    assert found.cells[school.id]["lesson"] == compliance.Cell("due_soon", 1, 3, "classes", 5, 0)
    assert summary.cells == found.cells


def page_text(browser, url):
    return browser.get(url).get_data(as_text=True)


def save_lesson(county_user, pace):
    return county_user.post("/programme/requirements", {
        "form": "q-lesson", "q-lesson-count": "9", "q-lesson-period": "term", "q-lesson-active": "y",
        "q-lesson-pace_days": pace})


def test_the_county_edits_the_pace_and_the_school_and_matrix_follow(app, county, login_as):
    school, c = county.schools[0], county.classes
    with app.app_context():
        lessons(school, c.c41, 9)
        lessons(school, c.c42, 2)
        lessons(school, c.c31, 6)
    principal, county_user = login_as("principal1"), login_as("county")
    school_page = f"/programme/school/{school.id}"
    matrix = f"/programme/matrix?zone={county.zones[0].id}"
    # Eleven weeks in with two lessons, 4-2 holds the school behind the plan's fortnightly pace.
    assert "进度落后：应至少 5 节，最少的班已上 2 节 (1 / 3 个班达标)" in page_text(principal, school_page)
    assert "进度落后：应至少 5 节，最少的班已上 2 节" in page_text(county_user, matrix)
    drill = page_text(principal, f"{school_page}/requirement/lesson")
    assert "进度落后：应至少 5 节，已上 2 节 (2/9)" in drill and "每 14 天至少一次" in drill
    assert_kept_matches_computed(app)

    requirements = page_text(county_user, "/programme/requirements")
    card = requirements.split('id="q-lesson"')[1].split("</section>")[0]
    assert "《实施方案》四、9" in card and 'value="14"' in card and "每隔几天至少一次" in card

    # No pace: only the term's count, and the term's end is far.
    assert save_lesson(county_user, "").status_code == 302
    assert "进度落后" not in page_text(principal, school_page)
    assert "进度落后" not in page_text(county_user, matrix)
    assert school_cells(app, school)["lesson"] == compliance.Cell("open", 1, 3, "classes")
    assert_kept_matches_computed(app)

    # Every three weeks: three due by now.
    assert save_lesson(county_user, "21").status_code == 302
    assert "进度落后：应至少 3 节，最少的班已上 2 节" in page_text(county_user, matrix)
    with app.app_context():
        assert Requirement.get(Requirement.key == "lesson").pace_days == 21
    assert_kept_matches_computed(app)


def test_a_pace_out_of_bounds_is_refused_with_the_typed_value_kept(app, county, login_as):
    county_user = login_as("county")
    for typed in ("5", "61", "两周", "-14"):
        response = save_lesson(county_user, typed)
        assert response.status_code == 422
        card = response.get_data(as_text=True).split('id="q-lesson"')[1].split("</section>")[0]
        assert "请填写 7 到 60 之间的天数，或留空表示不查进度。" in card
        assert f'value="{typed}"' in card
    with app.app_context():
        assert Requirement.select().count() == 0 or Requirement.get(Requirement.key == "lesson").pace_days == 14
    assert save_lesson(county_user, "7").status_code == 302


def test_a_school_activity_with_a_pace_counts_it_too(app, county, login_as):
    """A pace on a per-school kind: 法治 once a term (四、10), checked every 30 days."""
    school = county.schools[0]
    county_user = login_as("county")
    response = county_user.post("/programme/requirements", {
        "form": "q-law", "q-law-count": "1", "q-law-period": "term", "q-law-active": "y", "q-law-pace_days": "30"})
    assert response.status_code == 302
    assert school_cells(app, school)["law"] == compliance.Cell("due_soon", 0, 1, "", 1, 0)
    assert "进度落后：应至少 1 次，已有 0 次" in page_text(login_as("principal1"), f"/programme/school/{school.id}")
    with app.app_context():
        lessons(school, None, 1, kind="law")
    assert school_cells(app, school)["law"] == compliance.Cell("met", 1, 1)
    assert_kept_matches_computed(app)


def test_a_head_teacher_sees_her_class_behind_on_her_lessons_page(app, county, login_as):
    with app.app_context():
        lessons(county.schools[0], county.classes.c41, 2)
    counts = page_text(login_as("head1"), "/programme/activities").split('id="lesson-counts"')[1].split("</ul>")[0]
    assert "进度落后：应至少 5 节，已上 2 节" in counts
