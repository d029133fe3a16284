"""Pages make a fixed number of database queries, however many children the county has."""
import uuid
from contextlib import contextmanager
from datetime import date

import pytest

from webapp.clock import today
from webapp.db import db
from webapp.models import Child, Concern, School, name_keys
from webapp.programme import kept
from webapp.safeguarding.cases import open_case
from webapp.safeguarding.concerns import raise_concern

from .incident_steps import grow_incident, incident_for_query_counts
from .safeguarding_steps import open_case as open_case_by_http
from .safeguarding_steps import raise_concern as raise_by_http
from .screening_steps import grow_screening, screening_for_query_counts
from .village_steps import grow_village, village_for_query_counts
from .visit_steps import grow_visits, visits_for_query_counts


@contextmanager
def counting_queries():
    """Count every SQL statement the app sends while the block runs."""
    counter = {"n": 0}
    database = db.obj
    original = database.execute_sql

    def counted(sql, params=None, *args, **kwargs):
        counter["n"] += 1
        return original(sql, params, *args, **kwargs)

    database.execute_sql = counted
    try:
        yield counter
    finally:
        database.execute_sql = original


def grow_county(app, county, children, with_records=True):
    """Add `children` pupils to class 4-1 of school 1 (in every school-1 user's scope), with a
    concern and a case for some of them, so lists grow too."""
    school_class = county.classes.c41
    rows = []
    for n in range(children):
        name = f"测试{n}"
        initials, pinyin = name_keys(name)
        rows.append({
            "name": name, "name_initials": initials, "name_pinyin": pinyin, "sex": "mf"[n % 2],
            "birth_date": date(2016, 1, 1), "school": school_class.school_id, "school_class": school_class.id,
        })
    # Schools grow with the county too (one per 200 children), in zone 1: lists of schools must
    # not cost a query per school.
    first = School.select().count()
    schools = [{"name": f"测试学校{first + n}", "zone": county.zones[0].id} for n in range(max(1, children // 200))]
    with db.atomic():
        School.insert_many(schools).execute()
        for start in range(0, len(rows), 500):
            Child.insert_many(rows[start:start + 500]).execute()
    if with_records:
        with app.app_context():
            extra = Child.select().where(Child.name.startswith("测试")).order_by(Child.id.desc()).limit(20)
            for child in extra:
                concern, _ = raise_concern(child, county.users.head1, "soon", "反复缺课", date.today(),
                                           str(uuid.uuid4()))
                open_case(child, county.users.counselor1, date(2026, 11, 18), "key", ["family"], "目标", "措施",
                          county.users.counselor1, [county.users.head1], str(uuid.uuid4()), concern=concern)
        grow_visits(app, county)
        grow_village(app, county, children)
        grow_screening(app)
        grow_incident(app, county)


PAGES = {
    "counselor1": ["/", "/children/", "/concerns/", "/cases/", "/inbox/", "/inbox/badge",
                   "/children/{child}", "/concerns/{concern}", "/cases/{case}"],
    "principal1": ["/", "/children/", "/concerns/", "/cases/", "/cases/{case}", "/peer/reports/", "/peer/support/"],
    "head1": ["/", "/children/", "/concerns/", "/cases/", "/children/{child}"],
    "county": ["/", "/children/", "/concerns/", "/cases/", "/cases/settings/"],
    "zone1": ["/", "/concerns/", "/cases/"],
    "worker1": ["/", "/children/"],
    "committee1": ["/", "/peer/weekly", "/peer/support/new", "/peer/concern/new", "/peer/mine", "/help"],
}
# Home visits (家访): head1 logs two visits first (visit_steps.visits_for_query_counts).
PAGES["head1"] += ["/visits/", "/visits/new", "/visits/new?child={child}", "/visits/{visit}",
                   "/visits/class/{class41}/register", "/visits/class/{class41}/register.xlsx"]
PAGES["principal1"] += ["/visits/", "/visits/class/{class41}"]
PAGES["county"] += ["/visits/", "/visits/{visit}"]
PAGES["zone1"] += ["/visits/", "/visits/?school={school1}"]
# Village child workers (童伴妈妈): worker1 files a child, checks in and runs an activity first.
PAGES["worker1"] += ["/checkins/", "/checkins/new?child={child}", "/checkins/{checkin}", "/village/children/new",
                     "/village/activities/new", "/village/worklog", "/village/worklog.xlsx", "/concerns/"]
PAGES["county"] += ["/village/duties", "/village/worklog?worker={worker1}", "/checkins/rules/", "/checkins/{checkin}"]
PAGES["zone1"] += ["/village/duties", "/village/worklog?worker={worker1}"]
PAGES["counselor1"] += ["/checkins/{checkin}"]
# Dashboards (看板): every level and an export.
PAGES["county"] += ["/dashboard/", "/dashboard/zone/{zone1}", "/dashboard/school/{school1}",
                    "/dashboard/class/{class41}", "/dashboard/concerns.xlsx?zone={zone1}"]
PAGES["zone1"] += ["/dashboard/", "/dashboard/school/{school1}", "/dashboard/villages"]
PAGES["county"] += ["/dashboard/villages"]
PAGES["principal1"] += ["/dashboard/", "/dashboard/class/{class41}", "/dashboard/visits.xlsx?school={school1}"]
# Key groups (《实施方案》四、11): the children list filtered by each, and their dashboard table.
PAGES["counselor1"] += ["/children/?group=mental_health", "/children/?group=psychiatric_history",
                        "/visits/class/{class41}"]
PAGES["principal1"] += ["/children/?group=problem_family", "/dashboard/key_groups.xlsx?school={school1}"]
PAGES["head1"] += ["/children/?group=left_behind", "/visits/class/{class41}"]
PAGES["county"] += ["/children/?group=psychiatric_history", "/dashboard/key_groups.xlsx?zone={zone1}"]

# The school's programme (issue 19): the matrix is computed for every school at once.
PAGES["county"] += ["/programme/matrix", "/programme/matrix?sort=lesson&order=desc", "/programme/matrix.xlsx",
                    "/programme/report.xlsx", "/programme/school/{school1}",
                    "/programme/school/{school1}/requirement/lesson", "/programme/requirements"]
PAGES["zone1"] += ["/programme/matrix", "/programme/matrix/missing", "/programme/school/{school1}"]
PAGES["county"] += ["/programme/matrix/missing", "/programme/matrix/missing?sort=law&order=desc&page=2"]
PAGES["counselor1"] += ["/programme/school/{school1}", "/programme/activities", "/programme/activities/new"]
PAGES["principal1"] += ["/programme/report.xlsx"]
PAGES["head1"] += ["/programme/activities/new", "/programme/activities"]

# Annual screening (issue 18): rounds, coverage, the 测评预警 queue and a warning, self-check counts.
PAGES["counselor1"] += ["/screening/", "/screening/{round}", "/screening/warnings/", "/screening/warnings/{warning}",
                        "/screening/results/{result}", "/screening/{round}/import",
                        "/screening/administer?child={child}", "/screening/{round}/sessions", "/self-check/",
                        "/self-check/phq9"]
PAGES["principal1"] += ["/screening/{round}", "/self-check/counts"]
PAGES["head1"] += ["/screening/class"]
PAGES["county"] += ["/screening/", "/screening/settings", "/screening/{round}/coverage.xlsx", "/self-check/counts"]
PAGES["zone1"] += ["/screening/", "/screening/warnings/"]

# Critical incidents (issue 16): the list, an incident whose follow-up list grows with class 4-1,
# and the report form, for every role that reads them (worker1 sees only those she reported).
for _username in ("counselor1", "principal1", "head1", "county", "zone1"):
    PAGES[_username] += ["/incidents/", "/incidents/{incident}", "/incidents/new"]
PAGES["worker1"] += ["/incidents/", "/incidents/new"]


def _measure(login_as, ids):
    counts = {}
    for username, pages in PAGES.items():
        user = login_as(username)
        for page in pages:
            url = page.format(**ids)
            with counting_queries() as counter:
                response = user.get(url)
            assert response.status_code == 200, (username, url)
            counts[(username, url)] = counter["n"]
    return counts


def fill_matrix(app):
    """The day's kept compliance rows of every school, as the tick leaves them: a school's register
    reads its row, and the first reader of a day the tick has not filled computes it."""
    with app.app_context():
        kept.fill_day(today())


@pytest.mark.parametrize("small,large", [(40, 4000)])
def test_query_counts_do_not_grow_with_the_county(app, county, login_as, small, large):
    raise_by_http(login_as("head1"), county.kids.zhang_san)
    concern_id = Concern.get().id
    case_id = open_case_by_http(login_as("counselor1"), concern_id, county.users.counselor1,
                                members=[county.users.head1])
    ids = {"child": county.kids.zhang_san.id, "concern": concern_id, "case": case_id}
    ids.update(visits_for_query_counts(login_as, county))
    ids.update(village_for_query_counts(login_as, county))
    ids.update(zone1=county.zones[0].id, school1=county.schools[0].id, class41=county.classes.c41.id)
    ids.update(screening_for_query_counts(app, county))
    ids.update(incident_for_query_counts(login_as, county))

    grow_county(app, county, small)
    fill_matrix(app)
    before = _measure(login_as, ids)
    grow_county(app, county, large - small)
    fill_matrix(app)
    after = _measure(login_as, ids)
    assert Child.select().count() > large
    differing = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert not differing, differing
    assert max(after.values()) <= 40, after
