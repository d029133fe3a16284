"""What issue 19 adds to the synthetic county, at county scale: each school's programme register
(专职/兼职 psychology teachers with gaps, their trainings, the counselling room and its hours, the
emergency plan), the activities it logs (心理健康课 per class at each class's pace this term, the
school's own activities this term and last), a second zone post in half the zones (四、2: 2–3 per
zone), and a few inspections per zone with their 整改 items (one overdue, one due, one accepted).

Drawn from a random generator of its own, so the rest of the county stays what it was for a seed.
Rows go in through the gen-county Loader (insert_many in chunks), never one by one.
"""
import random
import uuid
from datetime import datetime, time, timedelta

from ..models import (
    CounsellingRoom,
    EmergencyPlan,
    Inspection,
    InspectionCheck,
    ProgrammeActivity,
    ProgrammeStaff,
    Rectification,
    School,
    Training,
    User,
)
from ..programme.rules import DEFAULTS, term_bounds, year_bounds

FULL_TIME_SHARE = 0.7  # schools with a 专职 teacher; the others have 兼职 only (四、5's gap)
ROOM_SHARE, STANDARD_SHARE, HOURS_SHARE, PLAN_SHARE = 0.9, 0.75, 0.8, 0.85
SCHOOL_KINDS = ("law", "parent_school", "school_training", "open_lesson", "team_lesson")
YEAR_KINDS = ("contest_lesson", "expert_lecture")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
QUALIFICATIONS = ("心理健康教育C证", "心理健康教育B证", "心理咨询师三级", "")


def _uuid(kind, n):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao:gen:{kind}:{n}"))


def programme_rng(seed):
    return random.Random(f"xinqiao:gen:programme:{seed}")


def _at(day):
    return datetime.combine(day, time(9))


def _register(load, rng, schools, users, day):
    """Staff (and their trainings), rooms, opening hours and plans of every school."""
    staff = []
    for n, (sid, _z, _t) in enumerate(schools):
        counsellor = users.get(f"counselor{n + 1}")
        if rng.random() < FULL_TIME_SHARE:
            staff.append({"school": sid, "user": counsellor, "name": f"{rng.choice(SURNAMES)}老师",
                          "post": "full_time", "qualification": rng.choice(QUALIFICATIONS[:3]), "active": True})
        for _ in range(rng.choice((1, 1, 2, 3))):
            # A school without a 专职 teacher may still have a counsellor account on a 兼职 post.
            linked = counsellor if not staff or staff[-1]["school"] != sid else None
            staff.append({"school": sid, "user": linked, "name": f"{rng.choice(SURNAMES)}老师", "post": "part_time",
                          "qualification": rng.choice(QUALIFICATIONS), "active": rng.random() > 0.05})
    staff_ids = load.insert(ProgrammeStaff, staff)
    trainings = []
    for sid, row in zip(staff_ids, staff, strict=True):
        # Most trained within three years, about one in six not for longer (四、6's gap).
        newest = rng.randrange(30, 600) if rng.random() > 0.16 else rng.randrange(1120, 1800)
        for k in range(rng.choice((0, 1, 1, 2, 3)) if row["post"] == "part_time" else rng.choice((1, 2, 3))):
            trainings.append({"staff": sid, "day": day - timedelta(days=newest + 200 * k),
                              "hours": rng.choice((4, 8, 16)),
                              "level": rng.choice(("county", "county", "city", "province")),
                              "title": rng.choice(("兼职心理教师培训", "心理危机干预培训", "心理健康教育骨干培训")),
                              "attachment_id": None})
    load.insert(Training, trainings)
    rooms, plans, with_hours = [], [], []
    year_first = year_bounds(day)[0]
    for sid, _z, _t in schools:
        if rng.random() < ROOM_SHARE:
            standard = rng.random() < STANDARD_SHARE
            rooms.append({"school": sid, "built": True, "built_year": rng.randrange(2015, 2025), "standard": standard,
                          "standard_year": rng.randrange(2020, 2025) if standard else None,
                          "equipment": "individual_room,group_room,books" if standard else "individual_room"})
        if rng.random() < HOURS_SHARE:
            with_hours.append(sid)
        if rng.random() < PLAN_SHARE:  # this school year's, or an older one
            approved = (year_first + timedelta(days=rng.randrange((day - year_first).days + 1))
                        if rng.random() < 0.7 else day - timedelta(days=rng.randrange(400, 700)))
            plans.append({"school": sid, "approved_on": approved,
                          "last_drill_on": min(approved + timedelta(days=20), day), "attachment_id": None})
    load.insert(CounsellingRoom, rooms)
    load.insert(EmergencyPlan, plans)
    School.update(counselling_hours="周一至周五 12:00–13:30").where(School.id.in_(with_hours)).execute()
    return {"programme_staff": len(staff), "trainings": len(trainings), "rooms": len(rooms), "plans": len(plans)}


def _activities(load, rng, schools, classes, users, head_of, day):
    """心理健康课 per class up to today at the class's pace (about 4 to 12 a term), a 主题团(队)课 in
    some classes, and each school's own activities this term and last."""
    first, _last = term_bounds(day)
    weeks = max((day - first).days // 7, 1)
    rows = []
    author_of = {sid: users.get(f"counselor{n + 1}") or users[f"principal{n + 1}"]
                 for n, (sid, _z, _t) in enumerate(schools)}

    def add(school, school_class, kind, on, author, topic):
        rows.append({"school": school, "school_class": school_class, "kind": kind, "day": on, "topic": topic,
                     "author": author, "made_at": _at(on), "client_uuid": _uuid("programme", len(rows))})

    for c in classes:
        pace = rng.uniform(0.2, 0.8)  # lessons a week
        for k in range(int(weeks * pace)):
            add(c["school"], c["id"], "lesson", first + timedelta(days=int(k / pace * 7)), head_of[c["id"]],
                f"第{k + 1}课")
    last_term_day = first - timedelta(days=1)
    last_first = term_bounds(last_term_day)[0]
    for sid, _z, _t in schools:
        for kind in SCHOOL_KINDS:
            for term_first, span in ((first, (day - first).days), (last_first, (last_term_day - last_first).days)):
                if rng.random() < 0.7:
                    add(sid, None, kind, term_first + timedelta(days=rng.randrange(max(span, 1))), author_of[sid],
                        "学校活动")
        for kind in YEAR_KINDS:
            if rng.random() < 0.4:
                add(sid, None, kind, first + timedelta(days=rng.randrange(max((day - first).days, 1))),
                    author_of[sid], "学校活动")
    load.insert(ProgrammeActivity, rows)
    return len(rows)


def _zone_posts(load, zones):
    """A second zone account (zone1b, …) in every other zone (四、2 asks for 2–3 posts per zone),
    signing in as zone1 does."""
    first = User.get(User.username == "zone1")
    rows = [{"username": f"zone{n + 1}b", "display_name": f"zone{n + 1}b", "role": "zone", "zone": z,
             "school": None, "child": None, "password_hash": first.password_hash, "totp_secret": first.totp_secret,
             "totp_enabled": first.totp_enabled}
            for n, z in enumerate(zones) if n % 2 == 0]
    load.insert(User, rows)
    return len(rows)


def _inspections(load, rng, schools, users, day):
    """Per zone: one inspection five weeks ago with an overdue 整改 item and one due in three
    weeks, one two months ago whose item was reported and accepted."""
    zone_index, picked = {}, []
    for n, (sid, zid, _t) in enumerate(schools):
        zone_index.setdefault(zid, []).append((n, sid))
    inspections = []
    for zn, (_zone, members) in enumerate(sorted(zone_index.items())):
        for weeks_ago, n_sid in ((5, members[0]), (9, members[len(members) // 2])):
            n, sid = n_sid
            inspections.append({"school": sid, "inspector": users[f"zone{zn + 1}"],
                                "day": day - timedelta(weeks=weeks_ago), "summary": "查阅台账,察看辅导室"})
            picked.append((n, sid, weeks_ago))
    ids = load.insert(Inspection, inspections)
    checks, items = [], []
    for iid, (n, sid, weeks_ago), row in zip(ids, picked, inspections, strict=True):
        for pos, d in enumerate(DEFAULTS):
            computed = rng.choice(("met", "met", "open", "missed"))
            checks.append({"inspection": iid, "requirement": d.key, "computed": computed,
                           "verdict": "met" if computed == "met" else "not_met", "note": "", "position": pos})
        owner = users[f"principal{n + 1}"]
        if weeks_ago == 5:
            items += [_item(iid, sid, "配备专职心理健康教育教师", owner, day - timedelta(days=7)),
                      _item(iid, sid, "修订应急预案并组织演练", owner, day + timedelta(weeks=3))]
        else:
            reported = _at(day - timedelta(weeks=5))
            items.append(_item(iid, sid, "补齐心理健康课课时记录", owner, day - timedelta(weeks=4), status="accepted",
                               report_note="已补齐", reported_at=reported, reported_by=owner,
                               decided_at=reported + timedelta(days=2), decided_by=row["inspector"]))
    load.insert(InspectionCheck, checks)
    load.insert(Rectification, items)
    return len(ids), len(items)


def _item(inspection, school, finding, owner, due_on, status="open", report_note="", reported_at=None,
          reported_by=None, decided_at=None, decided_by=None):
    # insert_many takes its columns from the first row: every row names every column.
    return {"inspection": inspection, "school": school, "finding": finding, "owner": owner, "due_on": due_on,
            "status": status, "report_note": report_note, "reported_at": reported_at, "reported_by": reported_by,
            "decided_at": decided_at, "decided_by": decided_by, "return_note": "", "returned_count": 0}


def load_programme(load, rng, zones, schools, classes, users, head_of, day):
    """All of issue 19's records; returns their counts."""
    counts = _register(load, rng, schools, users, day)
    counts["activities"] = _activities(load, rng, schools, classes, users, head_of, day)
    counts["zone_posts"] = len(zones) + _zone_posts(load, zones)
    counts["inspections"], counts["rectifications"] = _inspections(load, rng, schools, users, day)
    return counts
