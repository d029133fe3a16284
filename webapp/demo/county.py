"""The demo county: a small, reproducible 渠县 with schools, villages, children and one account per role.

Plain functions: `load_demo_county()` fills an empty database (it needs an app context, for the
clock and the password hasher) and `demo_accounts()` says who can sign in.
"""
import random
from datetime import date, timedelta

from ..auth import twofactor
from ..auth.passwords import hash_secret
from ..clock import today, utcnow
from ..db import db
from ..models import (
    Child,
    ClassTeacher,
    School,
    SchoolClass,
    Township,
    User,
    Village,
    WorkerVillage,
    Zone,
    name_keys,
)
from ..schoolyear import school_year_of
from .incidents import load_demo_incidents
from .inspections import load_demo_inspections
from .key_groups import load_demo_key_groups
from .peer import load_demo_peer
from .programme import load_demo_programme
from .safeguarding import load_demo_safeguarding
from .screening import load_demo_screening
from .village import load_demo_village
from .visits import load_demo_visits

SEED = 2022  # the year of the county's plan; any fixed number makes the county reproducible
STAFF_PASSWORD = "xinqiao-demo"
COMMITTEE_PIN = "135790"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # published (DESIGN §5): enter it in any authenticator app

ZONES = ("一片区", "二片区")
TOWNSHIPS = {
    "渠江街道": ("红旗村", "柏林村", "大桥社区"),
    "天星镇": ("天星村", "龙潭村"),
    "三汇镇": ("汇东村", "石佛村", "汇西村"),
}
# School n of the docs is SCHOOLS[n - 1]: (name, stage, zone, township, classes, home villages).
# Home villages give the chance that a pupil lives there; the rest live in town (no village).
# 红旗村 (village 1) lies in school 1's catchment only.
SCHOOLS = (
    ("渠县第一小学", "primary", "一片区", "渠江街道",
     ((1, 1), (2, 1), (3, 1), (4, 1), (4, 2), (5, 1), (6, 1)), {"红旗村": 0.2, "柏林村": 0.1}),
    ("渠县天星镇中心小学", "primary", "二片区", "天星镇",
     ((3, 1), (4, 1), (5, 1), (6, 1)), {"天星村": 0.3, "龙潭村": 0.3}),
    ("渠县第三中学", "junior", "一片区", "渠江街道",
     ((7, 1), (8, 1), (9, 1)), {"柏林村": 0.15, "大桥社区": 0.25}),
    ("渠县三汇镇中心学校", "nine_year", "二片区", "三汇镇",
     ((2, 1), (8, 1)), {"汇东村": 0.25, "石佛村": 0.25, "汇西村": 0.2}),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林唐邓蒋谢冯熊曾彭任向袁邹苏蒲雷"
    "杜廖程魏田文汪钟付谭龙冉肖"
)
BOY_CHARS = "浩宇子轩俊杰博文明涛鑫阳磊睿泽辰晨豪航宏毅然鹏凯翔旭瑞霖铭诚逸骏峰思远嘉"
GIRL_CHARS = "欣怡雨婷诗涵梓萱佳琪思雅静悦可馨颖瑶嘉梦语菲晓彤若汐雪露芸婉琳妍紫"
MAN_CHARS = "建国军强勇明平伟华志刚林斌波德成永海春生富贵"
WOMAN_CHARS = "秀英芳丽华梅玲霞兰琴红燕敏静桂珍凤群蓉"
PHONE_PREFIXES = ("138", "139", "135", "136", "150", "151", "158", "182", "187", "189", "199")


def _name(rng, chars, surname=None):
    given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def _phone(rng):
    return rng.choice(PHONE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def _birth_date(rng, school_year, age):
    """A birth date that makes the child `age` by 31 August before the school year (the
    enrolment cut-off): grade 1 pupils are 6, grade 4 pupils are 9."""
    earliest = date(school_year - age - 1, 9, 1)
    return earliest + timedelta(days=rng.randrange(365))


def _guardian(rng, surname, left_behind, single_parent):
    """Who the child lives with: grandparents or kin when parents work away, else a parent."""
    if left_behind:
        relation = rng.choice(("祖父", "祖母", "祖母", "外祖父", "外祖母", "姑姑", "舅舅"))
    elif single_parent:
        relation = rng.choice(("母亲", "母亲", "父亲"))
    else:
        relation = rng.choice(("母亲", "父亲"))
    male = relation in ("祖父", "外祖父", "舅舅", "父亲")
    family = surname if relation in ("祖父", "父亲", "姑姑") else None  # the father's side
    return _name(rng, MAN_CHARS if male else WOMAN_CHARS, family), relation


def _child_row(rng, sex, birth_date, school_class=None, school=None, village=None):
    """One child as a row for insert_many: what Child.save() would compute is computed here."""
    surname = rng.choice(SURNAMES)
    name = _name(rng, BOY_CHARS if sex == "m" else GIRL_CHARS, surname)
    in_village = village is not None
    left_behind = rng.random() < (0.35 if in_village else 0.08)
    single_parent = rng.random() < 0.08
    guardian_name, relation = _guardian(rng, surname, left_behind, single_parent)
    initials, pinyin = name_keys(name)
    return {
        "name": name, "name_initials": initials, "name_pinyin": pinyin, "sex": sex,
        "birth_date": birth_date, "school": school, "school_class": school_class, "village": village,
        "left_behind": left_behind, "single_parent": single_parent,
        "in_difficulty": rng.random() < (0.1 if single_parent else 0.04),
        "guardian_name": guardian_name, "guardian_relation": relation,
        "guardian_phone": _phone(rng), "created_at": utcnow(),
    }


def _pick_village(rng, villages, chances):
    roll = rng.random()
    for village_name, chance in chances.items():
        if roll < chance:
            return villages[village_name]
        roll -= chance
    return None


def _build_places():
    zones = {name: Zone.create(name=name) for name in ZONES}
    townships, villages = {}, {}
    for town_name, village_names in TOWNSHIPS.items():
        townships[town_name] = Township.create(name=town_name)
        for village_name in village_names:
            villages[village_name] = Village.create(
                township=townships[town_name], name=village_name, home_name=f"{village_name}童伴之家"
            )
    return zones, townships, villages


def _build_children(rng, year, schools, classes, villages):
    """About 400 children: every class filled, plus a few village children with no class."""
    rows = []
    for spec, school in zip(SCHOOLS, schools, strict=True):
        homes = spec[5]
        for school_class in classes[school.id]:
            for _ in range(rng.randint(22, 27)):
                rows.append(_child_row(
                    rng, "m" if rng.random() < 0.52 else "f",
                    _birth_date(rng, year, school_class.grade + 5),
                    school_class=school_class.id, school=school.id,
                    village=_pick_village(rng, villages, homes),
                ))
    for village in villages.values():
        # Village 1's out-of-school children are pre-schoolers; elsewhere one studies away.
        ages = (3, 4, 5, 5) if village.name == "红旗村" else (rng.randint(3, 5), rng.randint(8, 14))
        for age in ages:
            rows.append(_child_row(rng, rng.choice("mf"), _birth_date(rng, year, age), village=village))
    with db.atomic():
        for start in range(0, len(rows), 100):
            Child.insert_many(rows[start:start + 100]).execute()
    return len(rows)


def demo_accounts():
    """Who can sign in to the demo: (username, role, display name, where, secret)."""
    staff, pin = STAFF_PASSWORD, COMMITTEE_PIN
    first, second = SCHOOLS[0][0], SCHOOLS[1][0]
    return (
        ("county", "county", "何主任", "全县 (县心理健康教育中心)", staff),
        ("zone1", "zone", "刘老师", ZONES[0], staff),
        ("zone2", "zone", "黄老师", ZONES[1], staff),
        ("counselor1", "counselor", "陈老师", first, staff),
        ("principal1", "principal", "杨校长", first, staff),
        ("head1", "head_teacher", "王老师", f"{first} 4-1", staff),
        ("head2", "head_teacher", "赵老师", f"{first} 4-2", staff),
        ("committee1", "committee", "", f"{first} 4-1 (男生)", pin),
        ("committee2", "committee", "", f"{first} 4-1 (女生)", pin),
        ("worker1", "child_worker", "唐秀英", "渠江街道 红旗村", staff),
        ("counselor2", "counselor", "周老师", second, staff),
        ("principal2", "principal", "邓校长", second, staff),
        ("head3", "head_teacher", "罗老师", f"{second} 4-1", staff),
    )


def _build_users(rng, zones, schools, classes, villages):
    school1, school2 = schools[0], schools[1]
    c41, c42 = classes[school1.id][3], classes[school1.id][4]
    s2c41 = classes[school2.id][1]
    committee_children = {
        sex: Child.select().where((Child.school_class == c41) & (Child.sex == sex)).order_by(Child.id).first()
        for sex in ("m", "f")
    }
    links = {
        "zone1": {"zone": zones[ZONES[0]]}, "zone2": {"zone": zones[ZONES[1]]},
        "counselor1": {"school": school1}, "principal1": {"school": school1},
        "head1": {"school": school1}, "head2": {"school": school1},
        "committee1": {"school": school1, "child": committee_children["m"]},
        "committee2": {"school": school1, "child": committee_children["f"]},
        "counselor2": {"school": school2}, "principal2": {"school": school2},
        "head3": {"school": school2},
    }
    # One argon2 hash per published secret: hashing each account alone would take seconds.
    hashes = {secret: hash_secret(secret) for secret in (STAFF_PASSWORD, COMMITTEE_PIN)}
    users = {}
    for username, role, display_name, _where, secret in demo_accounts():
        fields = links.get(username, {})
        if role in twofactor.REQUIRED_ROLES:
            # Enrolled with the published secret, so anyone can try the demo's second step.
            fields = {**fields, "totp_secret": DEMO_TOTP_SECRET, "totp_enabled": True}
        users[username] = User.create(
            username=username, role=role, password_hash=hashes[secret],
            display_name=display_name or fields["child"].name,
            phone="" if role == "committee" else _phone(rng), **fields,
        )
    for username, school_class in (("head1", c41), ("head2", c42), ("head3", s2c41)):
        ClassTeacher.create(user=users[username], school_class=school_class)
    WorkerVillage.create(user=users["worker1"], village=villages["红旗村"])
    return users


def counts():
    return {
        "zones": Zone.select().count(), "schools": School.select().count(),
        "classes": SchoolClass.select().count(), "villages": Village.select().count(),
        "children": Child.select().count(), "users": User.select().count(),
    }


def load_demo_county():
    """Fill an empty database with the demo county; a database that has zones is left alone.

    Returns {"loaded": bool, "zones": n, "schools": n, ...}.
    """
    if Zone.select().exists():
        return {"loaded": False, **counts()}
    rng = random.Random(SEED)
    year = school_year_of(today())
    with db.atomic():
        zones, townships, villages = _build_places()
        schools, classes = [], {}
        for name, stage, zone, town, grades, _homes in SCHOOLS:
            school = School.create(
                name=name, stage=stage, zone=zones[zone], township=townships[town],
                mailbox="心理信箱: 行政楼一楼", counselling_hours="周一至周五 12:30–13:30",
            )
            schools.append(school)
            classes[school.id] = [
                SchoolClass.create(school=school, school_year=year, grade=grade, number=number)
                for grade, number in grades
            ]
        _build_children(rng, year, schools, classes, villages)
        _build_users(rng, zones, schools, classes, villages)
        load_demo_safeguarding()
        load_demo_visits()
        load_demo_peer()
        load_demo_village()
        load_demo_key_groups()
        load_demo_incidents()
        load_demo_programme()
        load_demo_inspections()
        load_demo_screening()
    return {"loaded": True, **counts()}
