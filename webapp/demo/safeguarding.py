"""Demo records of the safeguarding core, so a newcomer sees concerns, cases and referrals."""
import uuid
from datetime import timedelta

from ..clock import today, utcnow
from ..models import Child, ClassTeacher, Institution, KeyPeriod, User
from ..safeguarding import cases, concerns, referrals

INSTITUTIONS = (
    ("达州市精神卫生中心", "psychiatric"),
    ("渠县人民医院心理门诊", "hospital"),
    ("渠县阳光社会工作服务中心", "agency"),
)


def _entry_id(label):
    """Stable ids: loading the demo twice never makes two copies."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:{label}"))


def _pupils_of(username, count):
    teacher = User.get(User.username == username)
    class_ids = ClassTeacher.select(ClassTeacher.school_class).where(ClassTeacher.user == teacher)
    taken = User.select(User.child).where(User.child.is_null(False))
    return list(
        Child.select().where(Child.school_class.in_(class_ids) & Child.id.not_in(taken))
        .order_by(Child.id).limit(count)
    )


def load_demo_safeguarding():
    users = {u.username: u for u in User.select()}
    now, day = utcnow(), today()
    for name, kind in INSTITUTIONS:
        Institution.get_or_create(name=name, defaults={"kind": kind})
    hospital = Institution.get(Institution.name == INSTITUTIONS[0][0])
    KeyPeriod.get_or_create(kind="exams", starts_on=day + timedelta(days=21),
                            defaults={"ends_on": day + timedelta(days=35)})

    class41, class42 = _pupils_of("head1", 4), _pupils_of("head2", 2)
    # Waiting right now: an urgent concern nobody has acknowledged yet.
    concerns.raise_concern(class41[0], users["head1"], "urgent",
                           "课间独自在楼梯间哭泣,说“活着没意思”,手腕上有划痕。",
                           now - timedelta(minutes=12), _entry_id("urgent"))
    soon, _ = concerns.raise_concern(class42[0], users["head2"], "soon",
                                     "近两周三次未交作业,上课趴桌,父母离异后随奶奶生活。",
                                     now - timedelta(days=2), _entry_id("soon"))
    concerns.acknowledge(soon, users["counselor1"], now - timedelta(days=2))
    concerns.triage(soon, users["counselor1"], now - timedelta(days=2), "attention", "monitor",
                    "已约谈,先持续关注,两周后复评。")

    # A 高危 case with its team, notes (one restricted) and a referral awaiting its outcome.
    origin, _ = concerns.raise_concern(class41[1], users["head1"], "urgent",
                                       "在作文中多次写到想离开这个世界。", now - timedelta(days=20),
                                       _entry_id("case-origin"))
    concerns.acknowledge(origin, users["counselor1"], now - timedelta(days=20))
    high, _ = cases.open_case(
        class41[1], users["counselor1"], day - timedelta(days=20), "high", ["mental_health", "family"],
        "情绪稳定,按时上学;家长掌握陪伴方法。", "每周两次个别辅导;班主任每日关注;联系家长每周一次。",
        users["counselor1"], [users["head1"], users["zone1"]], _entry_id("case-high"), concern=origin,
        opened_at=now - timedelta(days=20),
    )
    cases.add_note(high, users["head1"], "与母亲电话沟通,母亲同意周末多陪伴。", False, False,
                   day - timedelta(days=6), now - timedelta(days=6), _entry_id("note-1"), day)
    cases.add_note(high, users["counselor1"], "个别辅导:自述夜间失眠,偶有自伤念头,已做安全约定。", True, True,
                   day - timedelta(days=3), now - timedelta(days=3), _entry_id("note-2"), day)
    referral, _ = referrals.refer(high, users["counselor1"], hospital, day - timedelta(days=10), True, True,
                                  "paper", "已交接辅导记录与家长知情同意书。", _entry_id("referral"))
    if not referral.feedback.exists():
        referrals.add_feedback(referral, users["counselor1"], day - timedelta(days=4),
                               "门诊初诊:建议药物配合心理治疗,两周后复诊。", False)
    # A later concern about the same pupil joins her open case (one child, one plan): it shows on
    # the case page, and her 责任人 has a message in the inbox.
    concerns.raise_concern(class41[1], users["head1"], "soon", "这周两次午饭没吃,课间一个人待在教室。",
                           now - timedelta(days=1), _entry_id("case-joined"))

    # A 关注 case whose review is overdue, and one at the other school.
    cases.open_case(class41[2], users["counselor1"], day - timedelta(days=40), "attention", ["left_behind"],
                    "保持与外出父母每周视频联系。", "童伴妈妈每月家访;班主任关注学习状态。",
                    users["head1"], [users["worker1"]], _entry_id("case-attention"),
                    opened_at=now - timedelta(days=40))
    school2 = _pupils_of("head3", 1)
    if school2:
        cases.open_case(school2[0], users["counselor2"], day - timedelta(days=5), "key", ["family"],
                        "改善亲子沟通。", "每两周家校沟通一次。", users["counselor2"], [users["head3"]],
                        _entry_id("case-key"), opened_at=now - timedelta(days=5))
