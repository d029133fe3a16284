"""What issue 18 adds to the synthetic county, at county scale: one screening round (grades 4–9)
in progress, an imported MHT for about seven in ten of those pupils (一般 mostly), a 测评预警
for about one in twenty-five results (关注, 重点, 高危; some followed up in time, some late, some
open and overdue), and teachers' self-check counts per school.

Drawn from a random generator of its own, so the rest of the county stays what it was for a seed.
Rows go in through the gen-county Loader (insert_many in chunks), never one by one."""
import json
import random
from datetime import datetime, time, timedelta

from ..models import ScreeningResult, ScreeningRound, ScreeningWarning, SelfCheckCount

SCREENED_SHARE, WARNING_SHARE = 0.7, 0.04
SUBSCALES = ("study", "social", "lonely", "blame", "sensitive", "body", "fear", "impulse")


def screening_rng(seed):
    return random.Random(f"xinqiao:gen:screening:{seed}")


def load_screening(load, rng, schools, classes, child_ids, kids, county_user, day, year):
    """Returns counts of what was made."""
    opens = day - timedelta(days=30)
    round_id = load.insert(ScreeningRound, [{
        "school_year": year, "name": f"{year} 学年心理健康测评", "opens_on": opens,
        "closes_on": day + timedelta(days=30),
        "grades": "4,5,6,7,8,9", "instruments": "mht,phq9,gad7", "opened_by": county_user,
        "opened_at": datetime.combine(opens, time(1))}])[0]
    grade_of = {c["id"]: c["grade"] for c in classes}
    results, flagged = [], []
    for cid, kid in zip(child_ids, kids, strict=True):
        if grade_of[kid["school_class"]] < 4 or rng.random() >= SCREENED_SHARE:
            continue
        taken = opens + timedelta(days=rng.randrange(25))
        scores = {code: rng.randint(0, 6) for code in SUBSCALES}
        level = "general"
        if rng.random() < WARNING_SHARE:
            level = rng.choices(("attention", "key", "high"), (6, 3, 1))[0]
            scores["study"] = {"attention": 9, "key": 13, "high": 15}[level]
        results.append({"round": round_id, "child": cid, "school": kid["school"], "school_class": kid["school_class"],
                        "instrument": "mht", "total": sum(scores.values()), "subscales": json.dumps(scores),
                        "answers": "", "level": level, "critical": False, "source": "import", "taken_on": taken,
                        "entered_at": datetime.combine(taken, time(8)), "client_uuid": f"gen-screen-{cid}"})
        if level != "general":
            flagged.append(len(results) - 1)
    result_ids = load.insert(ScreeningResult, results)
    warnings = []
    now = datetime.combine(day, time(2))
    for index in flagged:
        row = results[index]
        raised = datetime.combine(row["taken_on"], time(9))
        due = raised + timedelta(days={"attention": 9, "key": 5, "high": 1}[row["level"]])
        state = rng.random()
        closed = None if state < 0.3 else raised + timedelta(days=rng.randrange(1, 12))
        closed = closed if closed is None or closed < now else None
        warnings.append({"result": result_ids[index], "round_id": round_id, "child": row["child"],
                         "school": row["school"],
                         "level": row["level"], "critical": False, "raised_at": raised, "due_at": due,
                         "interviewed_on": closed.date() if closed else None,
                         "outcome": rng.choice(("excluded", "monitor", "monitor", "case")) if closed else None,
                         "outcome_reason": "复谈后排除" if closed else "", "closed_at": closed})
    for row in warnings:
        if row["outcome"] != "excluded":
            row["outcome_reason"] = ""
    load.insert(ScreeningWarning, warnings)
    month = day.strftime("%Y-%m")
    counts = [{"school": sid, "month": month, "instrument": code, "level": level, "count": rng.randint(0, 6)}
              for sid, _z, _t in schools for code in ("phq9", "gad7") for level in ("general", "attention")]
    load.insert(SelfCheckCount, counts)
    return {"screening_results": len(results), "screening_warnings": len(warnings)}
