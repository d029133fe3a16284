"""Demo records of the annual screening (《实施方案》四、8): one round in progress. School 1 has
imported the MHT of grades 5 and 6 and run a supervised PHQ-9 session for part of class 4-1; two
测评预警 wait for counselor1 (one a critical answer, which also raised an urgent concern), one
follow-up is done; a few teachers have taken the self-check (counts only)."""
import random
import uuid
from datetime import timedelta

from ..clock import today, utcnow
from ..models import Child, School, SchoolClass, ScreeningRound, ScreeningSession, ScreeningWarning, User
from ..screening import instruments, service, settings
from ..screening.selfcheck import count_one

SUBSCALES = [s["code"] for s in instruments.get("mht").subscales]
SUBSCALE_MAX = {s["code"]: s["max"] for s in instruments.get("mht").subscales}


def _entry_id(label):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:screening:{label}"))


def _quiet_mht(rng):
    """An MHT with every subscale below 8 and a total below 56: 一般."""
    scores = {code: rng.randint(1, 6) for code in SUBSCALES}
    return sum(scores.values()), scores


def load_demo_screening():
    if ScreeningRound.select().exists():
        return
    rng = random.Random(18)
    day = today()
    users = {u.username: u for u in User.select().where(User.username.in_(("county", "counselor1")))}
    counselor = users["counselor1"]
    screening_round = ScreeningRound.create(
        school_year=SchoolClass.select().first().school_year, name=f"{day.year} 年秋季心理健康测评",
        opens_on=day - timedelta(days=14), closes_on=day + timedelta(days=30), grades="4,5,6,7,8,9",
        instruments="mht,phq9,gad7", opened_by=users["county"])
    school = School.get(School.id == counselor.school_id)
    classes = {(c.grade, c.number): c for c in SchoolClass.select().where(SchoolClass.school == school.id)}
    pupils = {key: list(Child.select().where(Child.school_class == c.id).order_by(Child.id))
              for key, c in classes.items()}
    imported_on = day - timedelta(days=6)
    values = settings.current()
    # The imported MHT of grades 5 and 6: all 一般 but one 重点 (waiting) and one 关注 (done).
    key_pupil, watched_pupil = pupils[(5, 1)][3], pupils[(6, 1)][5]
    for grade in (5, 6):
        for child in pupils.get((grade, 1), []):
            total, scores = _quiet_mht(rng)
            if child.id == key_pupil.id:
                scores = {**scores, "study": 13, "social": 9, "lonely": 9, "blame": 9, "sensitive": 8, "body": 10,
                          "fear": 4, "impulse": 5}
                total = sum(scores.values())
            elif child.id == watched_pupil.id:
                scores = {**scores, "lonely": 8}
                total = sum(scores.values())
            service.record_result(child, instruments.get("mht"), total=total, subscales=scores, source="import",
                                  taken_on=imported_on, user=counselor, client_uuid=_entry_id(f"mht-{child.id}"),
                                  screening_round=screening_round, values=values)
    # The file was confirmed six days ago: its warnings were raised then, with their deadlines.
    raised = utcnow() - timedelta(days=6)
    for warning in ScreeningWarning.select().where(ScreeningWarning.school == school.id):
        warning.raised_at, warning.due_at = raised, settings.due_at(raised, warning.level, warning.critical, values)
        warning.save()
    done = watched_pupil.screening_warnings.get()
    service.record_interview(done, counselor, day - timedelta(days=3), "转学后没有朋友,已安排心理委员结伴,班主任知悉。")
    service.close_warning(done, counselor, "monitor", "", rescreen_weeks=6, now=utcnow() - timedelta(days=3))
    # The supervised PHQ-9 session of class 4-1 this morning: half the class so far, one critical answer.
    session = ScreeningSession.create(round=screening_round, school_class=classes[(4, 1)], instrument="phq9",
                                      started_by=counselor, started_at=utcnow() - timedelta(hours=2),
                                      ended_at=utcnow() - timedelta(hours=1))
    class41 = pupils[(4, 1)]
    for index, child in enumerate(class41[: len(class41) // 2]):
        answers = [rng.choice((0, 0, 0, 1)) for _ in range(8)] + [0]
        if index == 2:
            answers = [1, 2, 1, 1, 0, 2, 1, 0, 1]  # 9: 轻度, but item 9 answered: contact today
        service.record_result(child, instruments.get("phq9"), answers=answers, source="session", taken_on=day,
                              user=counselor, client_uuid=f"s{session.id}-{child.id}", screening_round=screening_round,
                              values=values)
    # Teachers' self-check: counts only (school 1 has enough to show; school 2 too few).
    month = day.strftime("%Y-%m")
    for code, level, times in (("phq9", "general", 5), ("phq9", "attention", 1), ("gad7", "general", 3)):
        for _ in range(times):
            count_one(school.id, month, code, level)
    other = School.select().where(School.id != school.id).order_by(School.id).first()
    for _ in range(2):
        count_one(other.id, month, "phq9", "general")
