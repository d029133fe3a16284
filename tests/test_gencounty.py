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
