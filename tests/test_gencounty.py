"""`flask --app wsgi gen-county` makes the same synthetic county every time, with working accounts."""
from webapp.models import Child, ClassTeacher, HomeVisit, School, SchoolClass, User, WeeklyReport

from .conftest import _empty_tables

ARGS = ["gen-county", "--schools", "3", "--classes-per-school", "6", "--children-per-class", "8", "--seed", "7"]


def _names():
    return [c.name for c in Child.select(Child.name).order_by(Child.id)]


def test_gen_county_fills_an_empty_database_reproducibly(app, login_as):
    result = app.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    assert "children: 144" in result.output
    assert (School.select().count(), SchoolClass.select().count(), Child.select().count()) == (3, 18, 144)
    assert ClassTeacher.select().count() == 18 and HomeVisit.select().count() > 0 and WeeklyReport.select().count() > 0
    principal = User.get(User.username == "principal1")
    assert principal.totp_enabled and principal.school_id == School.select().order_by(School.id).first().id
    first = _names()
    again = app.test_cli_runner().invoke(args=ARGS)
    assert again.exit_code != 0 and "already holds a county" in again.output
    _empty_tables()
    assert app.test_cli_runner().invoke(args=ARGS).exit_code == 0
    assert _names() == first


def test_gen_county_has_incidents_key_groups_and_concerns_joined_to_cases(app):
    """Issue 16's records at county scale: incidents with their checklist and postvention (the
    newest of each zone still open, with tasks due and overdue), 问题家庭 and 精神病史 flags, and
    later concerns joined to open cases."""
    from webapp.models import Case, Concern, FollowUp, Incident, IncidentChild, IncidentStep, PsychiatricHistory

    result = app.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    zones = {s.zone_id for s in School.select()}
    incidents = list(Incident.select())
    assert len(incidents) >= 2 * len(zones)  # this school year and the last
    assert {i.status for i in incidents} == {"open", "closed"}
    assert Incident.select().where(Incident.status == "open").count() == len(zones)
    assert all(i.review_what for i in incidents if i.status == "closed")
    assert IncidentChild.select().count() >= len(incidents)
    assert IncidentStep.select().where(IncidentStep.done_at.is_null(False)).count() > 0
    open_tasks = FollowUp.select().join(Incident).where((Incident.status == "open") & FollowUp.done_at.is_null())
    assert open_tasks.count() > 0
    assert {f.level for f in FollowUp.select()} == {"close", "general"}
    for follow_up in FollowUp.select().where(FollowUp.done_at.is_null(False)):
        assert follow_up.done_at >= follow_up.added_at
    assert Child.select().where(Child.problem_family).count() > 0
    assert PsychiatricHistory.select().count() > 0
    # Every case's own concern belongs to it, and some later concerns joined open cases.
    assert all(Concern.get_by_id(c.concern_id).case_id == c.id for c in Case.select())
    joined = Concern.select().join(Case, on=(Concern.case_id == Case.id)).where(
        (Case.status == "open") & (Concern.id != Case.concern))
    assert joined.count() > 0
    assert "incidents:" in result.output and "follow_ups:" in result.output


def test_gen_county_has_programme_records_with_gaps_and_inspections(app):
    """Issue 19's records at county scale: 专职 and 兼职 staff with gaps, trainings, rooms, plans,
    lessons per class this term and school activities, zone posts, inspections with 整改."""
    from webapp.clock import today
    from webapp.models import (
        CounsellingRoom,
        EmergencyPlan,
        Inspection,
        InspectionCheck,
        ProgrammeActivity,
        ProgrammeStaff,
        Rectification,
        Training,
    )
    from webapp.programme import compliance

    args = ["gen-county", "--schools", "12", "--classes-per-school", "4", "--children-per-class", "3", "--seed", "7"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "activities:" in result.output and "rectifications:" in result.output
    schools = [s.id for s in School.select()]
    assert {m.post for m in ProgrammeStaff.select()} == {"full_time", "part_time"}
    assert Training.select().count() > 0 and CounsellingRoom.select().count() > 0
    assert EmergencyPlan.select().count() > 0
    lessons = ProgrammeActivity.select().where(ProgrammeActivity.kind == "lesson")
    assert lessons.count() > 0 and all(a.school_class_id for a in lessons)
    assert ProgrammeActivity.select().where(ProgrammeActivity.school_class.is_null()).count() > 0
    zones = {s.zone_id for s in School.select()}
    assert Inspection.select().count() == 2 * len(zones) and InspectionCheck.select().count() > 0
    assert {r.status for r in Rectification.select()} == {"open", "accepted"}
    overdue = Rectification.select().where((Rectification.status == "open") & (Rectification.due_on < today()))
    assert overdue.count() == len(zones)
    # Gaps as a county has them: some schools meet 四、5 and some miss it, and so on.
    found = compliance.evaluate(schools, today())
    for key in ("full_time", "room", "plan"):
        assert {found.cells[s][key].state for s in schools} >= {"met", "missed"}, key
    # Each class at its own pace: mid-term, lesson counts differ from class to class.
    assert len({cell.found for cell in found.per_class.values()}) > 2
    assert len({compliance.summary(found.cells[s])["missed"] for s in schools}) > 1
