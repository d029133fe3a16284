"""The county's compliance matrix folded by zone (issue 19): a row per zone with its schools'
states per requirement, each opening that zone's matrix; 只看未达标 lists, a page at a time, the
schools that miss a requirement. A county of 400 schools then reads a light page on a phone."""
import re
from datetime import date

from webapp.clock import today
from webapp.models import CounsellingRoom, EmergencyPlan, School
from webapp.programme import compliance, views

from .programme_steps import staff

ZONE_CELL = re.compile(r'<a class="zone-states" href="/programme/matrix\?zone=(\d+)&amp;sort=(\w+)&amp;order=desc">'
                       r'(.*?)</a>')
COUNT = re.compile(r'<span class="visually-hidden">([^<]+)</span> (\d+)</span>')
STATE_WORDS = {"已达标": "met", "进行中": "open", "即将到期": "due_soon", "未达标": "missed"}


def text_of(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def matrix_body(page):
    return page.split('id="matrix"')[1].split("<tbody>")[1].split("</tbody>")[0]


def zone_counts(page):
    """{(zone id, requirement key): {state: schools}} as the county's page shows them."""
    return {(int(zone), key): {STATE_WORDS[word]: int(n) for word, n in COUNT.findall(cell)}
            for zone, key, cell in ZONE_CELL.findall(matrix_body(page))}


def computed_counts(app):
    """The same counts from the schools' own cells, computed from the records."""
    with app.app_context():
        schools = list(School.select())
        found = compliance.evaluate([s.id for s in schools], today())
    counts = {}
    for school in schools:
        for key, cell in found.cells[school.id].items():
            states = counts.setdefault((school.zone_id, key), {})
            states[cell.state] = states.get(cell.state, 0) + 1
    return counts, found


def nothing_missed(app, school):
    """A school with its 专职 teacher, a standard room open at set hours and this year's plan:
    mid-term, its activities are in progress, nothing is missed."""
    with app.app_context():
        staff(school, "刘老师", "full_time")
        CounsellingRoom.create(school=school, built=True, standard=True)
        School.update(counselling_hours="周一至周五 12:30–13:30").where(School.id == school.id).execute()
        EmergencyPlan.create(school=school, approved_on=date(2026, 9, 15))


def test_the_county_page_has_a_row_per_zone_counting_its_schools_states(app, county, login_as):
    nothing_missed(app, county.schools[0])
    page = text_of(login_as("county").get("/programme/matrix"))
    expected, found = computed_counts(app)
    assert zone_counts(page) == expected
    body = matrix_body(page)
    # Zones, not schools: each zone's line opens the zone's matrix, which has the school rows.
    assert [z.name in body for z in county.zones] == [True, True]
    assert not [s for s in county.schools if s.name in body] and "/programme/school/" not in body
    zone1 = text_of(login_as("county").get(f"/programme/matrix?zone={county.zones[0].id}&sort=room&order=desc"))
    assert county.schools[2].name in matrix_body(zone1) and county.schools[1].name not in matrix_body(zone1)
    assert f"/programme/school/{county.schools[0].id}/requirement/room" in zone1
    # Zone 1's room cell: school 1 met, school 3 missed.
    assert expected[(county.zones[0].id, "room")] == {"met": 1, "missed": 1}
    assert found.cells[county.schools[0].id]["room"].state == "met"


def test_zones_sort_by_the_schools_missing_a_requirement(app, county, login_as):
    nothing_missed(app, county.schools[1])  # zone 2's only school
    county_user = login_as("county")
    body = matrix_body(text_of(county_user.get("/programme/matrix?sort=room&order=desc")))
    assert body.index(county.zones[0].name) < body.index(county.zones[1].name)  # zone 1 misses it twice
    body = matrix_body(text_of(county_user.get("/programme/matrix?sort=room&order=asc")))
    assert body.index(county.zones[1].name) < body.index(county.zones[0].name)


def test_only_schools_missing_a_requirement_are_listed_a_page_at_a_time(app, county, login_as, monkeypatch):
    school1, school2, school3 = county.schools
    nothing_missed(app, school1)
    county_user = login_as("county")
    page = text_of(county_user.get("/programme/matrix"))
    assert 'href="/programme/matrix/missing"' in page and "只看未达标 (2)" in page
    body = matrix_body(text_of(county_user.get("/programme/matrix/missing")))
    _expected, found = computed_counts(app)
    missing = {s.name for s in county.schools if compliance.summary(found.cells[s.id])["missed"]}
    assert missing == {school2.name, school3.name}
    assert {s.name for s in county.schools if s.name in body} == missing
    assert f"/programme/school/{school2.id}/requirement/full_time" in body  # its records, a tap away
    # Sorted as the matrix is, and paged.
    monkeypatch.setattr(views, "MISSING_PER_PAGE", 1)
    first = text_of(county_user.get("/programme/matrix/missing?sort=name&order=asc"))
    second = text_of(county_user.get("/programme/matrix/missing?sort=name&order=asc&page=2"))
    names = sorted(missing)
    assert names[0] in matrix_body(first) and names[1] not in matrix_body(first)
    assert names[1] in matrix_body(second) and names[0] not in matrix_body(second)
    assert "page=2" in first and "下一页" in first and "page=1" in second and "下一页" not in second
    # A zone's own list: her zone's schools only.
    zone_body = matrix_body(text_of(login_as("zone1").get("/programme/matrix/missing")))
    assert school3.name in zone_body and school2.name not in zone_body


def test_the_filter_refuses_out_of_scope_users(app, county, login_as):
    assert login_as("zone1").get(f"/programme/matrix/missing?zone={county.zones[1].id}").status_code == 404
    for name in ("principal1", "counselor1", "head1", "worker1", "committee1"):
        assert login_as(name).get("/programme/matrix/missing").status_code == 404, name
    assert login_as("county").get(f"/programme/matrix/missing?zone={county.zones[1].id}").status_code == 200


def test_the_county_page_does_not_grow_with_its_schools(app, county, login_as):
    county_user = login_as("county")
    small = text_of(county_user.get("/programme/matrix"))
    with app.app_context():
        School.insert_many([{"name": f"测试学校{n}", "zone": county.zones[n % 2].id} for n in range(120)]).execute()
    large = text_of(county_user.get("/programme/matrix"))
    assert "测试学校" not in matrix_body(large)
    assert len(matrix_body(large).split("<tr>")) == len(county.zones) + 1
    assert len(large.encode()) < len(small.encode()) + 500  # only the counts' digits grow
    # The workbook keeps every school.
    assert login_as("county").get("/programme/matrix.xlsx").status_code == 200
