"""Each role sees exactly the children in its scope; everything else answers 404."""
import re

import pytest
from werkzeug.exceptions import NotFound

from webapp.models import User

ALL = {"张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十", "陈一"}
SCOPE = {
    "county": ALL,
    "zone1": {"张三", "李四", "王五", "赵六", "孙七", "吴九"},
    "zone2": {"周八"},
    "counselor1": {"张三", "李四", "王五", "赵六", "孙七"},
    "principal1": {"张三", "李四", "王五", "赵六", "孙七"},
    "counselor2": {"周八"},
    "principal2": {"周八"},
    "head1": {"张三", "李四"},
    "head2": {"王五", "赵六"},
    "head3": {"周八"},
    "worker1": {"张三", "王五", "郑十"},
    "worker2": {"陈一"},
}
NAME_PATTERN = re.compile(r"<strong>([^<]+)</strong>")


def _child_ids(county):
    return {child.name: child.id for child in vars(county.kids).values()}


@pytest.mark.parametrize("username", sorted(SCOPE))
def test_the_children_list_shows_exactly_the_children_in_scope(county, login_as, username):
    page = login_as(username).get("/children/").get_data(as_text=True)
    listed = set(NAME_PATTERN.findall(page)) & ALL
    assert listed == SCOPE[username]


@pytest.mark.parametrize("username", sorted(SCOPE))
def test_a_child_in_scope_opens_and_one_outside_answers_404(county, login_as, username):
    user = login_as(username)
    ids = _child_ids(county)
    for name, child_id in ids.items():
        expected = 200 if name in SCOPE[username] else 404
        assert user.get(f"/children/{child_id}").status_code == expected, (username, name)


@pytest.mark.parametrize("username", ["committee1", "committee2"])
def test_a_pupil_cannot_browse_any_child_not_even_herself(county, login_as, username):
    pupil = login_as(username)
    assert pupil.get("/children/").status_code == 404
    for child_id in _child_ids(county).values():
        assert pupil.get(f"/children/{child_id}").status_code == 404


def test_an_unknown_child_id_answers_404_like_one_out_of_scope(county, login_as):
    assert login_as("county").get("/children/999999").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(county, browser):
    response = browser.get(f"/children/{county.kids.zhang_san.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_opening_a_child_is_audited_without_her_name(county, login_as):
    from webapp.models import AuditEvent

    login_as("head1").get(f"/children/{county.kids.zhang_san.id}")
    event = AuditEvent.get(AuditEvent.action == "read_child")
    assert event.child_id == county.kids.zhang_san.id
    assert event.username == "head1"
    assert "张三" not in event.detail


@pytest.mark.parametrize("text,expected", [
    ("zs", {"张三"}), ("ZS", {"张三"}), ("zhang", {"张三"}), ("张", {"张三"}), ("l", {"李四"}),
    ("xyz", set()),
])
def test_search_by_name_or_pinyin_initials(county, login_as, text, expected):
    head = login_as("head1")
    response = head.post("/children/", {"q": text}, headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment  # htmx gets only the results fragment
    assert set(NAME_PATTERN.findall(fragment)) & ALL == expected
    assert "HX-Request" in response.headers["Vary"]


def test_a_child_matching_by_initials_and_by_pinyin_is_listed_once_in_pinyin_order(county, login_as):
    fragment = login_as("county").post("/children/", {"q": "z"}).get_data(as_text=True)
    names = [name for name in NAME_PATTERN.findall(fragment) if name in ALL]
    assert names == ["张三", "赵六", "郑十", "周八"]  # zhangsan, zhaoliu, zhengshi, zhouba


def test_search_never_reaches_beyond_scope(county, login_as):
    fragment = login_as("head1").post("/children/", {"q": "w"}).get_data(as_text=True)
    assert "王五" not in fragment  # 4-2 is head2's class


def test_bottom_navigation_shows_only_what_the_role_may_open(county, login_as):
    pupil_home = login_as("committee1").get("/").get_data(as_text=True)
    assert 'href="/children/"' not in pupil_home and 'href="/admin/"' not in pupil_home
    head_home = login_as("head1").get("/").get_data(as_text=True)
    assert 'href="/children/"' in head_home and 'href="/admin/"' not in head_home
    county_home = login_as("county").get("/").get_data(as_text=True)
    assert 'href="/children/"' in county_home and 'href="/admin/"' in county_home


def test_what_a_request_found_in_scope_answers_only_that_user_and_that_object(app, county):
    """One request remembers what it found in a scope (a page asks `can` after fetching its
    object): never for another user, another object, or anything it did not find."""
    from webapp.access import in_scope, scoped_or_404, visible_children

    zhang_san, wang_wu = county.kids.zhang_san.id, county.kids.wang_wu.id  # classes 4-1 and 4-2
    with app.test_request_context("/"):
        head1, head2 = (User.get(User.username == name) for name in ("head1", "head2"))
        assert scoped_or_404(visible_children, head1, zhang_san).id == zhang_san
        assert in_scope(visible_children, head1, zhang_san)
        assert not in_scope(visible_children, head2, zhang_san)
        assert not in_scope(visible_children, head1, wang_wu)
        with pytest.raises(NotFound):
            scoped_or_404(visible_children, head1, wang_wu)
        assert not in_scope(visible_children, head1, wang_wu)
