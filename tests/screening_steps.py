"""Steps of the screening tests: a round, an import file, a pupil's answers."""
import io
from datetime import date, datetime

from openpyxl import Workbook

from webapp.models import ScreeningRound

HEADER = ["学籍号", "姓名", "班级", "出生日期", "量表", "总分", "学习焦虑", "对人焦虑", "孤独倾向", "自责倾向",
          "过敏倾向", "身体症状", "恐怖倾向", "冲动倾向", "测评日期"]
QUIET = [5, 5, 5, 5, 5, 5, 5, 5]  # an MHT of 40, 一般


def open_round(county, grades="3,4,5", instruments="mht,phq9,gad7"):
    return ScreeningRound.create(school_year=2026, name="2026 秋季心理测评", opens_on=date(2026, 11, 1),
                                 closes_on=date(2026, 12, 20), grades=grades, instruments=instruments,
                                 opened_by=county.users.county)


def mht_row(name, class_name, subscales=QUIET, number="", birth="", day="2026-11-10"):
    return [number, name, class_name, birth, "MHT", sum(subscales), *subscales, day]


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def upload(browser, round_id, data, filename="results.xlsx"):
    browser.get(f"/screening/{round_id}/import")
    return browser.post(f"/screening/{round_id}/import", {"file": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


def screening_world(county):
    """For the access matrix: one round; per school (1 and 2) a critical PHQ-9 result with its
    warning, a file waiting for confirmation and a class session. ({own ids}, {other ids})."""
    from webapp.models import ScreeningImport, ScreeningSession
    from webapp.screening import instruments, service

    screening_round = open_round(county, grades="4")
    sides = []
    for child, counselor, school_class, school in (
            (county.kids.zhang_san, county.users.counselor1, county.classes.c41, county.schools[0]),
            (county.kids.zhou_ba, county.users.counselor2, county.classes.s2c41, county.schools[1])):
        result, _created = service.record_result(
            child, instruments.get("phq9"), answers=[3] * 9, source="individual", taken_on=date(2026, 11, 18),
            user=counselor, client_uuid=f"world-{child.id}", screening_round=screening_round)
        pending = ScreeningImport.create(round=screening_round, school=school, uploaded_by=counselor,
                                         filename="results.xlsx", data=xlsx([mht_row(child.name, "4-1")]))
        session = ScreeningSession.create(round=screening_round, school_class=school_class, instrument="phq9",
                                          started_by=counselor)
        sides.append({"code": "phq9", "round_id": screening_round.id, "result_id": result.id,
                      "warning_id": result.warnings.get().id, "import_id": pending.id, "session_id": session.id})
    return sides[0], sides[1]


def screening_for_query_counts(app, county):
    """A round, a warning for 张三 and a self-check count: the ids the query-count pages need."""
    from webapp.screening import instruments, service
    from webapp.screening.selfcheck import count_one

    with app.app_context():
        screening_round = open_round(county, grades="3,4,5")
        result, _created = service.record_result(
            county.kids.zhang_san, instruments.get("phq9"), answers=[3] * 9, source="individual",
            taken_on=date(2026, 11, 18), user=county.users.counselor1, client_uuid="qc-1",
            screening_round=screening_round)
        count_one(county.schools[0].id, "2026-11", "phq9", "general")
        return {"round": screening_round.id, "result": result.id, "warning": result.warnings.get().id}


def grow_screening(app):
    """Every grown pupil (测试…) without a result gets an MHT result, one in ten a 关注 warning."""
    import json

    from webapp.db import db
    from webapp.models import Child, ScreeningResult, ScreeningRound, ScreeningWarning

    with app.app_context():
        screening_round = ScreeningRound.select().first()
        if screening_round is None:
            return
        taken = ScreeningResult.select(ScreeningResult.child)
        pupils = list(Child.select(Child.id, Child.school, Child.school_class)
                      .where(Child.name.startswith("测试") & Child.id.not_in(taken)))
        with db.atomic():
            rows = [{"round": screening_round.id, "child": c.id, "school": c.school_id,
                     "school_class": c.school_class_id, "instrument": "mht", "total": 40 if c.id % 10 else 60,
                     "subscales": json.dumps({}),
                     "answers": "", "level": "general" if c.id % 10 else "attention", "critical": False,
                     "source": "import", "taken_on": date(2026, 11, 10), "client_uuid": f"grow-{c.id}"}
                    for c in pupils]
            for start in range(0, len(rows), 500):
                ScreeningResult.insert_many(rows[start:start + 500]).execute()
            flagged = ScreeningResult.select().where(ScreeningResult.client_uuid.startswith("grow-")
                                                     & (ScreeningResult.level == "attention")
                                                     & ScreeningResult.id.not_in(
                                                         ScreeningWarning.select(ScreeningWarning.result)))
            warnings = [{"result": r.id, "child": r.child_id, "school": r.school_id, "level": "attention",
                         "raised_at": datetime(2026, 11, 18), "due_at": datetime(2026, 11, 27)} for r in flagged]
            for start in range(0, len(warnings), 500):
                ScreeningWarning.insert_many(warnings[start:start + 500]).execute()
