"""Demo inspections (督导, 《实施方案》五(三)) with their 整改 items, so a newcomer sees both ends
of the lifecycle: zone1 inspected school 3 five weeks ago and its item on the missing 专职 post
is overdue (on zone1's home page and the county dashboard; school 3 has no staff account in the
demo, so the item has no owner there), a second item still within its deadline; and zone2's
inspection of school 2 two months ago left an item principal2 reported done and zone2 accepted.
"""
from datetime import timedelta

from ..clock import today, utcnow
from ..inspections import service
from ..models import Inspection, Rectification, School, User


def _verdicts(school_id, day, notes=None):
    """The checklist as the inspector confirmed it: the computed lines, a note here and there."""
    notes = notes or {}
    return {requirement.key: (cell.state, verdict, notes.get(requirement.key, ""))
            for requirement, cell, verdict in service.checklist(school_id, day)}


def _inspect(inspector, school, days_ago, summary, notes=None):
    day = today() - timedelta(days=days_ago)
    inspection = service.record_inspection(inspector, school, day, summary, _verdicts(school.id, day, notes))
    # Written on the day of the visit, not when the demo was loaded.
    Inspection.update(created_at=utcnow() - timedelta(days=days_ago)).where(
        Inspection.id == inspection.id).execute()
    return inspection


def load_demo_inspections():
    users = {u.username: u for u in User.select().where(User.username.in_(("zone1", "zone2", "principal2")))}
    schools = list(School.select().order_by(School.id).limit(4))
    school2, school3 = schools[1], schools[2]

    # School 3: no 专职 teacher, no room, no plan; the post's deadline passed a week ago.
    inspection = _inspect(users["zone1"], school3, 35, "专职心理教师、心理辅导室和应急预案均未落实，限期整改。",
                          {"full_time": "仅一名未受训的兼职教师"})
    service.add_finding(inspection, "配备至少一名专职心理健康教育教师，报片区备案。", None,
                        today() - timedelta(days=7), users["zone1"])
    service.add_finding(inspection, "制定学校心理危机干预应急预案，经校长办公会审定后报送。", None,
                        today() + timedelta(days=21), users["zone1"])

    # School 2: last year's emergency plan, revised and accepted.
    inspection = _inspect(users["zone2"], school2, 60, "辅导室已建成但未达标准，应急预案需按本学年修订。")
    item = service.add_finding(inspection, "修订学校心理危机干预应急预案并组织一次演练。", users["principal2"].id,
                               today() + timedelta(days=1), users["zone2"])
    service.report_done(item, users["principal2"], "预案已经校长办公会修订，并于上周组织全校演练。")
    service.accept(item, users["zone2"])
    # Then back to its own days: due a month ago, reported before it, accepted two days later.
    Rectification.update(due_on=today() - timedelta(days=30), created_at=utcnow() - timedelta(days=60),
                         reported_at=utcnow() - timedelta(days=33), decided_at=utcnow() - timedelta(days=31)).where(
        Rectification.id == item.id).execute()
