"""Prepared queries: SQL made once, answers always those of the query built afresh."""
import pytest

from webapp import prepared as prepared_module
from webapp.access import ScopeUser, scope_values, visible_children
from webapp.db import IN_LIST_LIMIT
from webapp.models import Child, User
from webapp.prepared import prepared


def test_each_run_answers_as_the_query_built_with_its_own_values(app, county):
    @prepared
    def children_of(slots):
        return (Child.select(Child.name).where(Child.school_class.in_(slots.class_ids) & (Child.sex == slots.sex))
                .order_by(Child.name).tuples())

    def fresh(class_ids, sex):
        return list(Child.select(Child.name).where(Child.school_class.in_(class_ids) & (Child.sex == sex))
                    .order_by(Child.name).tuples())

    classes = county.classes
    with app.app_context():
        c41, c42 = classes.c41.id, classes.c42.id
        for class_ids, sex in [([c41], "m"), ([c41], "f"), ([c41, c42], "m"), ([c42, c41], "f"), ([], "m")]:
            assert children_of.rows(class_ids=class_ids, sex=sex) == fresh(class_ids, sex)
        assert children_of.rows(class_ids=[classes.c41.id], sex="m") == [("张三",)]


def test_a_scope_answers_for_each_user_of_a_role_as_the_scope_itself(app, county):
    @prepared
    def names(slots):
        return visible_children(ScopeUser(slots)).select(Child.name).order_by(Child.name).tuples()

    with app.app_context():
        for username in ("head1", "head2", "principal1", "principal2", "zone1", "zone2", "county", "worker1",
                         "committee1"):
            user = User.get(User.username == username)
            fixed, values = scope_values(user)
            expected = list(visible_children(user).select(Child.name).order_by(Child.name).tuples())
            assert names.rows(fixed, **values) == expected, username
            assert expected or username == "committee1"


def test_the_sql_is_made_once_per_shape(app, county, monkeypatch):
    monkeypatch.setattr(prepared_module, "check_prepared", False)
    builds = []

    @prepared
    def by_id(slots):
        builds.append(1)
        return Child.select(Child.name).where(Child.id == slots.child_id).tuples()

    kids = county.kids
    with app.app_context():
        names = [by_id.scalar(child_id=kid.id) for kid in (kids.zhang_san, kids.li_si, kids.wang_wu)]
        assert names == ["张三", "李四", "王五"] and len(builds) == 1
        assert by_id.scalar(child_id=None) is None and len(builds) == 2  # IS NULL is SQL of its own


def test_a_value_baked_into_the_sql_is_caught(app, county):
    """The tests run with the check on: a build that reads a value from outside its slots
    fails as soon as that value changes, instead of answering with the old one."""
    outside = {"sex": "m"}

    @prepared
    def careless(slots):
        return Child.select(Child.name).where((Child.sex == outside["sex"]) & (Child.id > slots.after)).tuples()

    with app.app_context():
        careless.rows(after=0)
        outside["sex"] = "f"
        with pytest.raises(AssertionError, match="careless"):
            careless.rows(after=0)


def test_a_long_list_is_answered_without_being_kept(app, county):
    @prepared
    def named(slots):
        return Child.select(Child.name).where(Child.id.in_(slots.ids)).order_by(Child.name).tuples()

    kids = county.kids
    ids = [kids.zhang_san.id] + list(range(10**6, 10**6 + IN_LIST_LIMIT))
    with app.app_context():
        assert named.rows(ids=ids) == [("张三",)]
        assert not named._shapes  # kept no SQL for a list that long
