"""The key groups on the child (三类人群 and 有精神病史学生, 《实施方案》四、11): where each comes
from, the children list's filters, the dashboards' counts, the home-visit rule, and 精神病史 kept
from everyone but psychology teachers, the zone and the county."""
import io
import re
import uuid
from datetime import datetime

from openpyxl import load_workbook

from webapp.dashboard import board
from webapp.models import AuditEvent, Case, Child, Concern, LeftBehindFile, PsychiatricHistory

from .pages import rendered_pages
from .safeguarding_steps import open_case, raise_concern
from .visit_steps import log_visit

# What would name a psychiatric history on a page, in either language or as a code.
HIDDEN = ("精神病史", "Psychiatric history", "psychiatric_history", "psychiatric-history")
NOT_TOLD = ("principal", "head_teacher", "committee", "child_worker")
NOT_TOLD_USERS = ("principal1", "head1", "committee1", "worker1")


def text(browser, url, data=None, status=200):
    response = browser.get(url) if data is None else browser.post(url, data)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def names_listed(html):
    """The children's names a children list shows, in order."""
    return re.findall(r"<strong>([^<]+)</strong>", html.split('id="results"')[1])


def record_history(app, *children):
    with app.app_context():
        for child in children:
            PsychiatricHistory.create(child=child.id)


def section(html, anchor):
    """The part of a page from a card's id to the next card."""
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


# --- where each group comes from ----------------------------------------------------------

def test_mental_health_is_an_open_case_and_leaves_with_its_closing(county, login_as):
    counselor = login_as("counselor1")
    li_si = county.kids.li_si
    assert "李四" not in names_listed(text(counselor, "/children/?group=mental_health"))
    raise_concern(login_as("head1"), li_si)
    case_id = open_case(counselor, Concern.get(Concern.child == li_si.id).id, county.users.counselor1)
    assert names_listed(text(counselor, "/children/?group=mental_health")) == ["李四"]
    assert "心理健康问题" in text(counselor, f"/children/{li_si.id}")
    counselor.get(f"/cases/{case_id}")
    counselor.post(f"/cases/{case_id}/close", {"reason": "连续两月情况良好"})
    assert "李四" not in names_listed(text(counselor, "/children/?group=mental_health"))
    facts = text(counselor, f"/children/{li_si.id}").split("<dt>重点群体</dt>")[1].split("</dd>")[0]
    assert "心理健康问题" not in facts


def test_a_file_on_the_register_tags_the_child_left_behind_whoever_writes_it(app, county, login_as):
    wang_wu, li_si = county.kids.wang_wu, county.kids.li_si
    with app.app_context():
        assert not Child.get_by_id(wang_wu.id).left_behind
        # Written past the worker's form (an import, a script): the database still tags her.
        record = LeftBehindFile.create(child=wang_wu.id, guardian_name="王奶奶", guardian_relation="祖母",
                                       left_behind_type="both_away", made_at=datetime(2026, 11, 18),
                                       client_uuid=str(uuid.uuid4()))
        assert Child.get_by_id(wang_wu.id).left_behind
        # A file moved onto another child (a link to a pupil) tags her too.
        LeftBehindFile.update(child=li_si.id).where(LeftBehindFile.id == record.id).execute()
        assert Child.get_by_id(li_si.id).left_behind
    worker = login_as("worker1")
    assert "王五" in names_listed(text(worker, "/children/?group=left_behind"))


def test_the_head_teacher_marks_a_problem_family_on_the_childs_page_audited(app, county, login_as):
    li_si = county.kids.li_si
    url = f"/children/{li_si.id}/problem-family"
    for username in ("principal1", "worker1", "head2", "counselor2", "committee1"):
        assert login_as(username).post(url, {"value": "1"}).status_code == 404, username
    head = login_as("head1")
    page = text(head, f"/children/{li_si.id}")
    assert "标记为问题家庭" in page and all(word not in page for word in HIDDEN)
    assert head.post(url, {"value": "1"}).status_code == 302
    head.post(url, {"value": "1"})  # the same again changes nothing
    with app.app_context():
        assert Child.get_by_id(li_si.id).problem_family
        events = list(AuditEvent.select().where(AuditEvent.action == "set_problem_family"))
        assert [(e.child_id, e.user_id, e.detail) for e in events] == [
            (li_si.id, county.users.head1.id, '{"value": true}')]
    assert names_listed(text(head, "/children/?group=problem_family")) == ["李四"]
    counselor = login_as("counselor1")
    counselor.get(f"/children/{li_si.id}")
    assert counselor.post(url, {"value": "0"}).status_code == 302
    with app.app_context():
        assert not Child.get_by_id(li_si.id).problem_family


def test_a_visit_marks_a_problem_family_and_the_next_visit_starts_from_it(app, county, login_as):
    head = login_as("head1")
    li_si = county.kids.li_si
    assert 'value="problem_family"' in text(head, f"/visits/new?child={li_si.id}")  # the control on the form
    log_visit(head, li_si, family_situation=["problem_family", "hardship"])
    with app.app_context():
        assert Child.get_by_id(li_si.id).problem_family
        event = AuditEvent.get(AuditEvent.action == "set_problem_family")
        assert event.child_id == li_si.id and '"visit_id"' in event.detail
    form = text(head, f"/visits/new?child={li_si.id}")
    assert re.search(r'<input checked [^>]*value="problem_family"', form)


def test_only_psychology_teachers_the_zone_and_the_county_record_a_psychiatric_history(app, county, login_as):
    li_si = county.kids.li_si
    url = f"/children/{li_si.id}/psychiatric-history"
    for username in (*NOT_TOLD_USERS, "counselor2", "zone2"):
        assert login_as(username).post(url, {"value": "1"}).status_code == 404, username
    with app.app_context():
        assert PsychiatricHistory.select().count() == 0
    counselor = login_as("counselor1")
    assert "记录精神病史" in text(counselor, f"/children/{li_si.id}")
    assert counselor.post(url, {"value": "1"}).status_code == 302
    assert "精神病史" in text(counselor, f"/children/{li_si.id}").split("<dt>重点群体</dt>")[1].split("</dd>")[0]
    for username in ("zone1", "county"):
        browser = login_as(username)
        browser.get(f"/children/{li_si.id}")
        assert browser.post(url, {"value": "0"}).status_code == 302
        assert browser.post(url, {"value": "1"}).status_code == 302
    with app.app_context():
        assert PsychiatricHistory.get().child_id == li_si.id
        assert AuditEvent.select().where(AuditEvent.action == "set_psychiatric_history").count() == 5


# --- the children list ----------------------------------------------------------------------

def test_the_children_list_filters_by_each_group_the_viewer_may_see(app, county, login_as):
    kids = county.kids
    record_history(app, kids.li_si)
    with app.app_context():
        Child.update(problem_family=True).where(Child.id == kids.wang_wu.id).execute()
    counselor = login_as("counselor1")
    options = text(counselor, "/children/")
    for code in ("mental_health", "problem_family", "left_behind", "psychiatric_history"):
        assert f'<option value="{code}"' in options
    assert names_listed(text(counselor, "/children/?group=psychiatric_history")) == ["李四"]
    assert names_listed(text(counselor, "/children/", {"q": "", "group": "problem_family"})) == ["王五"]
    assert names_listed(text(counselor, "/children/?group=left_behind")) == ["张三"]
    everyone = names_listed(text(counselor, "/children/"))
    # A group she may not see is no filter: the principal gets her whole list, and no word of it.
    principal = login_as("principal1")
    html = text(principal, "/children/?group=psychiatric_history")
    assert names_listed(html) == everyone and all(word not in html for word in HIDDEN)
    assert names_listed(text(principal, "/children/?group=problem_family")) == ["王五"]
    worker = login_as("worker1")
    page = text(worker, "/children/")
    assert '<option value="left_behind"' in page
    assert '<option value="problem_family"' not in page and '<option value="mental_health"' not in page
    assert names_listed(text(worker, "/children/?group=problem_family")) == names_listed(page)


# --- the home-visit rule ----------------------------------------------------------------------

def test_every_key_group_is_due_each_term_and_the_head_teacher_is_not_told_which(app, county, login_as):
    kids = county.kids
    head = login_as("head1")
    due = section(text(head, f"/visits/class/{county.classes.c41.id}"), "due-term")
    assert "张三" in due and "李四" not in due  # left-behind; 李四 in no group
    record_history(app, kids.li_si)
    html = text(head, f"/visits/class/{county.classes.c41.id}")
    due = section(html, "due-term")
    assert "李四" in due and "重点群体" in due.split("李四")[1].split("</li>")[0]
    assert all(word not in html for word in HIDDEN)
    counselor_view = section(text(login_as("counselor1"), f"/visits/class/{county.classes.c41.id}"), "due-term")
    assert "精神病史" in counselor_view.split("李四")[1].split("</li>")[0]
    with app.app_context():
        Child.update(problem_family=True).where(Child.id == kids.zhao_liu.id).execute()
    due = section(text(login_as("head2"), f"/visits/class/{county.classes.c42.id}"), "due-term")
    assert "赵六" in due and "问题家庭" in due.split("赵六")[1].split("</li>")[0]


# --- the dashboards ----------------------------------------------------------------------------

def _figures(app, level, unit):
    with app.app_context(), app.test_request_context():
        return board.build(level, unit)["figures"]


def test_dashboards_count_each_group_per_class_and_per_school(app, county, login_as):
    kids, school1 = county.kids, county.schools[0]
    zone = _figures(app, "zone", county.zones[0])[school1.id]  # stored as the day's tally
    assert (zone["kg_left_behind"], zone["kg_psychiatric_history"], zone["key_due"]) == (1, 0, 1)
    record_history(app, kids.li_si)
    with app.app_context():
        Child.update(problem_family=True).where(Child.id == kids.zhao_liu.id).execute()
    # The tally was forgotten by the triggers: the counts and the visit rule's figure follow.
    zone = _figures(app, "zone", county.zones[0])[school1.id]
    assert (zone["kg_psychiatric_history"], zone["kg_problem_family"], zone["key_due"]) == (1, 1, 3)
    classes = _figures(app, "school", school1)
    assert classes[county.classes.c41.id]["kg_psychiatric_history"] == 1
    assert classes[county.classes.c42.id]["kg_problem_family"] == 1

    principal = text(login_as("principal1"), "/dashboard/")
    table = section(principal, "key_groups")
    assert "问题家庭" in table and "留守" in table and "4-2" in table
    assert all(word not in principal for word in HIDDEN)
    county_page = section(text(login_as("county"), f"/dashboard/zone/{county.zones[0].id}"), "key_groups")
    assert "精神病史" in county_page and "渠县第一小学" in county_page

    def headers(username, args):
        response = login_as(username).get(f"/dashboard/key_groups.xlsx?{args}")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        return [cell.value for cell in next(sheet.iter_rows())]

    assert "精神病史" not in headers("principal1", f"school={school1.id}")
    assert "精神病史" in headers("zone1", f"school={school1.id}")


# --- 精神病史 in the access matrix's pages --------------------------------------------------------

def test_a_psychiatric_history_is_never_named_to_head_teacher_principal_committee_or_worker(app, world, login_as):
    own, _other, _own_for = world
    with app.app_context():
        for child in Child.select():
            PsychiatricHistory.create(child=child.id)
        # Its case category too, on the case the head teacher and the worker work on.
        Case.update(categories="mental_health,psychiatric_history").execute()
    problems, told = [], set()
    for description, html in rendered_pages(app, world, login_as):
        role = description.split()[0]
        if role in NOT_TOLD:
            problems += [f"{description}: {word}" for word in HIDDEN if word in html]
        elif "精神病史" in html:
            told.add(role)
    assert not problems, "\n".join(problems)
    assert told == {"county", "zone", "counselor"}  # the search would have found it
    for username in NOT_TOLD_USERS:
        browser = login_as(username)
        for group in ("psychiatric_history", "problem_family", "mental_health"):
            html = browser.get(f"/children/?group={group}").get_data(as_text=True)
            assert all(word not in html for word in HIDDEN), (username, group)
        response = browser.post(f"/children/{own['child_id']}/psychiatric-history", {"value": "0"})
        assert response.status_code == 404, username
    with app.app_context():
        assert PsychiatricHistory.select().count() == Child.select().count()
