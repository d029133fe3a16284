"""Finding children by a piece of a name, and the indexes that answer it at county scale
(migration 0037): PostgreSQL's EXPLAIN must name them, and SQLite's plan must look the name up
in its table of name pieces instead of reading every child."""
import re

import pytest

from webapp.access import visible_children
from webapp.children.search import in_pinyin_order
from webapp.db import db, is_sqlite

from .plans import plan_of

NAME_PATTERN = re.compile(r"<strong>([^<]+)</strong>")


@pytest.mark.parametrize("text,expected", [
    ("张三", {"张三"}), ("三", {"张三"}), ("王五", {"王五"}), ("五", {"王五"}), ("张 三", {"张三"}),
    ("三张", set()), ("张四", set()),
])
def test_the_county_finds_a_child_by_her_whole_name_or_any_piece_of_it(county, login_as, text, expected):
    fragment = login_as("county").post("/children/", {"q": text}).get_data(as_text=True)
    found = set(NAME_PATTERN.findall(fragment)) & {"张三", "李四", "王五", "赵六", "周八"}
    assert found == expected


def test_a_three_character_name_is_found_by_its_last_two_characters(app, county, login_as):
    from webapp.models import Child

    with app.app_context():
        Child.create(name="欧阳娜娜", sex="f", school=county.schools[0])
    fragment = login_as("county").post("/children/", {"q": "娜娜"}).get_data(as_text=True)
    assert "欧阳娜娜" in fragment


def test_a_renamed_child_is_found_by_her_new_name_and_no_longer_by_the_old(app, county, login_as):
    from webapp.models import Child

    with app.app_context():
        Child.update(name="张小雨").where(Child.id == county.kids.zhang_san.id).execute()
    county_user = login_as("county")
    assert "张小雨" in county_user.post("/children/", {"q": "小雨"}).get_data(as_text=True)
    assert "张小雨" not in county_user.post("/children/", {"q": "张三"}).get_data(as_text=True)


def test_a_deleted_child_leaves_no_name_pieces_behind(app, county):
    if not is_sqlite():
        pytest.skip("SQLite's table of name pieces (PostgreSQL's index goes with the row)")
    from webapp.models import Child

    with app.app_context(), db.connection_context():
        child = Child.create(name="欧阳娜娜", sex="f", school=county.schools[0])
        count = "SELECT COUNT(*) FROM child_name_gram WHERE child_id = ?"
        assert db.execute_sql(count, (child.id,)).fetchone()[0] == 6  # 欧 阳 娜 欧阳 阳娜 娜娜: 娜 kept once
        child.delete_instance()
        assert db.execute_sql(count, (child.id,)).fetchone()[0] == 0


def test_sqlite_finds_a_name_from_its_pieces_not_by_reading_every_child(app, county):
    if not is_sqlite():
        pytest.skip("SQLite's plan")
    with app.app_context():
        plan = plan_of(in_pinyin_order(visible_children(county.users.county), "方飞").limit(51))
    assert "USING PRIMARY KEY (gram=?)" in plan and "SCAN" not in plan, plan


def _plan(app, user, text):
    """PostgreSQL's plan for the first page of the search, sequential scans ruled out: on the
    tests' few children a scan is cheapest, so what this checks is that the index can answer
    the query the page writes (the same expression), as it does on a county's 248,000 children."""
    with app.app_context():
        return plan_of(in_pinyin_order(visible_children(user), text).limit(51))


@pytest.mark.parametrize("text", ["方飞", "高艳明", "艳"])
def test_a_search_by_a_piece_of_a_name_reads_the_index_of_name_pieces(app, county, text):
    if is_sqlite():
        pytest.skip("PostgreSQL's index of name pieces (SQLite's table: the test above)")
    plan = _plan(app, county.users.county, text)
    assert "child_name_grams" in plan, plan


def test_a_pinyin_search_reads_the_pinyin_order_index(app, county):
    if is_sqlite():
        pytest.skip("PostgreSQL's plan")
    plan = _plan(app, county.users.county, "wang")
    assert "child_pinyin_order" in plan, plan


def test_the_children_of_problem_families_are_listed_from_their_own_index(app, county):
    """Migration 0040: the list filtered by 问题家庭 reads its partial index in pinyin order (on
    the tests' few children PostgreSQL would rather scan, so scans are ruled out there)."""
    from webapp.children import groups

    with app.app_context():
        plan = plan_of(in_pinyin_order(visible_children(county.users.county).where(groups.condition("problem_family")),
                                       "").limit(51))
    assert "child_problem_family_order" in plan, plan
