"""Home pages: the figures each role starts from, counted in its own scope."""
import re

from .safeguarding_steps import raise_concern

ZONE_ROW = re.compile(r'<strong>([^<]+)</strong><span class="muted">[^<]*?(\d+)[^<]*</span></div>\s*'
                      r'<span class="count">(\d+)</span>')
BADGE = re.compile(r'<span class="badge urgency-(\w+)">[^<]*?(\d+)</span>')


def test_the_county_home_counts_each_zones_schools_and_children(county, login_as):
    page = login_as("county").get("/").get_data(as_text=True)
    rows = {zone: (int(schools), int(children)) for zone, schools, children in ZONE_ROW.findall(page)}
    # Zone 1 runs schools 1 and 3 with six pupils, zone 2 school 2 with one; village-only
    # children belong to no zone.
    assert rows == {"一片区": (2, 6), "二片区": (1, 1)}


def test_a_zone_home_counts_open_concerns_of_its_own_zone_only(county, login_as):
    raise_concern(login_as("head1"), county.kids.zhang_san, urgency="urgent")
    raise_concern(login_as("head3"), county.kids.zhou_ba, urgency="soon")
    zone1 = dict(BADGE.findall(login_as("zone1").get("/").get_data(as_text=True)))
    zone2 = dict(BADGE.findall(login_as("zone2").get("/").get_data(as_text=True)))
    assert zone1 == {"urgent": "1"} and zone2 == {"soon": "1"}
