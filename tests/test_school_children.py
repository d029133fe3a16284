"""The children counter of each school (migration 0008) always equals a count of the children."""
from peewee import fn

from webapp.models import Child, SchoolChildren


def _counted():
    return {row.school_id: row.children for row in SchoolChildren.select() if row.children}


def _true_counts():
    rows = Child.select(Child.school, fn.COUNT(Child.id)).where(Child.school.is_null(False)).group_by(Child.school)
    return dict(rows.tuples())


def test_the_counter_follows_every_kind_of_write(app, county):
    s1, s2, s3 = county.schools
    with app.app_context():
        assert _counted() == _true_counts() == {s1.id: 5, s2.id: 1, s3.id: 1}
        Child.create(name="新生", sex="f", school=s2)  # at a school, no class yet
        Child.update(school=s3).where(Child.id == county.kids.sun_qi.id).execute()  # moves school
        Child.update(school=None).where(Child.id == county.kids.li_si.id).execute()  # leaves school
        Child.update(school=s1).where(Child.id == county.kids.zheng_shi.id).execute()  # joins one
        Child.update(name="王小五").where(Child.id == county.kids.wang_wu.id).execute()  # same school
        Child.delete().where(Child.id == county.kids.wu_jiu.id).execute()
        assert _counted() == _true_counts() == {s1.id: 4, s2.id: 2, s3.id: 1}


def test_the_county_and_zone_homes_count_a_new_pupil_at_once(county, login_as):
    import re

    zone = login_as("zone1")
    before = zone.get("/").get_data(as_text=True)
    Child.create(name="新生", sex="f", school=county.schools[0], school_class=county.classes.c31)
    after = zone.get("/").get_data(as_text=True)
    totals = [int(re.search(r"所学校,(\d+) 名学生", page).group(1)) for page in (before, after)]
    assert totals[1] == totals[0] + 1
