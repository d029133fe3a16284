"""A small hand-built county for tests: two zones, three schools, villages, one user per role.

Layout (school year of the test clock, 2026–27):
- zone 1: school 1 (classes 4-1, 4-2, 3-1), school 3 (class 5-1)
- zone 2: school 2 (class 4-1)
- township 1: village 1 (school 1's catchment), village 2; township 2: village 3
Children are named so tests can find them by pinyin.
"""
from datetime import date
from types import SimpleNamespace

from webapp.auth.passwords import hash_secret
from webapp.auth.twofactor import REQUIRED_ROLES
from webapp.models import (
    Child,
    ClassTeacher,
    School,
    SchoolClass,
    Township,
    User,
    Village,
    WorkerVillage,
    Zone,
)

PASSWORD = "xinqiao-test-pw"
PIN = "135790"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
YEAR = 2026


def make_user(username, role, secret=PASSWORD, **fields):
    """A user; roles that must use two-step sign-in come enrolled with TOTP_SECRET."""
    fields.setdefault("display_name", username)
    if role in REQUIRED_ROLES:
        fields.setdefault("totp_secret", TOTP_SECRET)
        fields.setdefault("totp_enabled", True)
    return User.create(username=username, role=role, password_hash=hash_secret(secret), **fields)


def build_county():
    zone1, zone2 = Zone.create(name="一片区"), Zone.create(name="二片区")
    town1, town2 = Township.create(name="渠江街道"), Township.create(name="天星镇")
    village1 = Village.create(township=town1, name="一村", home_name="一村童伴之家")
    village2 = Village.create(township=town1, name="二村", home_name="二村童伴之家")
    village3 = Village.create(township=town2, name="三村", home_name="三村童伴之家")
    school1 = School.create(name="渠县第一小学", zone=zone1, township=town1)
    school2 = School.create(name="天星镇中心小学", zone=zone2, township=town2)
    school3 = School.create(name="渠县第三小学", zone=zone1, township=town1)
    c41 = SchoolClass.create(school=school1, school_year=YEAR, grade=4, number=1)
    c42 = SchoolClass.create(school=school1, school_year=YEAR, grade=4, number=2)
    c31 = SchoolClass.create(school=school1, school_year=YEAR, grade=3, number=1)
    s2c41 = SchoolClass.create(school=school2, school_year=YEAR, grade=4, number=1)
    s3c51 = SchoolClass.create(school=school3, school_year=YEAR, grade=5, number=1)

    def child(name, sex, school_class=None, village=None, **extra):
        return Child.create(
            name=name, sex=sex, birth_date=date(2016, 5, 1), school_class=school_class,
            village=village, **extra,
        )

    kids = SimpleNamespace(
        zhang_san=child("张三", "m", c41, village1, left_behind=True),
        li_si=child("李四", "f", c41),
        wang_wu=child("王五", "m", c42, village1),
        zhao_liu=child("赵六", "f", c42),
        sun_qi=child("孙七", "m", c31),
        zhou_ba=child("周八", "f", s2c41, village3),
        wu_jiu=child("吴九", "m", s3c51),
        zheng_shi=child("郑十", "f", None, village1),  # not at school
        chen_yi=child("陈一", "m", None, village2),
    )
    users = SimpleNamespace(
        county=make_user("county", "county"),
        zone1=make_user("zone1", "zone", zone=zone1),
        zone2=make_user("zone2", "zone", zone=zone2),
        counselor1=make_user("counselor1", "counselor", school=school1),
        counselor2=make_user("counselor2", "counselor", school=school2),
        principal1=make_user("principal1", "principal", school=school1),
        principal2=make_user("principal2", "principal", school=school2),
        head1=make_user("head1", "head_teacher", school=school1),
        head2=make_user("head2", "head_teacher", school=school1),
        head3=make_user("head3", "head_teacher", school=school2),
        committee1=make_user("committee1", "committee", secret=PIN, school=school1, child=kids.zhang_san),
        committee2=make_user("committee2", "committee", secret=PIN, school=school1, child=kids.li_si),
        worker1=make_user("worker1", "child_worker"),
        worker2=make_user("worker2", "child_worker"),
    )
    ClassTeacher.create(user=users.head1, school_class=c41)
    ClassTeacher.create(user=users.head2, school_class=c42)
    ClassTeacher.create(user=users.head3, school_class=s2c41)
    WorkerVillage.create(user=users.worker1, village=village1)
    WorkerVillage.create(user=users.worker2, village=village2)
    return SimpleNamespace(
        zones=(zone1, zone2), townships=(town1, town2), villages=(village1, village2, village3),
        schools=(school1, school2, school3),
        classes=SimpleNamespace(c41=c41, c42=c42, c31=c31, s2c41=s2c41, s3c51=s3c51),
        kids=kids, users=users,
    )
