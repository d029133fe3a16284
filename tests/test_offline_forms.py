"""What the server gives the phone so every child on one's roster can be recorded offline: the
roster names her role's forms (X-Offline-Forms) and carries each child's name, village, pinyin
and last visit, nothing more; each form has one child-less copy (`?child=`); an entry replayed
for a child no longer hers says why."""
import uuid

import pytest

from webapp.models import Child, HomeVisit

from .visit_steps import log_visit, visit_form


def roster_forms(response):
    return response.headers.get("X-Offline-Forms", "").split()


def test_the_visit_roster_names_the_forms_the_phone_keeps_and_carries_the_minimum(county, login_as):
    head = login_as("head1")
    log_visit(head, county.kids.li_si, visited_on="2026-11-16")
    response = head.get("/visits/new")
    page = response.get_data(as_text=True)
    assert response.headers["X-Offline-Page"] == "1"
    assert roster_forms(response) == ["/visits/new?child=", "/concerns/new?child="]
    zhang, li = county.kids.zhang_san.id, county.kids.li_si.id
    assert f'data-child="{zhang}" data-name="张三" data-initials="zs" data-pinyin="zhangsan"' in page
    assert f'data-child="{li}" data-name="李四" data-initials="ls" data-pinyin="lisi"' in page
    assert 'data-last-visit="2026-11-16"' in page
    assert "名单更新于" in page and "离线:在本机名单中查找" in page
    # The fragment a search answers with is not a roster of its own.
    assert "X-Offline-Forms" not in head.post("/visits/pick", {"q": "zs"}).headers


def test_a_form_page_for_one_child_names_no_forms(county, login_as):
    response = login_as("head1").get(f"/visits/new?child={county.kids.zhang_san.id}")
    assert response.status_code == 200 and "X-Offline-Forms" not in response.headers


@pytest.mark.parametrize(("username", "url", "rosters"), [
    ("head1", "/visits/new?child=", "/visits/new"),
    ("head1", "/concerns/new?child=", "/visits/new /checkins/ /"),
    ("worker1", "/checkins/new?child=", "/checkins/ /"),
])
def test_the_child_less_copy_of_a_form_holds_no_child(county, login_as, username, url, rosters):
    response = login_as(username).get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["X-Offline-Page"] == "1"
    assert f'data-child-template="{rosters}"' in page
    assert f'action="{url}"' in page and 'name="client_uuid"' in page
    for kid in vars(county.kids).values():
        assert kid.name not in page


def test_the_child_less_copy_cannot_be_posted(county, login_as):
    head = login_as("head1")
    head.get("/visits/new?child=")
    assert head.post("/visits/new?child=", visit_form()).status_code == 404
    assert HomeVisit.select().count() == 0


@pytest.mark.parametrize(("username", "url"), [
    ("committee1", "/visits/new?child="), ("committee1", "/checkins/new?child="),
    ("worker1", "/visits/new?child="), ("head1", "/checkins/new?child="), ("committee1", "/concerns/new?child="),
])
def test_other_roles_do_not_get_a_form_copy(county, login_as, username, url):
    assert login_as(username).get(url).status_code == 404


def test_the_worker_and_the_committee_rosters_name_their_forms(county, login_as):
    worker = login_as("worker1")
    duties = worker.get("/checkins/")
    assert roster_forms(duties) == ["/checkins/new?child=", "/concerns/new?child="]
    assert f'data-child="{county.kids.zhang_san.id}" data-name="张三"' in duties.get_data(as_text=True)
    assert roster_forms(worker.get("/")) == ["/checkins/new?child=", "/concerns/new?child="]
    assert roster_forms(login_as("committee1").get("/")) == ["/peer/weekly", "/peer/concern/new", "/peer/support/new"]
    assert roster_forms(login_as("counselor1").get("/")) == []


def test_a_visit_from_the_offline_copy_with_nothing_ticked_keeps_the_family_situation(county, login_as):
    head = login_as("head1")
    response = log_visit(head, county.kids.zhang_san, family_situation=None, keep_situation="1")
    assert response.status_code == 200
    assert HomeVisit.get().situation_list == ["left_behind"]
    assert Child.get_by_id(county.kids.zhang_san.id).left_behind


def test_a_visit_from_the_offline_copy_with_ticks_records_them(county, login_as):
    log_visit(login_as("head1"), county.kids.zhang_san, family_situation=["left_behind", "single_parent"],
              keep_situation="1")
    assert HomeVisit.get().situation_list == ["left_behind", "single_parent"]


def test_a_replayed_entry_for_a_child_moved_out_of_her_class_says_why(county, login_as):
    head = login_as("head1")
    url = f"/visits/new?child={county.kids.zhang_san.id}"
    head.get(url)
    Child.update(school_class=county.classes.c42).where(Child.id == county.kids.zhang_san.id).execute()
    replay = head.post(url, visit_form(client_uuid=str(uuid.uuid4())), headers={"X-Outbox": "1"})
    assert replay.status_code == 404
    assert "您可以记录的孩子中" in replay.get_data(as_text=True)
    # A person opening a page she may not see is told nothing more than before.
    assert "您可以记录的孩子中" not in head.get(url).get_data(as_text=True)
    assert HomeVisit.select().count() == 0
