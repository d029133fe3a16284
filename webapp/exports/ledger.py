"""The provincial ledger (省中小学生心理健康台账): children at 重点/高危 in the user's scope, as XLSX."""
from datetime import date

import xlsxwriter
from peewee import JOIN, fn

from ..access import visible_cases
from ..clock import to_local
from ..models import Case, CaseMember, CaseNote, Child, Referral, School, SchoolClass, User
from ..safeguarding.rules import LEDGER_LEVELS
from ..xlsx import safe_cell, spooled_file

# The headers and labels are data for the provincial system, which takes them in Chinese.
HEADERS = (
    "学校", "班级", "姓名", "性别", "出生日期", "风险等级",
    "问题类别", "责任人", "建档日期", "最近跟进", "转介状态",
)
WIDTHS = (22, 10, 10, 6, 12, 10, 28, 12, 12, 12, 10)
LEVEL_NAMES = {"key": "重点", "high": "高危"}
LEVEL_RANK = {"key": 1, "high": 2}
SEX_NAMES = {"m": "男", "f": "女"}
CATEGORY_NAMES = {
    "mental_health": "心理健康问题",
    "family": "问题家庭",
    "left_behind": "留守",
    "psychiatric_history": "精神病史",
    "other": "其他",
}
NO_REFERRAL, REFERRAL_PENDING, REFERRAL_DONE = "无", "转介中", "已有结果"
# A pupil at 重点/高危 by a screening (《实施方案》四、8) and not (yet) on a case: the ledger takes her too.
SCREENING_CATEGORY = "心理测评预警"
DATE_FORMAT = "yyyy-mm-dd"


def _ledger_scope(user):
    return visible_cases(user).where((Case.status == "open") & Case.level.in_(LEDGER_LEVELS))


def ledger_cases(user):
    """One case per child (the highest level, then the newest), with child, class, school and
    responsible adult, in one query."""
    responsible = User.alias()
    query = (
        _ledger_scope(user)
        .select(Case, Child, SchoolClass, School, CaseMember, responsible)
        .join_from(Case, Child)
        .join_from(Child, SchoolClass, JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
        .join_from(Child, School, JOIN.LEFT_OUTER, on=(Child.school == School.id))
        .join_from(Case, CaseMember, JOIN.LEFT_OUTER,
                   on=((CaseMember.case == Case.id) & CaseMember.responsible), attr="responsible_link")
        .join_from(CaseMember, responsible, JOIN.LEFT_OUTER, on=(CaseMember.user == responsible.id),
                   attr="person")
        .order_by(School.name, SchoolClass.grade, SchoolClass.number, Child.name_pinyin, Child.id, Case.id)
    )
    chosen = {}
    for case in query:
        current = chosen.get(case.child_id)
        if current is None or (LEVEL_RANK[case.level], case.opened_at) > (LEVEL_RANK[current.level],
                                                                             current.opened_at):
            chosen[case.child_id] = case
    return list(chosen.values())  # dicts keep the first-seen (sorted) order of children


def latest_contacts(user):
    """{case id: date of the latest follow-up note}, one grouped query."""
    ids = _ledger_scope(user).select(Case.id)
    latest = fn.MAX(CaseNote.contacted_on).python_value(CaseNote.contacted_on.python_value)
    return dict(
        CaseNote.select(CaseNote.case, latest).where(CaseNote.case.in_(ids)).group_by(CaseNote.case).tuples()
    )


def referral_states(user):
    """{case id: referral status label}, one grouped query (COUNT of a column skips NULLs)."""
    ids = _ledger_scope(user).select(Case.id)
    rows = (
        Referral.select(Referral.case, fn.COUNT(Referral.id), fn.COUNT(Referral.outcome_on))
        .where(Referral.case.in_(ids))
        .group_by(Referral.case)
        .tuples()
    )
    return {case_id: REFERRAL_PENDING if total > done else REFERRAL_DONE for case_id, total, done in rows}


def _class_name(grade, number):
    return f"{grade}年级{number}班" if grade is not None else ""


def ledger_rows(user):
    """The ledger as rows of plain values (text still unescaped), in school/class/name order."""
    cases = ledger_cases(user)
    contacts, referrals = latest_contacts(user), referral_states(user)
    rows = []
    for case in cases:
        child = case.child
        link = getattr(case, "responsible_link", None)
        person = getattr(link, "person", None) if link is not None and link.id else None
        rows.append((
            child.school.name if child.school_id else "",
            _class_name(child.school_class.grade, child.school_class.number) if child.school_class_id else "",
            child.name,
            SEX_NAMES.get(child.sex, ""),
            child.birth_date,
            LEVEL_NAMES[case.level],
            "、".join(CATEGORY_NAMES.get(code, code) for code in case.category_list),
            person.display_name if person is not None else "",
            to_local(case.opened_at).date(),
            contacts.get(case.id),
            referrals.get(case.id, NO_REFERRAL),
        ))
    from ..screening.overview import ledger_warnings

    on_a_case = {case.child_id for case in cases}
    for school, grade, number, name, sex, birth_date, level, raised_at, interviewed_on in ledger_warnings(
            user, on_a_case):
        rows.append((
            school or "", _class_name(grade, number), name, SEX_NAMES.get(sex, ""), birth_date, LEVEL_NAMES[level],
            SCREENING_CATEGORY, "", to_local(raised_at).date(), interviewed_on, NO_REFERRAL,
        ))
    return rows


def build_ledger(user):
    """The ledger as an XLSX file (xlsx.spooled_file, at its start) and its number of rows.
    Written by XlsxWriter, at about twice openpyxl's speed for a county's thousand rows; every text
    cell goes through safe_cell and is written as a string, so names and labels from users never
    become formulas."""
    rows = ledger_rows(user)
    spool = spooled_file()
    workbook = xlsxwriter.Workbook(spool, {"in_memory": True})
    sheet = workbook.add_worksheet("重点高危台账")
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    bold, day = workbook.add_format({"bold": True}), workbook.add_format({"num_format": DATE_FORMAT})
    for column, title in enumerate(HEADERS):
        sheet.write_string(0, column, title, bold)
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(number, column, value, day)
            else:
                sheet.write_string(number, column, safe_cell(value))
    workbook.close()
    spool.seek(0)
    return spool, len(rows)
