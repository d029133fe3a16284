"""Importing rosters from XLSX or CSV: all rows or none, every bad row reported with its line
number and reason, and importing the same file again changes nothing."""
import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from webapp.admin.import_children import import_children
from webapp.admin.import_formats import CHILD_COLUMNS
from webapp.admin.import_users import import_users
from webapp.models import AuditEvent, Child, ClassTeacher, School, SchoolClass, User, WorkerVillage

YEAR = 2026
CHILD_HEADER = ["年级", "班号", "姓名", "性别(男/女)", "出生日期", "家庭所在村", "留守", "单亲", "困境",
                "监护人姓名", "监护人关系", "监护人电话"]
GOOD_CHILDREN = [
    [4, 1, "钱多多", "女", date(2016, 9, 1), "一村", "是", "", "", "钱奶奶", "祖母", "13800000001"],
    [5, 3, "冯小宝", "男", "2015/3/12", "", "否", "是", "", "", "", ""],
    [5, 3, "卫兰", "女", "2015年7月8日", "渠江街道/二村", "", "", "是", "卫父", "父亲", ""],
    [4, 1, "张三", "男", "2016-05-01", "", "", "", "", "", "", ""],  # already in class 4-1
]
USER_HEADER = ["用户名", "姓名", "角色", "手机", "片区", "学校", "班级", "村", "初始密码"]


@pytest.fixture(autouse=True)
def english(county):
    """Read pages in English (the msgids), whatever the Chinese catalog says."""
    User.update(locale="en").execute()


def xlsx(header, rows):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(header, rows, encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([[str(value) for value in row] for row in rows])
    return text.getvalue().encode(encoding)


def messages(app, outcome):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return [str(error) for error in outcome.errors]


def accounts(app, actor, filename, data):
    """Import accounts as `actor` (hashing passwords needs the app's settings)."""
    with app.app_context():
        return import_users(actor, YEAR, filename, data)


def counts(outcome):
    return outcome.created, outcome.updated, outcome.unchanged


def snapshot():
    return (
        [tuple(row) for row in Child.select().order_by(Child.id).tuples()],
        SchoolClass.select().count(),
        [tuple(row) for row in User.select().order_by(User.id).tuples()],
        ClassTeacher.select().count(),
        WorkerVillage.select().count(),
    )


# --- classes and children, as plain functions ------------------------------------------------

def test_a_good_xlsx_file_creates_classes_and_children(county):
    school = county.schools[0]
    outcome = import_children(school, YEAR, "名单.xlsx", xlsx(CHILD_HEADER, GOOD_CHILDREN))
    assert outcome.ok and counts(outcome) == (3, 0, 1) and outcome.classes_created == 1
    new_class = SchoolClass.get(school=school, school_year=YEAR, grade=5, number=3)
    feng = Child.get(name="冯小宝")
    assert (feng.school_class_id, feng.school_id) == (new_class.id, school.id)
    assert feng.birth_date == date(2015, 3, 12)
    assert feng.single_parent and not feng.left_behind
    qian = Child.get(name="钱多多")
    assert qian.school_class_id == county.classes.c41.id and qian.village_id == county.villages[0].id
    assert (qian.guardian_name, qian.guardian_phone, qian.left_behind) == ("钱奶奶", "13800000001", True)
    assert Child.get(name="卫兰").village_id == county.villages[1].id
    assert AuditEvent.select().where(AuditEvent.action == "admin_create_child").count() == 3


def test_the_same_file_imported_again_changes_nothing(county):
    school = county.schools[0]
    data = xlsx(CHILD_HEADER, GOOD_CHILDREN)
    import_children(school, YEAR, "名单.xlsx", data)
    before = snapshot()
    again = import_children(school, YEAR, "名单.xlsx", data)
    assert again.ok and counts(again) == (0, 0, 4) and again.classes_created == 0
    assert snapshot() == before


def test_a_changed_row_updates_that_child_only(county):
    school = county.schools[0]
    import_children(school, YEAR, "名单.xlsx", xlsx(CHILD_HEADER, GOOD_CHILDREN))
    changed = [row[:] for row in GOOD_CHILDREN]
    changed[0][11] = "13800000002"
    changed[1][0] = 4  # 冯小宝 moves to class 4-3
    outcome = import_children(school, YEAR, "名单.xlsx", xlsx(CHILD_HEADER, changed))
    assert counts(outcome) == (0, 2, 2) and outcome.classes_created == 1
    assert Child.get(name="钱多多").guardian_phone == "13800000002"
    assert Child.get(name="冯小宝").school_class.label == "4-3"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_a_csv_file_in_any_usual_encoding_imports_the_same(county, encoding):
    data = csv_bytes(CHILD_HEADER, GOOD_CHILDREN, encoding)
    outcome = import_children(county.schools[0], YEAR, "名单.csv", data)
    assert outcome.ok and counts(outcome) == (3, 0, 1)
    assert Child.get(name="卫兰").birth_date == date(2015, 7, 8)


@pytest.mark.parametrize("written", ["2016-05-01", "2016/5/1", "2016.05.01", "2016年5月1日", "20160501", "42491"])
def test_a_birth_date_is_read_however_the_spreadsheet_wrote_it(county, written):
    row = [4, 2, "日期", "女", written, "", "", "", "", "", "", ""]
    outcome = import_children(county.schools[0], YEAR, "名单.csv", csv_bytes(CHILD_HEADER, [row]))
    assert outcome.ok and Child.get(name="日期").birth_date == date(2016, 5, 1)


def test_a_birth_date_in_the_future_is_refused(county):
    row = [4, 2, "未来", "女", "2030-01-01", "", "", "", "", "", "", ""]
    outcome = import_children(county.schools[0], YEAR, "名单.csv", csv_bytes(CHILD_HEADER, [row]))
    assert [error.line for error in outcome.errors] == [2]


def test_a_child_a_village_registered_becomes_the_schools_pupil_not_a_second_child(county):
    row = [4, 2, "郑十", "女", "2016-05-01", "一村", "", "", "", "", "", ""]
    outcome = import_children(county.schools[0], YEAR, "名单.csv", csv_bytes(CHILD_HEADER, [row]))
    assert counts(outcome) == (0, 1, 0)
    assert Child.select().where(Child.name == "郑十").count() == 1
    assert Child.get(name="郑十").school_class_id == county.classes.c42.id


BAD_CHILDREN = [
    [4, 1, "好孩子", "女", "2016-01-02", "", "", "", "", "", "", ""],       # line 2: good
    ["十三", 1, "坏年级", "男", "2016-01-02", "", "", "", "", "", "", ""],  # line 3: grade
    [4, 1, "性别错", "男孩子", "2016-01-02", "", "", "", "", "", "", ""],  # line 4: sex
    [4, 1, "日期错", "女", "2016-13-01", "不存在村", "", "", "", "", "", ""],  # line 5: date and village
    [4, 1, "好孩子", "女", "2016-01-02", "", "", "", "", "", "", ""],       # line 6: same as line 2
    [4, 1, "", "女", "2016-01-02", "", "可能", "", "", "", "", "电话"],     # line 7: name, flag, phone
]


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_error(county, app):
    before = snapshot()
    outcome = import_children(county.schools[0], YEAR, "名单.xlsx", xlsx(CHILD_HEADER, BAD_CHILDREN))
    assert not outcome.ok
    assert [error.line for error in outcome.errors] == [3, 4, 5, 5, 6, 7, 7, 7]
    assert snapshot() == before
    text = messages(app, outcome)
    assert text[0] == "Line 3: the grade must be a number from 1 to 12."
    assert "Line 5: the birth date “2016-13-01”" in text[2]
    assert text[3] == "Line 5: there is no village “不存在村”."
    assert text[4] == "Line 6: the same child (name, sex and birth date) as line 2."
    assert text[5] == "Line 7: the name is missing."


def test_a_file_without_the_needed_columns_is_refused_as_a_whole(county, app):
    data = csv_bytes(["姓名", "性别"], [["甲", "男"]])
    outcome = import_children(county.schools[0], YEAR, "名单.csv", data)
    assert not outcome.ok
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "年级、班号、出生日期" in str(outcome.file_error)


@pytest.mark.parametrize("filename, data", [
    ("名单.xlsx", b"this is no spreadsheet"), ("名单.txt", b"a,b"), ("名单.csv", b""),
])
def test_an_unreadable_file_is_refused_with_a_reason(county, filename, data):
    outcome = import_children(county.schools[0], YEAR, filename, data)
    assert outcome.file_error is not None and Child.select().count() == 9


def test_moving_a_committee_member_into_a_full_seat_is_refused(county, app):
    # 张三 (boy, committee, 4-1) would join 4-2, where 王五 already sits for the boys.
    wang_wu = county.kids.wang_wu
    User.create(username="wangwu", display_name="王五", role="committee", password_hash="x",
                school=county.schools[0], child=wang_wu)
    rows = [[4, 2, "张三", "男", "2016-05-01", "", "", "", "", "", "", ""]]
    outcome = import_children(county.schools[0], YEAR, "名单.csv", csv_bytes(CHILD_HEADER, rows))
    assert [error.line for error in outcome.errors] == [2]
    assert "psychology committee" in messages(app, outcome)[0]
    assert Child.get_by_id(county.kids.zhang_san.id).school_class_id == county.classes.c41.id


# --- accounts, as plain functions ------------------------------------------------------------

GOOD_USERS = [
    ["head7", "陈老师", "班主任", "13900000007", "", "渠县第一小学", "4-2、3-1", "", "a-long-password"],
    ["wangwu", "王五", "心理委员", "", "", "渠县第一小学", "4-2", "", "246810"],
    ["worker7", "刘妈妈", "童伴妈妈", "", "", "", "", "一村、二村", "another-password"],
    ["zone7", "片区老师", "片区教师", "", "二片区", "", "", "", "zone-password-7"],
]


def test_the_county_imports_accounts_with_their_scope(county, app):
    outcome = accounts(app, county.users.county, "账号.xlsx", xlsx(USER_HEADER, GOOD_USERS))
    assert outcome.ok and counts(outcome) == (4, 0, 0)
    head = User.get(username="head7")
    classes = {link.school_class_id for link in head.class_links}
    assert classes == {county.classes.c42.id, county.classes.c31.id}
    pupil = User.get(username="wangwu")
    assert (pupil.role, pupil.child_id) == ("committee", county.kids.wang_wu.id)
    assert pupil.school_id == county.schools[0].id
    assert {link.village_id for link in User.get(username="worker7").village_links} == {
        county.villages[0].id, county.villages[1].id
    }
    assert User.get(username="zone7").zone_id == county.zones[1].id


def test_importing_the_same_accounts_again_changes_nothing(county, app):
    data = xlsx(USER_HEADER, GOOD_USERS)
    accounts(app, county.users.county, "账号.xlsx", data)
    before = snapshot()
    again = accounts(app, county.users.county, "账号.xlsx", data)
    assert again.ok and counts(again) == (0, 0, 4)
    assert snapshot() == before


def test_the_committee_rule_holds_in_an_import(county, app):
    Child.create(name="钱七", sex="m", birth_date=date(2016, 3, 3), school_class=county.classes.c42)
    rows = [
        ["wangwu", "王五", "心理委员", "", "", "", "4-2", "", "246810"],    # line 2: boy seat of 4-2
        ["qianqi", "钱七", "心理委员", "", "", "", "4-2", "", "246811"],    # line 3: a second boy
        ["sunqi", "孙七", "心理委员", "", "", "", "3-1", "", "246812"],     # line 4: grade 3
        ["zhaoliu", "赵六", "心理委员", "", "", "", "4-2", "", "246813"],   # line 5: girl seat, fine
    ]
    before = snapshot()
    outcome = accounts(app, county.users.principal1, "账号.csv", csv_bytes(USER_HEADER, rows))
    assert [error.line for error in outcome.errors] == [3, 4]
    text = messages(app, outcome)
    assert text == [
        "Line 3: class 4-2 already has a boy committee member.",
        "Line 4: class 3-1 is grade 3; committee members are chosen from grade 4 up.",
    ]
    assert snapshot() == before


def test_a_seat_already_filled_in_the_app_counts_too(county, app):
    Child.create(name="钱七", sex="m", birth_date=date(2016, 3, 3), school_class=county.classes.c41)
    rows = [["qianqi", "钱七", "心理委员", "", "", "", "4-1", "", "246811"]]
    outcome = accounts(app, county.users.principal1, "账号.csv", csv_bytes(USER_HEADER, rows))
    assert messages(app, outcome) == ["Line 2: class 4-1 already has a boy committee member."]


def test_a_principal_imports_only_her_own_schools_teachers_and_pupils(county, app):
    rows = [
        ["boss", "新校长", "校长", "", "", "", "", "", "a-long-password"],              # line 2
        ["head8", "他校老师", "班主任", "", "", "天星镇中心小学", "", "", "a-long-password"],  # line 3
        ["head3", "别校班主任", "班主任", "", "", "", "", "", ""],                      # line 4
        ["head9", "短密码", "班主任", "", "", "", "9-9", "", "short"],                  # line 5
    ]
    outcome = accounts(app, county.users.principal1, "账号.csv", csv_bytes(USER_HEADER, rows))
    assert [error.line for error in outcome.errors] == [2, 3, 4, 5, 5]
    text = messages(app, outcome)
    assert "head teachers and committee members only" in text[0]
    assert "your own school only" in text[1]
    assert "head3 is already taken" in text[2]
    assert "has no class “9-9”" in text[3] and "at least 10 characters" in text[4]
    assert not User.select().where(User.username.in_(["boss", "head8", "head9"])).exists()


# --- through the pages ---------------------------------------------------------------------

def upload(browser, url, filename, data, **fields):
    """Send a file as the import form does; the page's text comes back."""
    fields["file"] = (io.BytesIO(data), filename)
    return browser.post(url, fields, content_type="multipart/form-data").get_data(as_text=True)


def test_a_principal_imports_her_roster_and_a_repeat_changes_nothing(county, login_as):
    principal = login_as("principal1")
    assert principal.get("/admin/import/children").status_code == 200
    data = xlsx(CHILD_HEADER, GOOD_CHILDREN)
    html = upload(principal, "/admin/import/children", "名单.xlsx", data, school_year=YEAR)
    assert "Imported: 3 new, 0 updated, 1 unchanged." in html and "1 new classes." in html
    html = upload(principal, "/admin/import/children", "名单.xlsx", data, school_year=YEAR)
    assert "Imported: 0 new, 0 updated, 4 unchanged." in html
    assert Child.select().where(Child.school == county.schools[0].id).count() == 8


def test_a_bad_file_shows_every_wrong_line_and_stores_nothing(county, login_as):
    principal = login_as("principal1")
    before = snapshot()
    data = csv_bytes(CHILD_HEADER, BAD_CHILDREN)
    html = upload(principal, "/admin/import/children", "名单.csv", data, school_year=YEAR)
    assert "Nothing was imported" in html
    for line in (3, 4, 5, 6, 7):
        assert f"Line {line}:" in html
    assert "Line 2:" not in html
    assert snapshot() == before


def test_the_county_imports_children_into_the_school_she_chooses(county, login_as):
    county_user = login_as("county")
    rows = [[4, 1, "新来的", "男", "2016-02-02", "三村", "是", "", "", "", "", ""]]
    school2 = county.schools[1]
    html = upload(county_user, "/admin/import/children", "名单.csv", csv_bytes(CHILD_HEADER, rows),
                  school=school2.id, school_year=YEAR)
    assert "Imported: 1 new" in html
    assert Child.get(name="新来的").school_class_id == county.classes.s2c41.id


def test_a_principal_cannot_import_into_another_school(county, login_as):
    principal = login_as("principal1")
    rows = [[4, 1, "新来的", "男", "2016-02-02", "", "", "", "", "", "", ""]]
    upload(principal, "/admin/import/children", "名单.csv", csv_bytes(CHILD_HEADER, rows),
           school=county.schools[1].id, school_year=YEAR)
    assert Child.get(name="新来的").school_id == county.schools[0].id


def test_the_children_template_downloads_fills_in_and_imports(county, login_as):
    principal = login_as("principal1")
    response = principal.get("/admin/import/children/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == [column.header for column in CHILD_COLUMNS]
    assert workbook.sheetnames[1] == "填写说明"
    sheet.append([6, 1, "模板里的孩子", "女", "2014-04-04", "", "", "", "", "", "", ""])
    output = io.BytesIO()
    workbook.save(output)
    html = upload(principal, "/admin/import/children", "名单.xlsx", output.getvalue(), school_year=YEAR)
    assert "Imported: 1 new" in html


def test_the_users_template_lists_schools_without_running_a_formula(county, login_as):
    School.create(name="=HYPERLINK(\"http://x\")", zone=county.zones[0])
    response = login_as("county").get("/admin/import/users/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert [cell.value for cell in workbook.worksheets[0][1]][:3] == ["用户名", "姓名", "角色"]
    values = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "渠县第一小学" in values and "'=HYPERLINK(\"http://x\")" in values


def test_accounts_import_through_the_page(county, login_as):
    county_user = login_as("county")
    data = xlsx(USER_HEADER, GOOD_USERS)
    html = upload(county_user, "/admin/import/users", "账号.xlsx", data)
    assert "Imported: 4 new, 0 updated, 0 unchanged." in html
    html = upload(county_user, "/admin/import/users", "账号.xlsx", data)
    assert "Imported: 0 new, 0 updated, 4 unchanged." in html


@pytest.mark.parametrize("url", [
    "/admin/import/children", "/admin/import/users", "/admin/import/children/template.xlsx",
])
def test_a_head_teacher_cannot_import(login_as, url):
    assert login_as("head1").get(url).status_code == 404


def test_a_chinese_principal_reads_every_import_error_in_chinese(county, login_as):
    User.update(locale=None).execute()  # her browser's language: Chinese
    principal = login_as("principal1")
    html = upload(principal, "/admin/import/children", "名单.csv", csv_bytes(CHILD_HEADER, BAD_CHILDREN),
                  school_year=YEAR)
    assert "没有导入任何数据" in html
    for line in (3, 4, 5, 6, 7):
        assert f"第 {line} 行:" in html
    assert "Line " not in html
