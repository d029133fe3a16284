"""Demo critical incidents (《实施方案》四、12), so a newcomer sees the checklist, postvention and a
closing review: serious bullying in class 4-1 of school 1 three days ago, still open, its first
steps done, two close pupils followed up by counselor1 (one done, one overdue, so her home page
leads with it) and three classmates due within the week with head1; and an accident in class 5-1
two months ago, closed with its review."""
import uuid
from datetime import timedelta

from ..clock import utcnow
from ..incidents import service
from ..models import Child, ClassTeacher, FollowUp, Incident, IncidentStep, SchoolClass, User


def _entry_id(label):
    """Stable ids: loading the demo twice never makes two copies."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:incident:{label}"))


def _pupils(school_class):
    taken = User.select(User.child).where(User.child.is_null(False))
    return list(Child.select().where((Child.school_class == school_class) & Child.id.not_in(taken))
                .order_by(Child.id))


def _open(user, label, kind, school, happened_at, description, involved):
    incident, created = service.open_incident(
        user, kind=kind, school_id=school.id, village_id=None, happened_at=happened_at,
        description=description, child_ids=[c.id for c in involved], made_at=happened_at + timedelta(minutes=8),
        client_uuid=_entry_id(label))
    if created:  # reported minutes after it happened, not when the demo was loaded
        Incident.update(received_at=happened_at + timedelta(minutes=9)).where(Incident.id == incident.id).execute()
    return incident


def _tick(incident, steps_done, now):
    for position, (user, at) in enumerate(steps_done):
        service.tick_step(incident, position, user, now - at)


def load_demo_incidents():
    users = {u.username: u for u in User.select().where(User.username.in_(
        ("head1", "counselor1", "principal1", "zone1")))}
    head1, counselor, principal = users["head1"], users["counselor1"], users["principal1"]
    now = utcnow()
    class41 = ClassTeacher.get(ClassTeacher.user == head1).school_class
    school = class41.school
    pupils = _pupils(class41)

    # Open: 严重欺凌 in 4-1, reported by the head teacher; the first three steps of the plan done.
    bullying = _open(head1, "bullying", "bullying", school, now - timedelta(days=3, hours=2),
                     "课间在厕所被同年级三名学生围堵推搡，脸部擦伤，事后不愿进教室。", pupils[12:14])
    _tick(bullying, [(head1, timedelta(days=3, hours=1, minutes=50)),
                     (principal, timedelta(days=3, hours=1, minutes=40)),
                     (counselor, timedelta(days=3, hours=1))], now)
    # Postvention: the two closest (desk-mate, witness) with the psychology teacher, first contact
    # within 24 h, added two days ago: one seen, one not yet (overdue); three classmates with head1.
    added = now - timedelta(days=2)
    service.add_affected(bullying, pupils[14:16], "close", counselor, added, owner=counselor)
    service.add_affected(bullying, pupils[16:19], "general", counselor, now - timedelta(days=1))
    seen = FollowUp.get((FollowUp.incident == bullying.id) & (FollowUp.child == pupils[14].id))
    service.complete(seen, counselor, "个别谈话：目睹经过后有些害怕，已做情绪疏导，愿意和老师说。",
                     added + timedelta(hours=20))

    # Closed: 意外伤害 in 5-1 two months ago, every step done, its follow-ups done, with a review.
    class51 = SchoolClass.get((SchoolClass.school == school) & (SchoolClass.school_year == class41.school_year)
                              & (SchoolClass.grade == 5) & (SchoolClass.number == 1))
    pupils51 = _pupils(class51)
    happened = now - timedelta(days=60)
    accident = _open(counselor, "accident", "accident", school, happened,
                     "体育课跳远时摔倒，左臂骨折，已送医；在场同学受到惊吓。", pupils51[3:4])
    steps = IncidentStep.select().where(IncidentStep.incident == accident.id).count()
    _tick(accident, [(counselor, timedelta(days=60) - timedelta(minutes=20 * (i + 1))) for i in range(steps)], now)
    service.add_affected(accident, pupils51[4:6], "close", counselor, happened + timedelta(hours=1), owner=counselor)
    for follow_up in FollowUp.select().where(FollowUp.incident == accident.id):
        service.complete(follow_up, counselor, "谈话后情绪平稳，无需进一步干预。", happened + timedelta(hours=18))
    if accident.status == "open":
        service.close(accident, counselor, "学生体育课意外摔伤，现场处置及时，家长已理解。",
                      "跳远沙坑需每周翻沙；体育课前强调热身与安全要求。", happened + timedelta(days=9))
