"""A duty's cadence reads as one phrase ("每名儿童每月", "per child per month"), on the work log,
the duty table and the work log's workbook, not two labels run together ("per childper month")."""
from io import BytesIO

from openpyxl import load_workbook

from .village_steps import check_in


def _pages(browser, county):
    log = browser.get(f"/village/worklog?worker={county.users.worker1.id}&month=2026-11").get_data(as_text=True)
    return log, browser.get("/village/duties").get_data(as_text=True)


def test_the_duty_cadence_is_one_phrase_in_chinese(county, login_as):
    check_in(login_as("worker1"), county.kids.zhang_san)
    log, duties = _pages(login_as("zone1"), county)
    assert "入户走访 · 每名儿童每月" in log and "童伴之家活动 · 每个村每周" in log
    assert "每名儿童每学期" in duties and "每个村每周" in duties
    assert "每个孩子每月" not in log + duties
    workbook = login_as("worker1").get("/village/worklog.xlsx?month=2026-11")
    rows = [row[0] for row in load_workbook(BytesIO(workbook.data))["汇总"].iter_rows(values_only=True) if row]
    assert "入户走访(每名儿童每月)" in rows


def test_the_duty_cadence_is_one_phrase_in_english(county, login_as):
    zone = login_as("zone1")
    assert zone.post("/profile", {"locale": "en"}).status_code == 302
    log, duties = _pages(zone, county)
    assert "In-home visit · per child per month" in log
    assert "per village per week" in duties and "once per child" in duties
    assert "childper" not in log + duties and "villageper" not in log + duties
