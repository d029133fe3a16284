"""One word per concept, as school staff speak (issue 15): 关注 is a risk level only — the record a
teacher sends is a 预警 and the urgencies are 常规 / 尽快处理 / 紧急; the plan is cited as 《实施方案》
with its section; the audit log speaks in words, not code names."""
import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.labels import RISK_LEVEL_LABELS, URGENCY_LABELS
from webapp.trust.audit_labels import ACTION_LABELS, OBJECT_LABELS

from .pages import rendered_pages

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locales/zh_Hans_CN/LC_MESSAGES/messages.po"
# 关注 used for the record (or as an urgency) rather than the level.
RECORD_AS_关注 = ("提出关注", "新的关注", "未结关注", "关注已发送", "的关注", "紧急关注", "已转为关注",
                 "上报关注", "需要关注", "督导日志", "复评逾期", "制度第", "请先取消")


def _catalog():
    with PO.open("rb") as po_file:
        return read_po(po_file)


def _zh(catalog, msgid):
    return catalog.get(msgid).string


def test_the_levels_and_the_urgencies_share_no_word():
    catalog = _catalog()
    levels = {_zh(catalog, str(label._args[0])) for label in RISK_LEVEL_LABELS.values()}
    urgencies = {_zh(catalog, str(label._args[0])) for label in URGENCY_LABELS.values()}
    assert levels == {"一般", "关注", "重点", "高危"}
    assert urgencies == {"常规", "尽快处理", "紧急"}
    assert not any(level in urgency for level in levels for urgency in urgencies)


def test_the_catalog_calls_the_record_预警_and_cites_the_plan_by_name():
    catalog = _catalog()
    wrong = [(m.id, m.string) for m in catalog if m.id and any(w in (m.string or "") for w in RECORD_AS_关注)]
    assert not wrong, wrong
    assert _zh(catalog, "Raise a concern") == "上报预警"
    assert _zh(catalog, "Concern about %(name)s") == "关于 %(name)s 的预警"
    assert _zh(catalog, "Raised by") == "上报人"


def test_no_citation_of_a_制度_in_templates_code_or_catalog():
    found = []
    for pattern in ("templates/**/*.html", "webapp/**/*.py", "locales/**/*.po"):
        for path in ROOT.glob(pattern):
            text = path.read_text(encoding="utf-8")
            if "制度第" in text or "§四" in text:
                found.append(str(path.relative_to(ROOT)))
    assert not found


def test_no_chinese_page_uses_关注_for_the_record(app, world, login_as):
    problems, pages = [], 0
    for page, html in rendered_pages(app, world, login_as):
        pages += 1
        problems += [f"{page}: {word}" for word in RECORD_AS_关注 if word in html]
    assert pages > 150
    assert not problems, "\n".join(problems)


# --- the audit log in words ---------------------------------------------------------------------

def _recorded_actions():
    """Every action code the app records: the first argument of audit.record(...) and the second
    of save_recorded(...), followed through `action = ...` assignments, conditional expressions
    and module constants. A call it cannot follow is returned as unresolved."""
    actions, unresolved = set(), []
    for path in (ROOT / "webapp").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name)}
        # save_recorded passes its caller's action on: its callers are read instead.
        helper = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == "save_recorded"
                  for n in ast.walk(f)}
        for node in ast.walk(tree):
            if id(node) in helper:
                continue
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "record" and getattr(func.value, "id", "") == "audit":
                argument = node.args[0]
            elif isinstance(func, ast.Name) and func.id == "save_recorded" and len(node.args) > 1:
                argument = node.args[1]
            else:
                continue
            found = _strings(argument, constants)
            if found is None:
                unresolved.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            else:
                actions |= found
    return actions, unresolved


def _strings(node, constants, depth=0):
    if depth > 5:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, constants, depth + 1), _strings(node.orelse, constants, depth + 1)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.Name) and node.id in constants:
        return _strings(constants[node.id], constants, depth + 1)
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_action":
        # admin/views_org.py: f"admin_{'update' if obj.id else 'create'}_{what}" for its four places.
        return {f"admin_{verb}_{what}" for verb in ("create", "update")
                for what in ("zone", "township", "village", "school")}
    return None


def test_every_action_the_code_records_has_a_label():
    actions, unresolved = _recorded_actions()
    assert not unresolved, f"audit actions this test cannot read: {unresolved}"
    assert len(actions) > 60
    missing = sorted(actions - set(ACTION_LABELS))
    assert not missing, f"give these audit actions a label in webapp/trust/audit_labels.py: {missing}"


def test_every_kind_of_record_has_a_label():
    import webapp.models as models

    kinds = {name for name, value in vars(models).items()
             if isinstance(value, type) and hasattr(value, "_meta") and name != "BaseModel"}
    internal = {"Lease", "LoginAttempt", "OutboundMessage", "RecoveryCode", "ReportMention", "SchoolChildren",
                "SignIn", "Tally", "WorkerVillage"}  # never an audit event's object
    missing = sorted(kinds - internal - set(OBJECT_LABELS))
    assert not missing, f"give these kinds of record a label in webapp/trust/audit_labels.py: {missing}"


def test_every_label_has_its_chinese():
    catalog = _catalog()
    missing = [str(label._args[0]) for label in [*ACTION_LABELS.values(), *OBJECT_LABELS.values()]
               if not (catalog.get(str(label._args[0])) and catalog.get(str(label._args[0])).string)]
    assert not missing


def test_the_audit_log_shows_words_not_code_names(world, login_as):
    county = login_as("county")
    html = county.get("/audit/").get_data(as_text=True)
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    assert not re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", table)
    assert not re.findall(r"\b(?:HomeVisit|CheckIn|WeeklyReport|LeftBehindFile|LinkRequest) #", table)
    for words in ("登录", "已上报预警", "登记家访", "查看个案"):
        assert words in table, words
    options = html[html.index('name="action"'):]
    options = options[:options.index("</select>")]
    assert "create_home_visit" in options and ">登记家访<" in options  # the code is the value, the word is shown


# --- /help: the plan's 心理咨询电子邮箱 and the county's own aid service (《实施方案》四、18) -----------

def test_help_links_the_schools_counselling_email(app, county, browser):
    school = county.schools[0]
    with app.app_context():
        type(school).update(mailbox="xinli@qxyx.edu.cn").where(type(school).id == school.id).execute()
    page = browser.get(f"/help?school={school.id}").get_data(as_text=True)
    assert 'href="mailto:xinli@qxyx.edu.cn"' in page and "心理咨询电子邮箱" in page
    assert "投进心理信箱" not in page
    with app.app_context():
        type(school).update(mailbox="行政楼一楼东侧").where(type(school).id == school.id).execute()
    page = browser.get(f"/help?school={school.id}").get_data(as_text=True)
    assert "行政楼一楼东侧" in page and "投进心理信箱" in page and "mailto:" not in page


def test_help_shows_the_countys_hotline_account_and_website_when_set(app, county, browser):
    assert "县心理援助服务" not in browser.get("/help").get_data(as_text=True)
    app.config.update(COUNTY_AID_HOTLINE="0818-7321234", COUNTY_AID_WECHAT="渠县心理健康",
                      COUNTY_AID_WEBSITE="https://xinli.qx.example.cn")
    try:
        page = browser.get("/help").get_data(as_text=True)
        assert "县心理援助服务" in page and 'href="tel:08187321234"' in page
        assert "渠县心理健康" in page and "微信公众号" in page
        assert 'href="https://xinli.qx.example.cn"' in page
        app.config["COUNTY_AID_WEBSITE"] = "javascript:alert(1)"
        assert "javascript:" not in browser.get("/help").get_data(as_text=True)
        english = browser.get("/help", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "psychological aid" in english and "青少年服务台" not in english and "公共卫生热线" not in english
    finally:
        app.config.update(COUNTY_AID_HOTLINE="", COUNTY_AID_WECHAT="", COUNTY_AID_WEBSITE="")


def test_the_child_form_asks_for_a_姓名_and_a_village_counts_its_儿童(county, login_as):
    form = login_as("principal1").get(f"/admin/schools/{county.schools[0].id}/children/new").get_data(as_text=True)
    assert re.search(r"<label[^>]*>\s*姓名", form) and not re.search(r"<label[^>]*>\s*名称", form)
    home = login_as("worker1").get("/").get_data(as_text=True)
    assert re.search(r"\d+ 名儿童", home) and "名学生" not in home
