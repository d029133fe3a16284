"""The emergency plan's steps and the follow-up deadlines: data the county may change, each
from 《实施方案》四、12. A school's own filed plan (a later issue) replaces the county's default
steps for that school; until then every school follows the county's list."""
from datetime import timedelta

from peewee import IntegrityError

from ..db import db
from ..models import IncidentRule, PlanStep

PLAN_SECTION = "《实施方案》四、12"

# The county's default emergency plan, until the county edits it (stored on the first change).
DEFAULT_STEPS = (
    "立即确保学生人身安全，必要时拨打120、110",
    "第一时间报告校长，并通知学生监护人",
    "心理老师到场，对当事学生进行心理危机干预",
    "安抚在场学生，稳定班级秩序，避免信息扩散",
    "按规定向片区和县心理健康教育中心报告",
    "确定受影响学生名单，开展后续心理辅导（加强对其他学生辅导）",
    "做好记录，事件处置结束后组织复盘",
)

# name: (default, unit). 密切 (closest) pupils get their first contact within hours, the rest
# within days.
DEFAULT_RULES = {"close_hours": 24, "general_days": 7}
RULE_LIMITS = {"close_hours": (1, 168), "general_days": (1, 60)}


def county_steps():
    """The county's default list: stored rows, else the defaults above."""
    rows = [step.text for step in PlanStep.select(PlanStep.text).where(PlanStep.school.is_null())
            .order_by(PlanStep.position)]
    return rows or list(DEFAULT_STEPS)


def steps_for(school_id):
    """(source, texts): the school's own filed plan where one exists, else the county's default."""
    if school_id is not None:
        own = [step.text for step in PlanStep.select(PlanStep.text).where(PlanStep.school == school_id)
               .order_by(PlanStep.position)]
        if own:
            return "school", own
    return "county", county_steps()


def save_county_steps(texts):
    with db.atomic():
        PlanStep.delete().where(PlanStep.school.is_null()).execute()
        PlanStep.insert_many([{"school": None, "position": i, "text": text} for i, text in enumerate(texts)]).execute()


def rules():
    stored = {rule.name: rule.value for rule in IncidentRule.select()}
    return {name: stored.get(name, default) for name, default in DEFAULT_RULES.items()}


def save_rules(values):
    with db.atomic():
        for name, value in values.items():
            try:
                with db.atomic():
                    IncidentRule.create(name=name, value=value)
            except IntegrityError:
                IncidentRule.update(value=value).where(IncidentRule.name == name).execute()


def deadline(level, current=None):
    """How long after a pupil is added her first contact is due."""
    current = current or rules()
    if level == "close":
        return timedelta(hours=current["close_hours"])
    return timedelta(days=current["general_days"])
