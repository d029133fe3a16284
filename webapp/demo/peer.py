"""Demo records of the class psychology committee of class 4-1 (school 1): three weeks of weekly
class reports (one nil, one naming a classmate twice in a row), a supplement, peer support and a
concern about a classmate, so a newcomer sees the committee's work and its status."""
import uuid
from datetime import UTC, datetime, time, timedelta

from ..clock import LOCAL_TZ, today, utcnow
from ..models import Child, ClassTeacher, PeerSupport, User, WeeklyReport
from ..peer import rules, service
from ..safeguarding import concerns


def _entry_id(label):
    """Stable ids: loading the demo twice never makes two copies."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:peer:{label}"))


def _at(day, hour):
    """A county-local time on `day` as naive UTC, as the database stores it."""
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _report(author, school_class, monday, label, nil=False, mood=None, events="", mentions=()):
    made = _at(monday + timedelta(days=4), 16)  # Friday after class
    report, created = service.submit_weekly(author, school_class, monday, nil, mood, events, list(mentions), made,
                                            _entry_id(label))
    if created:
        WeeklyReport.update(received_at=made + timedelta(minutes=3)).where(WeeklyReport.id == report.id).execute()
    return report


def load_demo_peer():
    users = {u.username: u for u in User.select().where(User.username.in_(
        ("committee1", "committee2", "head1", "counselor1")))}
    boy, girl = users.get("committee1"), users.get("committee2")
    if boy is None or girl is None or boy.child is None:
        return
    school_class = boy.child.school_class
    members = User.select(User.child).where(User.child.is_null(False))
    classmates = list(Child.select().where((Child.school_class == school_class.id) & Child.id.not_in(members))
                      .order_by(Child.id.desc()).limit(4))
    if len(classmates) < 4 or not ClassTeacher.select().where(ClassTeacher.school_class == school_class.id).exists():
        return
    quiet, sad, helped, worried = classmates
    this_week = rules.week_start(today())
    weeks = [this_week - timedelta(weeks=n) for n in (3, 2, 1)]

    first = _report(girl, school_class, weeks[0], "week-3", nil=True)
    second = _report(boy, school_class, weeks[1], "week-2", mood=4, events="运动会班级接力拿了第二名,大家都很开心。",
                     mentions=[{"child": quiet, "noticed": "上课总是走神,下课一个人待在座位上。", "days": 4,
                                "talked": False, "urgency": "normal"}])
    now = utcnow()
    service.confirm_week(first, users["head1"], "", now - timedelta(days=14))
    service.confirm_week(second, users["head1"], "已找他单独聊过,会继续留意。", now - timedelta(days=7))
    # Last week: the same classmate again (→ a concern by the two-weeks rule), one more who needs
    # help soon, and the other member's supplement; still waiting for the head teacher's 确认.
    _report(girl, school_class, weeks[2], "week-1", mood=3, events="期中考试后有几位同学情绪低落。", mentions=[
        {"child": quiet, "noticed": "还是不太说话,午饭也没怎么吃。", "days": 7, "talked": True, "urgency": "normal"},
        {"child": sad, "noticed": "和同桌吵架后哭了好几次,说不想来上学。", "days": 2, "talked": False,
         "urgency": "soon"},
    ])
    _report(boy, school_class, weeks[2], "week-1-supplement", events="周五有同学转学了,他的好朋友有点难过。")

    service.log_support(girl, school_class, helped, ["study"], "数学作业不会做,急哭了。",
                        "午休时陪她一起把错题讲了一遍。", False, _at(weeks[2] + timedelta(days=2), 13),
                        _entry_id("support-1"))
    service.log_support(boy, school_class, None, ["family", "mood"], "有位同学说爸爸妈妈总吵架,晚上睡不好。",
                        "听他说了很久,告诉他可以去心理辅导室。", True, _at(this_week, 12), _entry_id("support-2"))
    seen = PeerSupport.client_uuid == _entry_id("support-1")
    PeerSupport.update(seen_at=now - timedelta(days=3)).where(seen).execute()
    worry, _created = service.raise_peer_concern(
        boy, worried, "normal", "最近总说头疼,不愿意参加集体活动,课间躲在厕所里。", _at(this_week, 10),
        _entry_id("concern"))
    concerns.acknowledge(worry, users["counselor1"], now - timedelta(hours=2))
