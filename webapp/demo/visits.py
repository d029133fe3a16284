"""Demo home visits (家访), so a newcomer sees coverage, who is still due and a visit register."""
import random
import uuid
from datetime import UTC, datetime, time, timedelta

from ..clock import LOCAL_TZ, today
from ..models import Child, ClassTeacher, HomeVisit, User
from ..schoolyear import school_year_of
from ..visits import rules, service

SEED = 15  # 《实施方案》四、15
# Share of each head teacher's class already visited this school year.
PROGRESS = {"head1": 0.6, "head2": 0.3, "head3": 0.45}
FINDINGS = (
    "孩子与奶奶同住,作业能按时完成,性格偏内向,放学后多在家看电视。",
    "父母在广东务工,每周视频一次;孩子说想妈妈,情绪总体稳定。",
    "家中整洁,母亲在镇上打零工,对孩子学习比较关心,但辅导有困难。",
    "父亲患病在家休养,家庭收入紧张;孩子懂事,主动帮忙做家务。",
    "父母离异后随父亲生活,与父亲交流少,近期成绩有所下降。",
    "爷爷年事已高,对孩子的安全教育不到位,孩子常独自去河边玩。",
    "家长反映孩子回家后玩手机时间长,亲子之间为此经常争吵。",
)
GUIDANCE = (
    "建议每天固定时间检查作业,多表扬孩子的进步。",
    "建议父母每周至少两次视频通话,多听孩子讲学校里的事。",
    "讲解了防溺水和交通安全要点,请家长看护好孩子。",
    "建议控制手机使用时间,周末多陪孩子户外活动。",
    "告知学校心理辅导室开放时间,有需要可随时联系班主任。",
)
RECEIVERS = (["grandparent"], ["mother"], ["father"], ["father", "mother"], ["other_guardian"])


def _entry_id(label):
    """Stable ids: loading the demo twice never makes two copies."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:visit:{label}"))


def _made_at(day, hour):
    """A local time on `day` as naive UTC, as the database stores it."""
    local = datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def _visit(rng, child, author, day, label, concern=None):
    situation = service.starting_situation(child)
    if rng.random() < 0.15:
        situation.append(rng.choice(("family_change", "tense_relationship", "hardship")))
    data = {
        "visited_on": day, "mode": rng.choice(("on_site", "on_site", "on_site", "phone", "video")),
        "received_by": rng.choice(RECEIVERS), "child_present": rng.random() < 0.7,
        "family_situation": [code for code in rules.FLAG_SITUATIONS + ("family_change", "tense_relationship",
                                                                       "hardship") if code in situation],
        "findings": rng.choice(FINDINGS), "guidance": rng.choice(GUIDANCE), "follow_up": rng.random() < 0.2,
    }
    made_at = _made_at(day, rng.choice((16, 17, 18, 19)))
    visit, created = service.log_visit(child, author, data, made_at, _entry_id(label), concern=concern)
    if created:  # arrived when made: demo visits are past the same-day correction
        HomeVisit.update(received_at=made_at).where(HomeVisit.id == visit.id).execute()
    return visit


def load_demo_visits():
    rng = random.Random(SEED)
    day = today()
    start = rules.year_bounds(school_year_of(day))[0]
    span = max((day - start).days, 0)
    for username, share in PROGRESS.items():
        author = User.get_or_none(User.username == username)
        if author is None:
            continue
        class_ids = ClassTeacher.select(ClassTeacher.school_class).where(ClassTeacher.user == author)
        children = list(Child.select().where(Child.school_class.in_(class_ids)).order_by(Child.id))
        visited = children[: round(len(children) * share)]
        for number, child in enumerate(visited):
            visit_day = start + timedelta(days=rng.randint(0, span))
            _visit(rng, child, author, visit_day, f"{username}:{number}")
    # One visit this week that raised a concern the counsellor is following.
    head1 = User.get_or_none(User.username == "head1")
    if head1 is not None:
        class_ids = ClassTeacher.select(ClassTeacher.school_class).where(ClassTeacher.user == head1)
        last = Child.select().where(Child.school_class.in_(class_ids)).order_by(Child.id.desc()).first()
        if last is not None:
            _visit(rng, last, head1, max(start, day - timedelta(days=2)), "head1:concern", concern=(
                "soon", "家访时发现孩子手臂有淤青,祖母称是摔伤,孩子回避话题,建议心理老师尽快约谈。"))
