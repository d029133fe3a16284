"""What issue 16 adds to the synthetic county, at county scale: the key groups that are someone's
judgment (问题家庭 on ~3% of children, 精神病史 on ~0.3%), later concerns joined to open cases,
and critical incidents (a few per school year per zone) with their checklist and postvention.

Drawn from a random generator of its own, so the rest of the county stays what it was for a seed.
Rows go in through the gen-county Loader (insert_many in chunks), never one by one.
"""
import random
import uuid
from datetime import datetime, time, timedelta

from ..incidents.plan import DEFAULT_RULES, DEFAULT_STEPS
from ..models import Concern, FollowUp, Incident, IncidentChild, IncidentStep, PsychiatricHistory

PROBLEM_FAMILY_SHARE, PSYCHIATRIC_SHARE = 0.03, 0.003
INCIDENTS_PER_ZONE_YEAR = 4
KINDS = ("bullying", "bullying", "accident", "accident", "self_harm", "violence", "family_crisis", "death",
         "disaster", "other")
JOINED_SHARE = 0.4  # of open cases, a later concern about the same child joined to the case


def _uuid(kind, n):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao:gen:{kind}:{n}"))


def care_rng(seed):
    return random.Random(f"xinqiao:gen:crisis:{seed}")


def mark_problem_families(rng, kids):
    """Set the 问题家庭 column on the child rows before they are inserted."""
    for kid in kids:
        kid["problem_family"] = rng.random() < PROBLEM_FAMILY_SHARE


def load_key_groups(load, rng, child_ids, kids, counsellor_of, start):
    """精神病史 rows, recorded by the child's school psychology teacher."""
    rows = [{"child": cid, "set_by": counsellor_of.get(kid["school"]), "set_at": start}
            for n, (cid, kid) in enumerate(zip(child_ids, kids, strict=True))
            if rng.random() < PSYCHIATRIC_SHARE or n == len(kids) // 2]  # at least one, however small
    load.insert(PsychiatricHistory, rows)
    return len(rows)


def join_concerns_to_cases(load, rng, db, cases, head_of, school_class_of, now):
    """The concern each case grew from belongs to it (concern.case_id), and a share of the open
    cases has a later concern about the same child that joined it, as the app does."""
    db.execute_sql('UPDATE concern SET case_id = (SELECT c.id FROM "case" c WHERE c.concern_id = concern.id) '
                   'WHERE case_id IS NULL AND EXISTS (SELECT 1 FROM "case" c WHERE c.concern_id = concern.id)')
    rows = []
    for case_id, case in cases:
        if case["status"] != "open" or (rows and rng.random() >= JOINED_SHARE):  # the first always
            continue
        received = max(case["opened_at"], now - timedelta(days=60)) + timedelta(hours=rng.randrange(1, 24 * 20))
        received = min(received, now - timedelta(minutes=30))
        status = rng.choice(("acknowledged", "monitoring", "closed"))
        rows.append({"child": case["child"], "reporter": head_of[school_class_of[case["child"]]], "source": "staff",
                     "urgency": rng.choices(("normal", "soon", "urgent"), (6, 3, 1))[0], "description": "近期情绪反复",
                     "made_at": received, "received_at": received, "client_uuid": _uuid("joined-concern", len(rows)),
                     "status": status, "acknowledged_at": received + timedelta(minutes=rng.randrange(5, 300)),
                     "case_id": case_id})
    load.insert(Concern, rows)
    return len(rows)


def _incident_rows(rng, zone_schools, classes_of, year_start, year_end, now, year):
    """(incident row, its class) for a few incidents per zone in the school year [start, end)."""
    made = []
    span = max((min(year_end, now) - year_start).days, 1)
    for zone, schools in sorted(zone_schools.items()):
        for n in range(INCIDENTS_PER_ZONE_YEAR):
            school = rng.choice(schools)
            happened = year_start + timedelta(days=rng.randrange(span), minutes=rng.randrange(8 * 60, 17 * 60))
            happened = min(happened, now - timedelta(hours=2))
            made.append(({"zone": zone, "kind": rng.choice(KINDS), "school": school, "village": None,
                          "happened_at": happened,
                          "description": "课间发生,已按应急预案处置。", "made_at": happened + timedelta(minutes=10),
                          "received_at": happened + timedelta(minutes=11),
                          "client_uuid": _uuid("incident", f"{year}:{zone}:{n}"), "plan_source": "county"},
                         rng.choice(classes_of[school])))
    return made


def load_incidents(load, rng, schools, classes, pupils_of, head_of, staff_of, start, now):
    """Incidents of this school year and the last, per zone; all but the newest of each zone this
    year closed with a review; each with the plan's steps and its class followed up."""
    zone_schools, classes_of = {}, {}
    for sid, zone, _town in schools:
        zone_schools.setdefault(zone, []).append(sid)
    for c in classes:
        classes_of.setdefault(c["school"], []).append(c["id"])
    this_year = datetime.combine(start, time())
    last_year = this_year.replace(year=start.year - 1)
    made = _incident_rows(rng, zone_schools, classes_of, last_year, this_year, now, start.year - 1)
    before = len(made)
    made += _incident_rows(rng, zone_schools, classes_of, this_year, now, now, start.year)
    # The newest incident of each zone this year is still being handled.
    newest = {}
    for n in range(before, len(made)):
        zone = made[n][0]["zone"]
        if zone not in newest or made[n][0]["happened_at"] > made[newest[zone]][0]["happened_at"]:
            newest[zone] = n
    still_open = set(newest.values())
    for n, (row, class_id) in enumerate(made):
        del row["zone"]
        opener, counsellor = head_of[class_id], staff_of[row["school"]]
        closed = n not in still_open
        row.update(opened_by=opener, status="closed" if closed else "open",
                   closed_by=counsellor if closed else None,
                   closed_at=row["happened_at"] + timedelta(days=rng.randrange(7, 30)) if closed else None,
                   review_what="处置及时,当事学生已返校。" if closed else "",
                   review_learned="加强课间巡查,完善家校沟通。" if closed else "")
        if closed:
            row["closed_at"] = min(row["closed_at"], now - timedelta(hours=1))
    incident_ids = load.insert(Incident, [row for row, _c in made])

    involved, steps, follow_ups = [], [], []
    close_hours, general_days = DEFAULT_RULES["close_hours"], DEFAULT_RULES["general_days"]
    for incident_id, (row, class_id) in zip(incident_ids, made, strict=True):
        pupils = pupils_of[class_id]
        picked = rng.sample(pupils, min(len(pupils), rng.choice((1, 1, 2))))
        involved += [{"incident": incident_id, "child": cid} for cid in picked]
        closed, at = row["status"] == "closed", row["happened_at"]
        done_steps = len(DEFAULT_STEPS) if closed else 3
        for position, text in enumerate(DEFAULT_STEPS):
            done = position < done_steps
            steps.append({"incident": incident_id, "position": position, "text": text,
                          "done_by": staff_of[row["school"]] if done else None,
                          "done_at": at + timedelta(minutes=15 * (position + 1)) if done else None})
        # Postvention: the rest of the class, the first few close (desk-mates, friends, witnesses).
        added = at + timedelta(hours=2)
        others = [cid for cid in pupils if cid not in picked]
        for k, cid in enumerate(others):
            level = "close" if k < 3 else "general"
            due = added + (timedelta(hours=close_hours) if level == "close" else timedelta(days=general_days))
            # Closed incidents: every task done. Open ones: about half done, the rest due or overdue.
            done = closed or rng.random() < 0.5
            done_at = min(added + (due - added) * rng.uniform(0.2, 0.9), now) if done else None
            owner = staff_of[row["school"]] if level == "close" else head_of[class_id]
            follow_ups.append({"incident": incident_id, "child": cid, "level": level, "owner": owner,
                               "added_by": staff_of[row["school"]], "added_at": added, "due_at": due,
                               "done_by": owner if done else None, "done_at": done_at,
                               "note": "已谈话,情绪平稳。" if done else "", "concern_id": None})
    load.insert(IncidentChild, involved)
    load.insert(IncidentStep, steps)
    load.insert(FollowUp, follow_ups)
    return len(incident_ids), len(follow_ups)
