"""Dashboard tallies never show an answer the records no longer give: every kind of write a
tally counts deletes it in the same transaction (migration 0007's triggers), whoever writes."""
import uuid
from datetime import date, datetime

import pytest

from webapp.clock import today
from webapp.dashboard import metrics, tallied
from webapp.models import (
    Activity,
    Attendance,
    Case,
    CheckIn,
    Child,
    DutyRule,
    HomeVisit,
    LeftBehindFile,
    SchoolClass,
    Tally,
    User,
    Village,
    WeeklyReport,
)
from webapp.safeguarding.tick import run_tick
from webapp.village.duties import by_target, plan_for
from webapp.village.kept_plan import plan_of
from webapp.village.overview import rows_by_bucket

from .county import PIN, make_user
from .visit_steps import log_visit

NOW = datetime(2026, 11, 18, 2, 0)


def _uuid():
    return str(uuid.uuid4())


def _kept(kind, unit):
    return Tally.select().where((Tally.kind == kind) & (Tally.unit == unit)).exists()


def _school_writes(county):
    kids, classes, users, schools = county.kids, county.classes, county.users, county.schools
    return {
        "a home visit": lambda: HomeVisit.create(child=kids.li_si, author=users.head1, visited_on=date(2026, 11, 2),
                                                 made_at=NOW, client_uuid=_uuid()),
        "a home visit moved out of the year": lambda: HomeVisit.update(visited_on=date(2025, 6, 1)).where(
            HomeVisit.child == kids.zhang_san).execute(),
        "a home visit erased": lambda: HomeVisit.delete().where(HomeVisit.child == kids.zhang_san).execute(),
        "a pupil joining": lambda: Child.create(name="新生", sex="f", school_class=classes.c31),
        "a pupil moving school": lambda: Child.update(school_class=classes.s3c51).where(
            Child.id == kids.sun_qi.id).execute(),
        "a pupil erased": lambda: Child.delete().where(Child.id == kids.sun_qi.id).execute(),
        "a key-group flag": lambda: Child.update(in_difficulty=True).where(Child.id == kids.sun_qi.id).execute(),
        "a case opened": lambda: Case.create(child=kids.sun_qi, level="key", client_uuid=_uuid()),
        "a class moving up a grade": lambda: SchoolClass.update(grade=4, number=3).where(
            SchoolClass.id == classes.c31.id).execute(),
        "a weekly report": lambda: WeeklyReport.create(school_class=classes.c42, week_start=date(2026, 11, 16),
                                                       part=0, nil=True, made_at=NOW, client_uuid=_uuid()),
        "a committee member leaving": lambda: User.update(active=False).where(
            User.id == users.committee2.id).execute(),
        "a committee appointed": lambda: [make_user(f"committee{n}", "committee", secret=PIN, school=schools[0],
                                                    child=kid) for n, kid in ((8, kids.wang_wu), (9, kids.zhao_liu))],
    }


SCHOOL_WRITES = ["a home visit", "a home visit moved out of the year", "a home visit erased", "a pupil joining",
                 "a pupil moving school", "a pupil erased", "a key-group flag", "a case opened",
                 "a class moving up a grade", "a weekly report", "a committee member leaving",
                 "a committee appointed"]


@pytest.mark.parametrize("write", SCHOOL_WRITES)
def test_a_write_a_school_figure_counts_forgets_that_schools_tally(app, county, write):
    HomeVisit.create(child=county.kids.zhang_san, author=county.users.head1, visited_on=date(2026, 10, 9),
                     made_at=NOW, client_uuid=_uuid())
    ids = [s.id for s in county.schools]
    with app.test_request_context():
        day = today()
        before = tallied.school_figures(ids, day)
        assert all(_kept("school", unit) for unit in ids)
        _school_writes(county)[write]()
        assert not _kept("school", county.schools[0].id)
        after = tallied.school_figures(ids, day)
        assert after != before  # the write changed what is counted...
        assert after == metrics.school_day_figures(ids, day)  # ...and the tally says what the records say


def _village_writes(county):
    kids, villages, users = county.kids, county.villages, county.users
    return {
        "a check-in": lambda: CheckIn.create(child=kids.zhang_san, village=villages[0], worker=users.worker1,
                                             day=date(2026, 11, 17), kind="home_visit", mood="good", health="good",
                                             study="good", safety="good", made_at=NOW, client_uuid=_uuid()),
        "an activity": lambda: Activity.create(village=villages[0], worker=users.worker1, title="手工课",
                                               day=date(2026, 11, 17), minutes=60, made_at=NOW, client_uuid=_uuid()),
        "a child left behind": lambda: Child.update(left_behind=True).where(Child.id == kids.zheng_shi.id).execute(),
        "a confirmed file": lambda: LeftBehindFile.create(
            child=kids.zhang_san, guardian_name="张奶奶", guardian_relation="祖母", left_behind_type="both_away",
            confirmed_on=date(2026, 11, 17), made_at=NOW, client_uuid=_uuid()),
        "a county duty rule": lambda: DutyRule.create(kind="activity", per="village", frequency="month", count=2),
    }


@pytest.mark.parametrize("write", ["a check-in", "an activity", "a child left behind", "a confirmed file",
                                   "a county duty rule"])
def test_a_write_a_village_duty_counts_forgets_that_villages_tally(app, county, write):
    ids = [v.id for v in county.villages]
    with app.test_request_context():
        day = today()
        before = tallied.village_figures(ids, day)
        _village_writes(county)[write]()
        assert not _kept("village", county.villages[0].id)
        after = tallied.village_figures(ids, day)
        assert after != before
        assert after == metrics.duties_by_village(ids, day)


def _same_plan(kept, computed, day):
    """The same plan as the child worker's pages see it: rules, register, each target's duties
    in order, and the rows of every bucket."""
    assert (kept.rules, kept.children, kept.villages) == (computed.rules, computed.children, computed.villages)
    assert by_target(kept) == by_target(computed)
    assert rows_by_bucket(kept, day) == rows_by_bucket(computed, day)


@pytest.mark.parametrize("write", ["a check-in", "an activity", "a child left behind", "a confirmed file",
                                   "a county duty rule"])
def test_the_plan_kept_for_the_child_worker_is_the_plan_the_records_give(app, county, write):
    with app.test_request_context():
        day = today()
        villages = list(Village.select().order_by(Village.name))
        _same_plan(plan_of(villages, day), plan_for(villages, day), day)  # computed, then kept
        assert _kept("village", county.villages[0].id)
        _same_plan(plan_of(villages, day), plan_for(villages, day), day)  # read back
        before = by_target(plan_for(villages, day))
        _village_writes(county)[write]()
        after = plan_of(villages, day)
        _same_plan(after, plan_for(villages, day), day)
        assert by_target(after) != before


def test_a_child_at_an_activity_counts_for_her_village(app, county):
    with app.test_request_context():
        day = today()
        activity = Activity.create(village=county.villages[0], worker=county.users.worker1, title="手工课",
                                   day=date(2026, 11, 17), minutes=60, made_at=NOW, client_uuid=_uuid())
        tallied.village_figures([county.villages[0].id], day)
        Attendance.create(activity=activity, child=county.kids.zhang_san)
        assert not _kept("village", county.villages[0].id)


def test_a_visit_logged_on_the_phone_shows_on_the_county_pages_at_once(app, county, browser, login_as):
    county_user = login_as("county")
    page = county_user.get("/visits/").get_data(as_text=True)
    assert "0%" in page.split("渠县第一小学")[1][:600]
    head = login_as("head1")
    assert log_visit(head, county.kids.zhang_san).status_code in (200, 302)
    page = county_user.get("/visits/").get_data(as_text=True)
    # School 1 has 5 pupils this year: one visited is 20%.
    assert "20%" in page.split("渠县第一小学")[1][:600]


def test_the_tick_has_the_days_tallies_ready_and_forgets_earlier_days(app, county, clock):
    with app.app_context():
        Tally.create(kind="school", unit=county.schools[0].id, day=date(2026, 11, 1), figures="{}")
        report = run_tick()
        assert report.tallies == len(county.schools) + len(county.villages)
        assert not Tally.select().where(Tally.day < date(2026, 11, 18)).exists()
        assert run_tick().tallies == 0  # nothing changed: nothing computed again
        clock.advance(days=1)
        assert run_tick().tallies == len(county.schools) + len(county.villages)
        assert Tally.select(Tally.day).distinct().scalar() == date(2026, 11, 19)


def test_the_dashboard_figures_move_with_the_day_not_only_with_writes(app, county, clock):
    """A key-group child visited this autumn is due again when the spring term starts."""
    school = county.schools[0].id
    HomeVisit.create(child=county.kids.zhang_san, author=county.users.head1, visited_on=date(2026, 11, 2),
                     made_at=NOW, client_uuid=_uuid())
    with app.test_request_context():
        first = tallied.school_figures([school], today())[school]
    clock.advance(days=100)  # 26 Feb 2027
    with app.test_request_context():
        later = tallied.school_figures([school], today())[school]
        assert later == metrics.school_day_figures([school], today())[school]
    assert later["key_due"] == first["key_due"] + 1
