"""Dashboards (看板): the county drills down to a class; each viewer sees only her own scope."""
import io

import pytest
from openpyxl import load_workbook

from webapp.models import AuditEvent, School

from .dashboard_steps import known_records


def page(browser, url, status=200):
    response = browser.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_county_drills_down_from_the_county_to_a_class(county, login_as):
    known_records(county)
    browser = login_as("county")
    assert "看板" in page(browser, "/")  # linked from her home page
    top = page(browser, "/dashboard/")
    assert "看板 · 全县" in top and "本学年家访" in top and "各村童伴妈妈本期工作完成情况" in top
    assert f'href="/dashboard/zone/{county.zones[0].id}"' in top and "一片区" in top
    assert '<svg class="chart"' in top and "<script" not in top.split("<main")[1].split("</main>")[0]
    zone = page(browser, f"/dashboard/zone/{county.zones[0].id}")
    assert f'href="/dashboard/school/{county.schools[0].id}"' in zone and "天星镇中心小学" not in zone
    school = page(browser, f"/dashboard/school/{county.schools[0].id}")
    assert "看板 · 渠县第一小学" in school and f'href="/dashboard/class/{county.classes.c41.id}"' in school
    assert "心理委员配备(四年级起每班男女各一名)" in school and "复查逾期" in school
    one_class = page(browser, f"/dashboard/class/{county.classes.c42.id}")
    assert "渠县第一小学 4-2" in one_class
    assert f'href="/dashboard/zone/{county.zones[0].id}"' in one_class  # the way back up


def test_a_zone_sees_its_own_schools_and_nothing_of_another_zone(county, login_as):
    browser = login_as("zone1")
    mine = page(browser, "/dashboard/")
    assert "看板 · 一片区" in mine and "渠县第一小学" in mine and "渠县第三小学" in mine
    assert "天星镇中心小学" not in mine
    assert 'href="/dashboard/"' not in mine.split("<main")[1]  # no way up to the county
    page(browser, f"/dashboard/school/{county.schools[0].id}")
    page(browser, f"/dashboard/class/{county.classes.c41.id}")
    page(browser, f"/dashboard/zone/{county.zones[1].id}", 404)
    page(browser, f"/dashboard/school/{county.schools[1].id}", 404)
    page(browser, f"/dashboard/class/{county.classes.s2c41.id}", 404)
    page(browser, f"/dashboard/visits.xlsx?school={county.schools[1].id}", 404)
    page(browser, f"/dashboard/visits.xlsx?zone={county.zones[1].id}", 404)


def test_a_principal_sees_her_school_and_its_classes_only(county, login_as):
    browser = login_as("principal1")
    assert "看板" in page(browser, "/")
    mine = page(browser, "/dashboard/")
    assert "看板 · 渠县第一小学" in mine and "4-1" in mine and "各村童伴妈妈" not in mine
    page(browser, f"/dashboard/class/{county.classes.c31.id}")
    page(browser, f"/dashboard/zone/{county.zones[0].id}", 404)
    page(browser, f"/dashboard/school/{county.schools[2].id}", 404)
    page(browser, f"/dashboard/class/{county.classes.s3c51.id}", 404)
    page(browser, "/dashboard/villages.xlsx", 404)  # not a table of her level


@pytest.mark.parametrize("username", ["counselor1", "head1", "worker1", "committee1"])
def test_other_roles_have_no_dashboard(county, login_as, username):
    browser = login_as(username)
    assert 'href="/dashboard/"' not in page(browser, "/")
    for url in ("/dashboard/", f"/dashboard/school/{county.schools[0].id}", "/dashboard/visits.xlsx"):
        page(browser, url, 404)


@pytest.mark.parametrize("url", [
    "/dashboard/zone/999999", "/dashboard/school/999999", "/dashboard/class/999999", "/dashboard/zone/abc",
    "/dashboard/nothing.xlsx", "/dashboard/visits.xlsx?school=999999", "/dashboard/visits.xlsx?school=abc",
    "/dashboard/visits.xlsx?class=",
])
def test_unknown_ids_and_tables_are_not_found(county, login_as, url):
    page(login_as("county"), url, 404)


def test_each_table_downloads_as_a_spreadsheet_that_cannot_run_formulas(county, login_as):
    known_records(county)
    School.update(name="=HYPERLINK(\"http://x\")").where(School.id == county.schools[2].id).execute()
    browser = login_as("zone1")
    assert f'href="/dashboard/concerns.xlsx?zone={county.zones[0].id}"' in page(browser, "/dashboard/")
    response = browser.get(f"/dashboard/visits.xlsx?zone={county.zones[0].id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("单位", "学生数", "已家访", "覆盖情况", "重点群体本学期未家访")
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert rows[2] == ("渠县第一小学", 5, 2, "40%", 1)
    assert rows[-1][0] == "合计"
    event = AuditEvent.get(AuditEvent.action == "export_dashboard")
    assert event.object_type == "Zone" and '"table": "visits"' in event.detail.replace("'", '"')


def test_child_worker_duties_per_village_for_the_county_and_a_zone(county, login_as):
    everything = page(login_as("county"), "/dashboard/villages")
    assert "各村童伴妈妈本期工作完成情况" in everything and "三村" in everything and "一村" in everything
    browser = login_as("zone1")
    assert 'href="/dashboard/villages?zone=' in page(browser, "/dashboard/")
    mine = page(browser, "/dashboard/villages")
    assert "一村" in mine and "二村" in mine and "三村" not in mine  # 三村 lies in zone 2's township
    page(browser, f"/dashboard/villages?zone={county.zones[1].id}", 404)
    response = browser.get("/dashboard/villages.xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "村(社区)" and {r[0] for r in rows[1:]} == {"一村", "二村", "合计"}
    page(login_as("principal1"), "/dashboard/villages", 404)
