"""`flask --app wsgi gen-county`: a reproducible synthetic county at full scale, for benchmarks.

Rows go in with insert_many in large chunks inside transactions; one password hash is made once
and reused; nothing is saved row by row. Accounts (password `xinqiao-bench`, committee PIN
`135790`, second factor with the published secret) are named county, zone1…, principal1…,
counselor1…, head1…, committee1…, worker1… .
"""
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

import click
from flask.cli import with_appcontext

from ..auth.passwords import hash_secret
from ..auth.twofactor import REQUIRED_ROLES
from ..clock import LOCAL_TZ, today
from ..db import db, is_sqlite
from ..models import (
    Case,
    CheckIn,
    Child,
    ClassTeacher,
    Concern,
    HomeVisit,
    Institution,
    Referral,
    School,
    SchoolClass,
    Township,
    User,
    Village,
    WeeklyReport,
    WorkerVillage,
    Zone,
    name_keys,
)
from ..schoolyear import monday_of, school_year_of
from ..visits.rules import year_bounds
from .gen_crisis import care_rng, join_concerns_to_cases, load_incidents, load_key_groups, mark_problem_families
from .gen_programme import load_programme, programme_rng
from .gen_screening import load_screening, screening_rng

PASSWORD, PIN, TOTP_SECRET = "xinqiao-bench", "135790", "JBSWY3DPEHPK3PXP"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "一二三文明华建国平志红军伟芳娜敏静丽强磊洋艳勇杰娟涛超秀霞刚桂英玉兰萍鹏飞宇浩然子轩梓涵欣怡雨欣佳琪"
    "思彤子豪俊杰诗雨嘉怡"
)
_keys = {}


def _name(rng):
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    if name not in _keys:
        _keys[name] = name_keys(name)
    return name


def _uuid(kind, n):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao:gen:{kind}:{n}"))


def _local_day(utc):
    return utc.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def _utc(day, minutes):
    local = datetime.combine(day, time(8), tzinfo=LOCAL_TZ) + timedelta(minutes=minutes)
    return local.astimezone(UTC).replace(tzinfo=None)


class Loader:
    """Bulk inserts in chunks inside one transaction per table, advancing a progress bar."""

    def __init__(self, bar):
        self.bar = bar

    def insert(self, model, rows):
        if not rows:
            return []
        # Values per statement: SQLite takes 32,766 and psycopg 3 (server-side binding) 65,535.
        # Columns per row: insert_many also sends each field's default that a row leaves out.
        size = max(1, (30000 if is_sqlite() else 60000) // len(model._meta.sorted_fields))
        with db.atomic():
            for start in range(0, len(rows), size):
                model.insert_many(rows[start:start + size]).execute()
                self.bar.update(len(rows[start:start + size]))
        return [row[0] for row in model.select(model.id).order_by(model.id.desc()).limit(len(rows)).tuples()][::-1]


def _people(load, rng, zones, schools, classes, villages, year, pw, pin):
    """Users of every role: staff get the reused password hash; 2FA roles are enrolled."""
    def user(username, role, **extra):
        two_step = role in REQUIRED_ROLES
        # insert_many takes its columns from the first row: every row names every column.
        return {"username": username, "display_name": username, "role": role, "zone": None, "school": None,
                "child": None, "password_hash": pin if role == "committee" else pw,
                "totp_secret": TOTP_SECRET if two_step else None, "totp_enabled": two_step, **extra}
    rows = [user("county", "county")]
    rows += [user(f"zone{n + 1}", "zone", zone=z) for n, z in enumerate(zones)]
    rows += [user(f"principal{n + 1}", "principal", school=s) for n, (s, _z, _t) in enumerate(schools)]
    rows += [user(f"counselor{n + 1}", "counselor", school=s)
             for n, (s, _z, _t) in enumerate(schools) if n % 10 != 9]  # one school in ten has none
    rows += [user(f"head{n + 1}", "head_teacher", school=c["school"]) for n, c in enumerate(classes)]
    committee = [(c, kid) for c in classes if c["grade"] >= 4 for kid in c["committee"]]
    rows += [user(f"committee{n + 1}", "committee", school=c["school"], child=kid)
             for n, (c, kid) in enumerate(committee)]
    rows += [user(f"worker{n + 1}", "child_worker") for n in range(len(villages))]
    ids = dict(zip([r["username"] for r in rows], load.insert(User, rows), strict=True))
    load.insert(ClassTeacher, [{"user": ids[f"head{n + 1}"], "school_class": c["id"]} for n, c in enumerate(classes)])
    load.insert(WorkerVillage, [{"user": ids[f"worker{n + 1}"], "village": v} for n, v in enumerate(villages)])
    return ids


def generate(bar, schools_n, classes_per_school, children_per_class, left_behind_share, seed):
    """Fill an empty database; returns counts of what was made."""
    rng = random.Random(seed)
    day = today()
    year = school_year_of(day)
    start, _end = year_bounds(year)
    load = Loader(bar)
    zones = load.insert(Zone, [{"name": f"第{n + 1}片区"} for n in range(max(1, schools_n // 50))])
    towns = load.insert(Township, [{"name": f"第{n + 1}镇"} for n in range(max(1, schools_n // 10))])
    villages, village_town = [], {}
    rows = [{"township": t, "name": f"{n + 1}村", "home_name": f"{n + 1}村童伴之家"} for t in towns for n in range(10)]
    for vid, row in zip(load.insert(Village, rows), rows, strict=True):
        villages.append(vid)
        village_town.setdefault(row["township"], []).append(vid)
    rows = [{"name": f"第{n + 1}学校", "zone": zones[n % len(zones)], "township": towns[n % len(towns)]}
            for n in range(schools_n)]
    schools = [(sid, r["zone"], r["township"]) for sid, r in zip(load.insert(School, rows), rows, strict=True)]
    rows = [{"school": s, "school_year": year, "grade": 1 + n % 6, "number": 1 + n // 6}
            for s, _z, _t in schools for n in range(classes_per_school)]
    classes = [dict(r, id=cid) for cid, r in zip(load.insert(SchoolClass, rows), rows, strict=True)]
    town_of = {s: t for s, _z, t in schools}
    kids = []
    for c in classes:
        for _ in range(children_per_class):
            name = _name(rng)
            left = rng.random() < left_behind_share
            village = rng.choice(village_town[town_of[c["school"]]]) if left or rng.random() < 0.5 else None
            kids.append({"name": name, "name_initials": _keys[name][0], "name_pinyin": _keys[name][1],
                         "sex": rng.choice("mf"), "birth_date": date(year - 5 - c["grade"], 3, 1),
                         "school": c["school"], "school_class": c["id"], "village": village, "left_behind": left,
                         "single_parent": rng.random() < 0.05, "created_at": _utc(start, 0)})
    care = care_rng(seed)  # issue 16's records: a generator of their own, the rest stays as it was
    mark_problem_families(care, kids)
    child_ids = load.insert(Child, kids)
    for n, c in enumerate(classes):
        members = list(range(n * children_per_class, (n + 1) * children_per_class))
        c["committee"] = [child_ids[next(i for i in members if kids[i]["sex"] == sex)] for sex in "mf"
                          if any(kids[i]["sex"] == sex for i in members)]
    users = _people(load, rng, zones, schools, classes, villages, year, hash_secret(PASSWORD), hash_secret(PIN))
    head_of = {c["id"]: users[f"head{n + 1}"] for n, c in enumerate(classes)}
    span = max((day - start).days, 1)
    visits = []
    for n, (cid, kid) in enumerate(zip(child_ids, kids, strict=True)):
        if rng.random() < 0.6:
            on = start + timedelta(days=rng.randrange(span))
            visits.append({"child": cid, "author": head_of[kid["school_class"]], "school_class": kid["school_class"],
                           "visited_on": on, "made_at": _utc(on, 600), "received_at": _utc(on, 601),
                           "client_uuid": _uuid("visit", n)})
    load.insert(HomeVisit, visits)
    reports, monday = [], monday_of(start)
    while monday < monday_of(day):
        for c in classes:
            if c["grade"] >= 4 and rng.random() < 0.85:
                reports.append({"school_class": c["id"], "week_start": monday, "part": 0, "nil": True,
                                "made_at": _utc(monday + timedelta(days=4), 900),
                                "received_at": _utc(monday + timedelta(days=4), 901),
                                "client_uuid": _uuid("report", len(reports))})
        monday += timedelta(weeks=1)
    load.insert(WeeklyReport, reports)
    worker_of = {v: users[f"worker{n + 1}"] for n, v in enumerate(villages)}
    checkins = []
    for cid, kid in zip(child_ids, kids, strict=True):
        if kid["left_behind"] and kid["village"]:
            for month in range(0, span, 30):
                if rng.random() < 0.7:
                    on = start + timedelta(days=month + rng.randrange(min(30, span - month)))
                    checkins.append({"child": cid, "village": kid["village"], "worker": worker_of[kid["village"]],
                                     "day": on, "kind": rng.choice(("home_visit", "phone", "parent_video")),
                                     "mood": "good", "health": "good", "study": "so_so", "safety": "good",
                                     "made_at": _utc(on, 700), "received_at": _utc(on, 701),
                                     "client_uuid": _uuid("checkin", len(checkins))})
    load.insert(CheckIn, checkins)
    concerns, picked = [], rng.sample(range(len(child_ids)), max(1, len(child_ids) // 100))
    now = datetime.now(UTC).replace(tzinfo=None)
    for n, i in enumerate(picked):
        received = now - timedelta(minutes=rng.randrange(60 * 24 * 120))
        status = rng.choices(("new", "acknowledged", "monitoring", "closed", "case"), (1, 2, 2, 4, 1))[0]
        status = "case" if n == 0 else status  # at least one case, however small the county
        concerns.append({"child": child_ids[i], "reporter": head_of[kids[i]["school_class"]], "source": "staff",
                         "urgency": rng.choices(("normal", "soon", "urgent"), (6, 3, 1))[0], "description": "情绪低落",
                         "made_at": received, "received_at": received, "client_uuid": _uuid("concern", n),
                         "status": status, "acknowledged_at": None if status == "new" else
                         received + timedelta(minutes=rng.randrange(5, 600))})
    concern_ids = load.insert(Concern, concerns)
    cases = [{"child": row["child"], "concern": cid, "level": rng.choice(("general", "attention", "key", "high")),
              "status": "open" if rng.random() < 0.8 else "closed", "opened_at": row["received_at"],
              # Due 7 to 45 days after it was opened (so some are overdue), never before it.
              "next_review_on": _local_day(row["received_at"]) + timedelta(days=rng.randrange(7, 46)),
              "client_uuid": _uuid("case", n)}
             for n, (cid, row) in enumerate(zip(concern_ids, concerns, strict=True)) if row["status"] == "case"]
    case_ids = load.insert(Case, cases)
    institution = load.insert(Institution, [{"name": "县人民医院心理科"}])[0]
    referrals = [{"case": cid, "institution": institution, "referred_on": day - timedelta(days=rng.randrange(60)),
                  "client_uuid": _uuid("referral", n)} for n, cid in enumerate(case_ids) if n % 5 == 0]
    load.insert(Referral, referrals)
    crisis = _crisis(load, care, schools, classes, child_ids, kids, users, head_of, start, now,
                     list(zip(case_ids, cases, strict=True)))
    crisis.update(load_programme(load, programme_rng(seed), zones, schools, classes, users, head_of, day))
    crisis.update(load_screening(load, screening_rng(seed), schools, classes, child_ids, kids, users["county"], day,
                                 year))
    return {"schools": len(schools), "classes": len(classes), "children": len(child_ids),
            "left_behind": sum(k["left_behind"] for k in kids), "users": len(users), "visits": len(visits),
            "weekly_reports": len(reports), "checkins": len(checkins), "concerns": len(concerns), "cases": len(cases),
            **crisis}


def _crisis(load, rng, schools, classes, child_ids, kids, users, head_of, start, now, cases):
    """Issue 16's records: 精神病史, concerns joined to open cases, incidents with postvention."""
    staff_of = {}  # each school's psychology teacher, else its principal (one school in ten has none)
    for n, (sid, _z, _t) in enumerate(schools):
        staff_of[sid] = users.get(f"counselor{n + 1}") or users[f"principal{n + 1}"]
    pupils_of, class_of = {}, {}
    for cid, kid in zip(child_ids, kids, strict=True):
        pupils_of.setdefault(kid["school_class"], []).append(cid)
        class_of[cid] = kid["school_class"]
    histories = load_key_groups(load, rng, child_ids, kids, staff_of, _utc(start, 0))
    joined = join_concerns_to_cases(load, rng, db, cases, head_of, class_of, now)
    incidents, follow_ups = load_incidents(load, rng, schools, classes, pupils_of, head_of, staff_of, start, now)
    return {"problem_families": sum(k["problem_family"] for k in kids), "psychiatric_histories": histories,
            "joined_concerns": joined, "incidents": incidents, "follow_ups": follow_ups}


@click.command("gen-county")
@click.option("--schools", default=400, show_default=True, help="Number of schools.")
@click.option("--classes-per-school", default=20, show_default=True)
@click.option("--children-per-class", default=31, show_default=True)
@click.option("--left-behind", default=0.16, show_default=True, help="Share of children left behind.")
@click.option("--seed", default=2026, show_default=True, help="The same seed gives the same county.")
@with_appcontext
def gen_county_command(schools, classes_per_school, children_per_class, left_behind, seed):
    """Fill an empty, migrated database with a synthetic county (for benchmarks, not for use)."""
    from ..dashboard.tallied import fill_day
    from ..migrate import upgrade

    upgrade()
    if School.select().exists() or Child.select().exists():
        raise click.ClickException("the database already holds a county; use an empty one")
    children = schools * classes_per_school * children_per_class
    estimate = int(children * 3.2 + schools * classes_per_school * 9)
    started = datetime.now()
    with click.progressbar(length=estimate, label="Generating the county") as bar:
        counts = generate(bar, schools, classes_per_school, children_per_class, left_behind, seed)
    # Fresh statistics, as after any bulk load: without them the query planners guess.
    db.execute_sql("ANALYZE")
    click.echo("Computing today's dashboard tallies (the tick keeps them)...")
    counts["tallies"] = fill_day(today())[0]
    for name, count in counts.items():
        click.echo(f"{name:>15}: {count}")
    click.echo(f"{'seconds':>15}: {(datetime.now() - started).total_seconds():.0f}")
