"""Every dashboard figure, on a small county whose right answers are counted by hand."""
from webapp.dashboard import board
from webapp.dashboard import metrics as m

from .county import make_user
from .dashboard_steps import known_records
from .programme_steps import staff


def built(app, level, unit=None):
    with app.test_request_context():
        result = board.build(level, unit)
    return result


def test_the_school_figures_are_the_ones_counted_by_hand(app, county):
    known_records(county)
    # 四、5 counts 专职 staff records: school 1 has one; school 3 only a 兼职 with a counsellor account.
    with app.app_context():
        staff(county.schools[0], "刘老师", "full_time")
        staff(county.schools[2], "何老师", "part_time",
              user=make_user("counselor3", "counselor", school=county.schools[2]))
    school1 = county.schools[0]
    result = built(app, "zone", county.zones[0])
    s1 = result["figures"][school1.id]
    # 5 pupils in this year's classes of school 1 (4-1: 张三 李四, 4-2: 王五 赵六, 3-1: 孙七); 2 visited;
    # 李四 (single-parent) still due this term; 张三 (left-behind) was visited this term.
    assert (s1["pupils"], s1["visited"], s1["key_due"]) == (5, 2, 1)
    # Grade 4 and up: 4-1 (boy 张三 + girl 李四: complete) and 4-2 (nobody); 3-1 needs none.
    assert (s1["required"], s1["complete"]) == (2, 1)
    # Last 4 finished weeks: 4-1 sent 2 of 4, 4-2 none of 4; 4-2 missed last week; neither sent this week's.
    assert (s1["due"], s1["sent"], s1["missing_last"], s1["pending"]) == (8, 2, 1, 2)
    # Open: 张三 urgent (2 h, unacknowledged: late), 王五 normal (3 days); 赵六's is closed.
    assert (s1["open"], s1["urgent"], s1.get("soon", 0), s1["normal"]) == (2, 1, 0, 1)
    assert (s1.get("age_day", 0), s1["age_week"], s1.get("age_older", 0)) == (1, 1, 0)
    assert s1["urgent_late"] == 1 and s1["ack_minutes"] == [20]
    assert (s1["cases"], s1["high"], s1["key"], s1["review_overdue"], s1["referrals_waiting"]) == (2, 1, 1, 1, 1)
    assert (s1["full_time"], s1["without_full_time"]) == (1, 0)
    school3 = result["figures"][county.schools[2].id]
    assert (school3["full_time"], school3["without_full_time"]) == (0, 1)
    assert school3.get("open", 0) == 0


def test_a_zone_adds_up_its_schools_and_the_county_its_zones(app, county):
    known_records(county)
    result = built(app, "county")
    zone1, zone2 = (result["figures"][z.id] for z in county.zones)
    assert (zone1["pupils"], zone1["required"], zone1["complete"]) == (6, 3, 1)  # + 吴九 in 5-1 of school 3
    assert (zone1["schools"], zone1["without_full_time"]) == (2, 2)  # nobody recorded 专职 staff here
    assert (zone2["open"], zone2["soon"], zone2["age_older"]) == (1, 1, 1)  # 9 days old
    assert result["total"]["open"] == 3
    units, villages = built(app, "villages")["villages"]
    assert [u.name for u in units] == ["一村", "三村", "二村"]
    assert sum(f["duties"] for f in villages.values()) > 0


def test_the_class_level_counts_one_class(app, county):
    known_records(county)
    result = built(app, "class", county.classes.c42)
    f = result["figures"][county.classes.c42.id]
    assert (f["pupils"], f["visited"], f["required"], f["complete"], f["sent"], f["open"]) == (2, 1, 1, 0, 0, 1)


def test_the_helpers():
    assert m.median([30, 10, 20]) == 20 and m.median([10, 20]) == 15 and m.median([]) is None
    assert m.percent(1, 3) == 33 and m.percent(1, 0) is None
    assert m.roll_up({1: {"a": 1, "l": [2]}, 2: {"a": 2, "l": [3]}, 3: {"a": 5}}, {1: "x", 2: "x"}) == {
        "x": {"a": 3, "l": [2, 3]}, None: {"a": 5}}
