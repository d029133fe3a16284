"""A concern's copy of its child's school (migration 0009) is always the child's school, and
the school-based scopes that read it follow the child when she moves."""
from webapp.models import Child, Concern

from .safeguarding_steps import raise_concern


def _copies():
    return {c.id: c.school_id for c in Concern.select(Concern.id, Concern.school_id)}


def _true_schools():
    return {c.id: c.child.school_id for c in Concern.select()}


def test_the_copy_follows_every_kind_of_write(app, county, login_as):
    s1, s2, _s3 = county.schools
    kids = county.kids
    raise_concern(login_as("head1"), kids.zhang_san, urgency="normal")
    raise_concern(login_as("county"), kids.zheng_shi, urgency="soon")  # not at school
    with app.app_context():
        first, second = Concern.select().order_by(Concern.id)
        assert _copies() == _true_schools() == {first.id: s1.id, second.id: None}
        Child.update(school=s2).where(Child.id == kids.zhang_san.id).execute()  # moves school
        Child.update(school=s1).where(Child.id == kids.zheng_shi.id).execute()  # joins one
        assert _copies() == _true_schools() == {first.id: s2.id, second.id: s1.id}
        stale = Concern.get_by_id(first.id)
        stale.school_id, stale.status = 999, "acknowledged"  # a save of every column, copy included
        stale.save()
        Concern.update(child=kids.wu_jiu).where(Concern.id == second.id).execute()  # another child
        Child.update(school=None).where(Child.id == kids.zhang_san.id).execute()  # leaves school
        assert _copies() == _true_schools() == {first.id: None, second.id: county.schools[2].id}


def test_zones_and_counsellors_see_a_concern_move_with_its_child(app, county, login_as):
    raise_concern(login_as("principal1"), county.kids.wang_wu, urgency="soon")  # school 1, zone 1
    concern = Concern.get()
    url = f"/concerns/{concern.id}"
    for username in ("zone1", "counselor1"):
        assert "王五" in login_as(username).get("/concerns/").get_data(as_text=True), username
    assert login_as("zone2").get(url).status_code == 404
    with app.app_context():  # she moves to school 2, in zone 2
        Child.update(school=county.schools[1], school_class=county.classes.s2c41).where(
            Child.id == county.kids.wang_wu.id).execute()
    for username in ("zone2", "counselor2"):
        assert "王五" in login_as(username).get("/concerns/").get_data(as_text=True), username
        assert login_as(username).get(url).status_code == 200, username
    zone1 = login_as("zone1")
    assert "王五" not in zone1.get("/concerns/").get_data(as_text=True) and zone1.get(url).status_code == 404
    # Those who raised it or were told of it keep reading it (the policy's own rule, not the school's).
    for username in ("principal1", "counselor1"):
        assert login_as(username).get(url).status_code == 200, username
