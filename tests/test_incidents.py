"""Critical incidents (危机事件) and postvention, 《实施方案》四、12 (issue 16)."""
import re
import uuid
from datetime import timedelta

import pytest

from webapp.access import follow_up_shown, in_scope, visible_follow_ups, visible_incidents
from webapp.models import (
    AuditEvent,
    Child,
    Concern,
    FollowUp,
    Incident,
    IncidentStep,
    Notification,
    OutboundMessage,
    User,
)

from .incident_steps import open_incident
from .safeguarding_steps import open_case


def text_of(response):
    return response.get_data(as_text=True)


@pytest.fixture
def mailing(app):
    app.config.update(MAIL_SERVER="smtp.example.org", WECOM_WEBHOOK_URL="https://qyapi.example/robot")
    with app.app_context():
        for name in ("counselor1", "principal1", "zone1", "county", "zone2", "counselor2"):
            User.update(email=f"{name}@example.org").where(User.username == name).execute()


def test_opening_alerts_the_school_zone_and_county_with_no_child_data(app, county, login_as, mailing):
    head1 = login_as("head1")
    school1 = county.schools[0]
    incident_id = open_incident(head1, f"s{school1.id}", [county.kids.zhang_san])
    with app.app_context():
        told = {n.user.username for n in Notification.select().where(Notification.incident_id == incident_id)}
        assert told == {"counselor1", "principal1", "zone1", "county"}
        messages = list(OutboundMessage.select())
        assert {m.recipient for m in messages if m.channel == "email"} == {
            "counselor1@example.org", "principal1@example.org", "zone1@example.org", "county@example.org"}
        assert [m.channel for m in messages].count("wecom") == 1
        names = [c.name for c in Child.select()]
        for message in messages:
            words = message.subject + message.body
            assert f"/incidents/{incident_id}" in message.body
            assert not any(name in words for name in names)
            assert school1.name not in words and "割腕" not in words and "自伤" not in words
        assert AuditEvent.get(AuditEvent.action == "open_incident").object_id == incident_id
    # The counsellor's inbox leads to it; the plan's steps are a checklist citing the plan.
    counselor = login_as("counselor1")
    assert f"/incidents/{incident_id}" in text_of(counselor.get("/inbox/"))
    page = text_of(counselor.get(f"/incidents/{incident_id}"))
    assert "张三" in page and "《实施方案》四、12" in page and "立即确保学生人身安全" in page


def test_the_report_button_is_one_tap_from_every_staff_home(county, login_as):
    for username in ("head1", "counselor1", "principal1", "zone1", "county", "worker1"):
        home = text_of(login_as(username).get("/"))
        assert 'href="/incidents/new"' in home, username
    assert 'href="/incidents/new"' not in text_of(login_as("committee1").get("/"))


def test_a_replayed_report_opens_one_incident(app, county, login_as):
    head1, uid = login_as("head1"), str(uuid.uuid4())
    first = open_incident(head1, f"s{county.schools[0].id}", uid=uid)
    again = open_incident(head1, f"s{county.schools[0].id}", uid=uid)
    assert first == again
    with app.app_context():
        assert Incident.select().count() == 1
        assert Notification.select().where(Notification.incident_id == first).count() == 4


def test_a_child_worker_reports_from_her_village_and_names_only_her_children(app, county, login_as):
    worker = login_as("worker1")
    form = text_of(worker.get("/incidents/new"))
    assert "一村" in form and "渠县第一小学" not in form
    assert "郑十" in form and "李四" not in form  # her village's children, not the school's
    incident_id = open_incident(worker, f"v{county.villages[0].id}", [county.kids.zheng_shi, county.kids.li_si],
                                kind="family_crisis")
    with app.app_context():
        incident = Incident.get_by_id(incident_id)
        assert incident.village_id == county.villages[0].id and incident.school_id is None
        assert [c.child_id for c in incident.children] == [county.kids.zheng_shi.id]  # li_si is not hers
        told = {n.user.username for n in Notification.select().where(Notification.incident_id == incident_id)}
        assert told == {"zone1", "county"}


def test_from_open_to_close_with_postvention_and_overdue_first(app, county, login_as, clock):
    kids, classes = county.kids, county.classes
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [kids.zhang_san])
    counselor = login_as("counselor1")
    counselor.get(f"/incidents/{incident_id}")
    # A step ticked records who and when.
    assert counselor.post(f"/incidents/{incident_id}/steps/0").status_code == 302
    with app.app_context():
        step = IncidentStep.get((IncidentStep.incident == incident_id) & (IncidentStep.position == 0))
        assert step.done_by.username == "counselor1" and step.done_at == clock.now
    # A close friend in another class (24 h), then the whole class 4-1 (7 days).
    friend = {"level": "close", "children": [str(kids.wang_wu.id)]}
    response = counselor.post(f"/incidents/{incident_id}/pupils", friend)
    assert response.status_code == 302
    clock.advance(hours=1)
    assert counselor.post(f"/incidents/{incident_id}/class/{classes.c41.id}").status_code == 302
    with app.app_context():
        rows = {f.child.name: f for f in FollowUp.select().where(FollowUp.incident == incident_id)}
        assert set(rows) == {"王五", "张三", "李四"}
        assert rows["王五"].level == "close" and rows["李四"].level == "general"
        assert rows["李四"].owner.username == "head1" and rows["王五"].owner.username == "head2"
        assert (rows["王五"].due_at - rows["王五"].added_at).total_seconds() == 24 * 3600
        assert (rows["李四"].due_at - rows["李四"].added_at).days == 7
    # Two days on, 王五's task is overdue: it leads head2's home and shows to the counsellor.
    clock.advance(days=2)
    home2 = text_of(login_as("head2").get("/"))
    assert "王五" in home2 and "已超期" in home2
    assert home2.index("my-follow-ups") < home2.index("报告危机事件") + 400
    home_counsellor = text_of(counselor.get("/"))
    assert "王五" in home_counsellor and "incident-oversight" in home_counsellor
    # head1's list: 李四 and 张三 not yet due. Overdue first when both exist.
    clock.advance(days=6)
    head1_home = text_of(login_as("head1").get("/"))
    assert head1_home.count("已超期") >= 2
    # The owner completes a task with a note; it leaves her list.
    head1 = login_as("head1")
    head1.get(f"/incidents/{incident_id}")
    with app.app_context():
        task = FollowUp.get((FollowUp.incident == incident_id) & (FollowUp.child == kids.li_si.id))
    assert head1.post(f"/incidents/follow-ups/{task.id}/done", {"note": "情绪平稳,已与家长沟通"}).status_code == 302
    assert "李四" not in text_of(head1.get("/")).split("my-follow-ups")[-1].split("</section>")[0]
    # Closing needs the review.
    empty = {"review_what": "", "review_learned": ""}
    assert counselor.post(f"/incidents/{incident_id}/close", empty).status_code == 422
    response = counselor.post(f"/incidents/{incident_id}/close",
                              {"review_what": "及时送医,家长到场", "review_learned": "加强课间巡查"})
    assert response.status_code == 302
    page = text_of(counselor.get(f"/incidents/{incident_id}"))
    for words in ("加强课间巡查", "已关闭"):
        assert words in page
    with app.app_context():
        actions = [e.action for e in AuditEvent.select().where(AuditEvent.action.contains("incident"))]
        for action in ("open_incident", "read_incident", "incident_step", "incident_postvention",
                       "incident_follow_up_done", "close_incident"):
            assert action in actions
        assert Incident.get_by_id(incident_id).status == "closed"
    # In the child's chronology.
    assert f"/incidents/{incident_id}" in text_of(counselor.get(f"/children/{kids.zhang_san.id}"))
    assert f"/incidents/{incident_id}" in text_of(counselor.get(f"/children/{kids.wang_wu.id}"))


def test_the_whole_class_in_two_taps(app, county, login_as):
    incident_id = open_incident(login_as("counselor1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    counselor = login_as("counselor1")
    page = text_of(counselor.get(f"/incidents/{incident_id}"))
    # Tap 1 opens "add a whole class"; tap 2 is the class's own button, a form posting to it.
    section = page.split('id="whole-class"')[1].split("</details>")[0]
    action = f"/incidents/{incident_id}/class/{county.classes.c42.id}"
    assert f'action="{action}"' in section
    counselor.post(action)
    listed = text_of(counselor.get(f"/incidents/{incident_id}")).split('id="follow-ups"')[1].split("</ul>")[0]
    assert "王五" in listed and "赵六" in listed and "一般" in listed
    with app.app_context():
        assert FollowUp.select().where(FollowUp.incident == incident_id).count() == 2


def test_a_follow_up_becomes_a_concern_that_joins_her_open_case(app, county, login_as):
    kids = county.kids
    incident_id = open_incident(login_as("counselor1"), f"s{county.schools[0].id}")
    counselor = login_as("counselor1")
    counselor.post(f"/incidents/{incident_id}/class/{county.classes.c42.id}")
    with app.app_context():
        task = FollowUp.get((FollowUp.incident == incident_id) & (FollowUp.child == kids.wang_wu.id))
    head2 = login_as("head2")
    form = text_of(head2.get(f"/incidents/follow-ups/{task.id}/concern"))
    assert "王五" in form
    response = head2.post(f"/incidents/follow-ups/{task.id}/concern",
                          {"urgency": "soon", "description": "随访时说晚上睡不着", "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 302
    with app.app_context():
        concern = Concern.get(Concern.child == kids.wang_wu.id)
        assert concern.source == "incident" and concern.source_id == task.id
        assert FollowUp.get_by_id(task.id).concern_id == concern.id
    # 赵六 has an open case: her follow-up's concern joins it.
    with app.app_context():
        first = Concern.create(child=kids.zhao_liu, reporter=county.users.counselor1, urgency="normal",
                               description="x", made_at=task.added_at, client_uuid=str(uuid.uuid4()))
    case_id = open_case(counselor, first.id, county.users.counselor1)
    with app.app_context():
        other = FollowUp.get((FollowUp.incident == incident_id) & (FollowUp.child == kids.zhao_liu.id))
    head2.get(f"/incidents/follow-ups/{other.id}/concern")
    head2.post(f"/incidents/follow-ups/{other.id}/concern",
               {"urgency": "normal", "description": "常常走神", "client_uuid": str(uuid.uuid4())})
    with app.app_context():
        joined = Concern.get(Concern.source == "incident", Concern.child == kids.zhao_liu.id)
        assert joined.case_id == case_id


def test_out_of_scope_users_get_404(app, county, login_as):
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    counselor = login_as("counselor1")
    counselor.post(f"/incidents/{incident_id}/class/{county.classes.c41.id}")
    with app.app_context():
        task = FollowUp.select().where(FollowUp.incident == incident_id).first()
    urls = [("GET", f"/incidents/{incident_id}"), ("POST", f"/incidents/{incident_id}/steps/0"),
            ("POST", f"/incidents/{incident_id}/pupils"), ("POST", f"/incidents/{incident_id}/close"),
            ("POST", f"/incidents/{incident_id}/class/{county.classes.c41.id}"),
            ("GET", f"/incidents/follow-ups/{task.id}/done"), ("POST", f"/incidents/follow-ups/{task.id}/done"),
            ("GET", f"/incidents/follow-ups/{task.id}/concern")]
    for username in ("counselor2", "head3", "committee1", "principal2", "zone2", "worker1", "head2"):
        user_browser = login_as(username)
        for method, url in urls:
            response = user_browser.get(url) if method == "GET" else user_browser.post(url, {})
            assert response.status_code == 404, (username, url, response.status_code)
    assert login_as("head1").get("/incidents/settings").status_code == 404
    # The head teacher who opened it reads it, but adds no pupils and does not close it.
    head1 = login_as("head1")
    assert head1.get(f"/incidents/{incident_id}").status_code == 200
    assert head1.post(f"/incidents/{incident_id}/pupils", {}).status_code == 404
    # The principal reads it and its pupils' names, ticks steps, but does not add or close.
    principal = login_as("principal1")
    assert "张三" in text_of(principal.get(f"/incidents/{incident_id}"))
    assert principal.post(f"/incidents/{incident_id}/close", {}).status_code == 404


def test_names_show_only_to_those_who_may_see_the_children(app, county, login_as):
    """A child worker opens an incident naming her village's pupil 张三 (class 4-1); the head
    teacher of 4-2 gets a task for 王五 only and never sees 张三's name."""
    worker = login_as("worker1")
    incident_id = open_incident(worker, f"v{county.villages[0].id}", [county.kids.zhang_san])
    county_browser = login_as("county")
    county_browser.get(f"/incidents/{incident_id}")
    county_browser.post(f"/incidents/{incident_id}/pupils",
                        {"level": "close", "children": [str(county.kids.wang_wu.id)]})
    page = text_of(login_as("head2").get(f"/incidents/{incident_id}"))
    assert "王五" in page and "张三" not in page


def test_the_county_edits_the_plan_and_deadlines(app, county, login_as, clock):
    county_browser = login_as("county")
    county_browser.get("/incidents/settings")
    response = county_browser.post("/incidents/settings", {"steps": "第一步:保护现场\n第二步:通知家长",
                                                            "close_hours": "12", "general_days": "3"})
    assert response.status_code == 302
    incident_id = open_incident(login_as("counselor1"), f"s{county.schools[0].id}")
    counselor = login_as("counselor1")
    page = text_of(counselor.get(f"/incidents/{incident_id}"))
    assert "第一步:保护现场" in page and "立即确保学生人身安全" not in page
    counselor.post(f"/incidents/{incident_id}/pupils", {"level": "close", "children": [str(county.kids.li_si.id)]})
    with app.app_context():
        task = FollowUp.get(FollowUp.incident == incident_id)
        assert (task.due_at - task.added_at).total_seconds() == 12 * 3600


def test_the_dashboard_counts_open_incidents_and_overdue_follow_ups(app, county, login_as, clock):
    incident_id = open_incident(login_as("counselor1"), f"s{county.schools[0].id}")
    login_as("counselor1").post(f"/incidents/{incident_id}/class/{county.classes.c41.id}")
    clock.advance(days=8)
    page = text_of(login_as("county").get("/dashboard/"))
    section = page.split('id="incidents"')[1].split("</section>")[0]
    assert re.findall(r"<dd>(\d+)</dd>", section) == ["1", "2"]
    assert "张三" not in section


def test_two_adding_overlapping_pupils_at_once_lose_none(app, county, login_as, clock, monkeypatch):
    """Another person adds 王五 between this add's look and its write: 赵六 still gets her task."""
    from webapp.incidents import service

    incident_id = open_incident(login_as("counselor1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    with app.app_context():
        incident = Incident.get_by_id(incident_id)
        wang, zhao = Child.get(Child.name == "王五"), Child.get(Child.name == "赵六")
        head2, counselor = User.get(User.username == "head2"), User.get(User.username == "counselor1")
        owners = service._owners

        def meanwhile(fresh, user):
            monkeypatch.setattr(service, "_owners", owners)  # the other add runs as it always does
            service.add_affected(incident, [wang], "close", head2, clock.now)
            return owners(fresh, user)

        monkeypatch.setattr(service, "_owners", meanwhile)
        added = service.add_affected(incident, [wang, zhao], "general", counselor, clock.now)
        listed = {f.child_id: f.level for f in FollowUp.select().where(FollowUp.incident == incident_id)}
    assert added == 1 and listed == {wang.id: "close", zhao.id: "general"}


def test_the_tasks_an_incident_page_lists_are_those_each_reader_may_see(app, county, login_as):
    """The page reads an incident's tasks once and keeps those `follow_up_shown` allows: for
    every user who reads the incident, exactly the tasks visible_follow_ups gives her."""
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    counselor = login_as("counselor1")
    counselor.post(f"/incidents/{incident_id}/class/{county.classes.c41.id}")
    counselor.post(f"/incidents/{incident_id}/class/{county.classes.c42.id}")
    readers = 0
    with app.app_context():
        tasks = list(FollowUp.select().where(FollowUp.incident == incident_id))
        assert {t.owner_id for t in tasks} == {county.users.head1.id, county.users.head2.id}
        for user in User.select():
            if not in_scope(visible_incidents, user, incident_id):
                continue
            readers += 1
            visible = {f.id for f in visible_follow_ups(user).where(FollowUp.incident == incident_id)}
            assert {t.id for t in tasks if follow_up_shown(user, t)} == visible, user.username
    assert readers >= 6  # the county, the zone, the school's counsellor and principal, head1, head2
    # What head2 sees on the page: her own pupils' tasks (4-2), none of head1's (4-1).
    listed = text_of(login_as("head2").get(f"/incidents/{incident_id}")).split('id="follow-ups"')[1]
    assert "王五" in listed and "张三" not in listed


def test_the_classmates_to_pick_come_when_the_fold_is_opened(app, county, login_as):
    """The page does not draw the classmates' checkboxes inside the closed fold; opening it asks
    htmx for the picker (pick=1), and without script the picker's search posts the whole page."""
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    counselor = login_as("counselor1")
    classmate = f'id="children-{county.kids.li_si.id}"'
    page = counselor.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert classmate not in page and 'hx-trigger="toggle once from:closest details"' in page
    picker = counselor.post(f"/incidents/{incident_id}/pupils", {"pick": "1"}, headers={"HX-Request": "true"})
    fragment = picker.get_data(as_text=True)
    assert picker.status_code == 200 and classmate in fragment and "<html" not in fragment
    whole = counselor.post(f"/incidents/{incident_id}/pupils", {"pick": "1", "q": ""}).get_data(as_text=True)
    assert classmate in whole and "<html" in whole
    # Someone who may not add pupils gets no picker either.
    assert login_as("head1").post(f"/incidents/{incident_id}/pupils", {"pick": "1"},
                                  headers={"HX-Request": "true"}).status_code == 404


def test_the_homes_count_every_overdue_follow_up_and_list_the_first_ten(app, county, login_as, clock):
    """The home's overdue list shows ten, soonest due first, and its count is of them all (one
    statement gives both); a zone outside the school sees neither."""
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    with app.app_context():
        for number in range(12):
            pupil = Child.create(name=f"学生{number:02d}", sex="f", school_class=county.classes.c42,
                                 birth_date=county.kids.li_si.birth_date)
            FollowUp.create(incident=incident_id, child=pupil, level="general", owner=county.users.head1,
                            due_at=clock.now + timedelta(hours=number + 1))
    clock.advance(days=1)
    for name in ("counselor1", "zone1", "county"):
        page = text_of(login_as(name).get("/"))
        oversight = page.split('id="incident-oversight"')[1].split("</section>")[0]
        assert "12 项随访已超期" in oversight, (name, oversight)
        shown = re.findall(r"学生\d\d", oversight)
        assert shown == [f"学生{number:02d}" for number in range(10)], name
    assert 'id="incident-oversight"' not in text_of(login_as("zone2").get("/"))


def test_a_follow_up_is_recorded_on_its_own_page_and_a_refused_note_keeps_its_words(app, county, login_as):
    """The incident page links each open task to its own page (no form per pupil in the list);
    a note too long is refused there with the words kept; saved once, a second post changes
    nothing; the owner and the school's psychology teacher may record it, nobody else."""
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    counselor = login_as("counselor1")
    counselor.post(f"/incidents/{incident_id}/class/{county.classes.c41.id}")
    with app.app_context():
        task = FollowUp.get((FollowUp.incident == incident_id) & (FollowUp.child == county.kids.li_si.id))
    url = f"/incidents/follow-ups/{task.id}/done"
    page = text_of(counselor.get(f"/incidents/{incident_id}"))
    assert f'href="{url}"' in page and "<textarea" not in page.split('id="follow-ups"')[1].split("</ul>")[0]
    head1 = login_as("head1")  # the owner: 李四's head teacher
    form = text_of(head1.get(url))
    assert "李四" in form and 'name="note"' in form
    assert f'href="/incidents/follow-ups/{task.id}/concern"' in form  # the concern is one tap away there
    with app.app_context():  # reading her name (and later the note) is a sensitive read
        read = AuditEvent.get(AuditEvent.action == "read_incident_follow_up")
        assert (read.username, read.object_id, read.child_id) == ("head1", task.id, county.kids.li_si.id)
    too_long = "情绪平稳" * 300
    refused = head1.post(url, {"note": too_long})
    assert refused.status_code == 422 and too_long in text_of(refused)
    assert head1.post(url, {"note": "  "}).status_code == 422
    with app.app_context():
        assert FollowUp.get_by_id(task.id).done_at is None
    saved = head1.post(url, {"note": "情绪平稳,已与家长沟通"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/incidents/{incident_id}#f{task.id}")
    again = counselor.post(url, {"note": "另一条"})
    assert again.status_code == 200 and "情绪平稳,已与家长沟通" in text_of(again)
    assert 'name="note"' not in text_of(again)
    row = text_of(counselor.get(f"/incidents/{incident_id}")).split(f'id="f{task.id}"')[1].split("</li>")[0]
    assert f"/incidents/follow-ups/{task.id}/concern" in row and url not in row  # done: a concern may follow
    with app.app_context():
        done = FollowUp.get_by_id(task.id)
        assert done.note == "情绪平稳,已与家长沟通" and done.done_by.username == "head1"
        assert AuditEvent.select().where(AuditEvent.action == "incident_follow_up_done").count() == 1
