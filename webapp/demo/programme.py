"""Demo programme registers (issue 19): four schools at different stages of 《实施方案》's numbers.

School 1 nearly compliant (its open lesson still to come, a 兼职's training running out), school 2
half-way (room built but not standard, last year's plan), school 3 without a 专职 teacher, a room
or a plan, school 4 with a 兼职 untrained for over three years. Lessons run up to today."""
import uuid
from datetime import timedelta

from ..clock import today
from ..models import (
    ROOM_EQUIPMENT,
    ClassTeacher,
    CounsellingRoom,
    EmergencyPlan,
    PlanStep,
    ProgrammeActivity,
    ProgrammeStaff,
    School,
    SchoolClass,
    Training,
    User,
)
from ..programme.rules import months_before, term_bounds, year_bounds
from ..schoolyear import school_year_of

SCHOOL1_PLAN = (
    "发现学生心理危机，第一时间确保学生人身安全，必要时拨打120、110",
    "立即报告校长和心理辅导室（分管副校长 30 分钟内到场）",
    "心理老师进行危机干预，班主任通知监护人到校",
    "安抚在场学生，稳定班级秩序",
    "按规定向片区和县心理健康教育中心报告",
    "确定受影响学生名单，开展后续心理辅导",
    "处置结束后一周内组织复盘，修订本预案",
)
TOPICS = ("认识情绪", "学会倾听", "我的优点", "与同伴相处", "面对挫折", "合理安排时间", "感恩父母", "青春期的我",
          "考试不紧张", "珍爱生命")
# school index: (share of the every-two-weeks pace each class keeps, the school-wide activities of this term)
PACE = {0: 1.0, 1: 0.6, 2: 0.3, 3: 0.5}
TERM_ACTIVITIES = {
    0: ("law", "school_training", "parent_school", "team_lesson"),
    1: ("law", "parent_school"),
    2: (),
    3: ("school_training",),
}


def _entry_id(label):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:programme:{label}"))


def _staff(school, name, post, qualification="", user=None, trainings=()):
    member = ProgrammeStaff.create(school=school, name=name, post=post, qualification=qualification, user=user)
    for day, hours, level, title in trainings:
        Training.create(staff=member, day=day, hours=hours, level=level, title=title)
    return member


def _activities(school, classes, pace, kinds, day, authors):
    first, _last = term_bounds(day)
    rows = []
    for n, school_class in enumerate(classes):
        author = authors.get(school_class.id)
        # One lesson every two weeks from the second week of term, as far as today, at the school's pace.
        lesson_days = [first + timedelta(days=8 + 14 * k) for k in range(20)]
        lesson_days = [d for d in lesson_days if d <= day]
        share = pace if n % 2 == 0 else pace * 0.8  # every other class lags a little
        kept = lesson_days[:int(len(lesson_days) * share + 0.5)]
        for k, lesson_day in enumerate(kept):
            rows.append({"school": school.id, "school_class": school_class.id, "kind": "lesson", "day": lesson_day,
                         "topic": TOPICS[k % len(TOPICS)], "author": author, "made_at": lesson_day,
                         "client_uuid": _entry_id(f"{school.id}:{school_class.id}:{k}")})
    for k, kind in enumerate(kinds):
        when = min(first + timedelta(days=20 + 9 * k), day)
        rows.append({"school": school.id, "school_class": None, "kind": kind, "day": when,
                     "topic": {"law": "法治进校园：远离校园欺凌", "school_training": "班主任心理危机识别培训",
                               "parent_school": "家长学校：如何与孩子沟通", "team_lesson": "珍爱生命主题队课",
                               "expert_lecture": "心理大课堂：情绪管理"}[kind],
                     "author": None, "made_at": when, "client_uuid": _entry_id(f"{school.id}:{kind}:{k}")})
    if rows:
        ProgrammeActivity.insert_many(rows).execute()


def load_demo_programme():
    day = today()
    year_first, _year_last = year_bounds(day)
    schools = list(School.select().order_by(School.id).limit(4))
    counsellors = {u.school_id: u for u in User.select().where(User.role == "counselor")}
    heads = {ct.school_class_id: ct.user_id for ct in ClassTeacher.select()}
    for index, school in enumerate(schools):
        classes = list(SchoolClass.select().where((SchoolClass.school == school)
                                                  & (SchoolClass.school_year == school_year_of(day)))
                       .order_by(SchoolClass.grade, SchoolClass.number))
        _activities(school, classes, PACE[index], TERM_ACTIVITIES[index], day, heads)
        if index == 0:
            _staff(school, "刘晓梅", "full_time", "心理健康教育教师资格（B证）", counsellors.get(school.id),
                   [(months_before(day, 5), 24, "city", "达州市心理健康教育骨干教师培训")])
            _staff(school, "何静", "part_time", "心理健康教育C证",
                   trainings=[(months_before(day, 20), 16, "county", "渠县兼职心理教师全员培训")])
            _staff(school, "唐文", "part_time", "",
                   trainings=[(months_before(day, 35), 12, "county", "渠县兼职心理教师全员培训")])
            CounsellingRoom.create(school=school, built=True, built_year=2021, standard=True, standard_year=2022,
                                   equipment=",".join(ROOM_EQUIPMENT))
            EmergencyPlan.create(school=school, approved_on=min(year_first + timedelta(days=10), day),
                                 last_drill_on=min(year_first + timedelta(days=40), day))
            PlanStep.insert_many([{"school": school.id, "position": n, "text": text}
                                  for n, text in enumerate(SCHOOL1_PLAN)]).execute()
            lecture_day = min(year_first + timedelta(days=30), day)
            ProgrammeActivity.create(school=school, kind="expert_lecture", day=lecture_day,
                                     topic="心理大课堂：情绪管理", made_at=lecture_day,
                                     client_uuid=_entry_id("1:lecture"))
        elif index == 1:
            _staff(school, "蒲小兰", "full_time", "心理健康教育C证", counsellors.get(school.id),
                   [(months_before(day, 14), 16, "county", "渠县兼职心理教师全员培训")])
            CounsellingRoom.create(school=school, built=True, built_year=2023, equipment="individual_room,books")
            EmergencyPlan.create(school=school, approved_on=year_first - timedelta(days=200))
        elif index == 2:
            # No 专职 post: the psychology lessons fall to a part-time teacher, never trained.
            _staff(school, "邓红", "part_time", "")
        else:
            _staff(school, "雷波", "full_time", "心理健康教育C证")
            _staff(school, "苏芳", "part_time", "",
                   trainings=[(months_before(day, 40), 12, "county", "渠县兼职心理教师全员培训")])
            CounsellingRoom.create(school=school, built=True, built_year=2020, standard=True, standard_year=2023,
                                   equipment="individual_room,group_room,books")
            EmergencyPlan.create(school=school, approved_on=min(year_first + timedelta(days=20), day))
