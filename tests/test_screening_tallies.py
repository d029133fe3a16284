"""The county's and zones' screening coverage is read from the day's tallies (migration 0034's
triggers forget them on every write they count): the kept figures are always the live count,
after an import, an individual result, a follow-up, a pupil moving school, and as the clock moves."""
import re
from datetime import date

import pytest

from webapp.models import Child, SchoolClass, ScreeningRound, ScreeningWarning, Tally, User
from webapp.screening import instruments, overview, service

from .screening_steps import mht_row, open_round, upload, xlsx

KEY = [14, 9, 9, 9, 9, 9, 0, 6]  # an MHT of 65: 重点


def _result(county, child, uuid, screening_round, answers=(3,) * 9):
    return service.record_result(child, instruments.get("phq9"), answers=list(answers), source="individual",
                                 taken_on=date(2026, 11, 18), user=county.users.counselor1, client_uuid=uuid,
                                 screening_round=screening_round)


def _import(county, counselor, screening_round):
    page = upload(counselor, screening_round.id, xlsx([mht_row("王五", "4-2", KEY), mht_row("孙七", "3-1")]))
    confirm = re.search(r'action="(/screening/\d+/import/\d+/confirm)"', page.get_data(as_text=True)).group(1)
    assert counselor.post(confirm).status_code == 302


def _follow_up(county, screening_round):
    warning = ScreeningWarning.get(ScreeningWarning.child == county.kids.zhang_san.id)
    service.record_interview(warning, county.users.counselor1, date(2026, 11, 18), "谈过")
    assert service.close_warning(warning, county.users.counselor1, "monitor", "")


WRITES = {
    "an import": lambda county, counselor, r: _import(county, counselor, r),
    "an individual result": lambda county, login_as, r: _result(county, county.kids.li_si, "w-2", r),
    "a warning follow-up": lambda county, login_as, r: _follow_up(county, r),
    "a pupil moving school": lambda county, login_as, r: Child.update(
        school_class=county.classes.s2c41, school=county.schools[1]).where(
        Child.id == county.kids.zhang_san.id).execute(),
    "a pupil erased": lambda county, login_as, r: Child.delete().where(Child.id == county.kids.zhang_san.id).execute(),
    "a class moving up a grade": lambda county, login_as, r: SchoolClass.update(grade=6).where(
        SchoolClass.id == county.classes.c41.id).execute(),
    "the round's grades edited": lambda county, login_as, r: ScreeningRound.update(grades="4").where(
        ScreeningRound.id == r.id).execute(),
}


def _same_as_counted(app, county, screening_round):
    with app.test_request_context():
        fresh = ScreeningRound.get_by_id(screening_round.id)
        for name in ("county", "zone1", "zone2"):
            user = User.get(User.username == name)
            assert overview.coverage(fresh, user) == overview.counted_coverage(fresh, user), name
            _rows, totals = overview.counted_coverage(fresh, user)
            assert overview.home_figures(fresh, user) == {"open": totals["open"], "overdue": totals["overdue"]}, name
        for name in ("counselor1", "principal1", "counselor2"):  # one school: its coverage too
            user = User.get(User.username == name)
            _rows, totals = overview.counted_coverage(fresh, user)
            assert overview.home_figures(fresh, user) == {key: totals[key] for key in
                                                          ("open", "overdue", "enrolled", "screened")}, name


@pytest.mark.parametrize("write", list(WRITES))
def test_the_kept_coverage_is_the_counted_one_before_and_after_each_write(app, county, login_as, write):
    counselor = login_as("counselor1")
    with app.app_context():
        screening_round = open_round(county)
        _result(county, county.kids.zhang_san, "w-1", screening_round)
        _result(county, county.kids.wu_jiu, "w-3", screening_round, answers=(0,) * 9)
    _same_as_counted(app, county, screening_round)
    with app.app_context():
        assert Tally.select().where(Tally.kind == f"scr{screening_round.id}").exists()  # kept, not counted
        before = overview.coverage(ScreeningRound.get_by_id(screening_round.id), county.users.county)
    if write == "an import":  # through the pages, each request in its own context
        _import(county, counselor, screening_round)
    else:
        with app.app_context():
            WRITES[write](county, counselor, screening_round)
    with app.app_context():
        after = overview.coverage(ScreeningRound.get_by_id(screening_round.id), county.users.county)
    assert after != before  # each write moves a figure the county sees
    _same_as_counted(app, county, screening_round)


def test_a_warning_goes_overdue_on_the_county_page_without_a_write(app, county, clock):
    with app.app_context():
        screening_round = open_round(county)
        _result(county, county.kids.zhang_san, "w-1", screening_round)  # critical: due the same day
    _same_as_counted(app, county, screening_round)
    with app.app_context():
        assert overview.home_figures(screening_round, county.users.county) == {"open": 1, "overdue": 0}
    clock.advance(days=1)
    with app.app_context():
        assert overview.home_figures(screening_round, county.users.county) == {"open": 1, "overdue": 1}
    _same_as_counted(app, county, screening_round)


def test_the_tick_has_the_rounds_coverage_ready_before_the_first_reader(app, county):
    from webapp.clock import today
    from webapp.dashboard.tallied import fill_day

    with app.app_context():
        screening_round = open_round(county)
        _result(county, county.kids.zhang_san, "w-1", screening_round)
        fill_day(today())
        kept = Tally.select().where(Tally.kind == f"scr{screening_round.id}").count()
        assert kept == len(county.schools) + 1  # every school, and the warnings of none
    _same_as_counted(app, county, screening_round)


def test_the_home_count_of_open_warnings_reads_the_rounds_index(app, county):
    """Migration 0041: a warning keeps its result's round, and the zone's and county's home count
    of open warnings reads the (round_id, closed_at) index instead of joining the round's results.
    The log holds, as a county's does, a last year's round whose warnings were left open: on the
    tests' few rows alone any index on closed_at would do."""
    from datetime import datetime, timedelta

    from webapp.db import db, is_sqlite
    from webapp.models import ScreeningResult

    from .plans import plan_of

    with app.app_context():
        last_year = ScreeningRound.create(school_year=2025, name="2025 秋季心理测评", opens_on=date(2025, 11, 1),
                                          closes_on=date(2025, 12, 20), grades="4", instruments="phq9",
                                          opened_by=county.users.county)
        child = county.kids.li_si
        when = datetime(2025, 11, 10, 8)
        ScreeningResult.insert_many([
            {"round": last_year.id, "child": child.id, "school": county.schools[0].id, "instrument": "phq9",
             "total": 12, "level": "attention", "source": "import", "taken_on": date(2025, 11, 10),
             "entered_at": when, "client_uuid": f"last-year-{n}"} for n in range(1500)]).execute()
        first = ScreeningResult.select(ScreeningResult.id).where(ScreeningResult.round == last_year.id)
        ScreeningWarning.insert_many([
            {"result": result_id, "round_id": last_year.id, "child": child.id, "school": county.schools[n % 2].id,
             "level": "attention", "raised_at": when, "due_at": when + timedelta(days=9)}
            for n, (result_id,) in enumerate(first.tuples())]).execute()
        screening_round = open_round(county)
        result, _created = _result(county, county.kids.zhang_san, "w-1", screening_round)
        assert ScreeningWarning.get(ScreeningWarning.result == result.id).round_id == screening_round.id
        db.execute_sql("ANALYZE" if is_sqlite() else "ANALYZE screening_warning")
        for user in (county.users.county, User.get(User.username == "zone1")):
            plan = plan_of(overview.open_warnings(screening_round, user))
            assert "screening_warning_round_id_closed_at" in plan, plan
            assert "screening_result" not in plan, plan
