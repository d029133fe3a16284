"""Steps the programme tests share: log an activity over HTTP, add staff and trainings directly."""
import uuid
from datetime import date

from webapp.models import ProgrammeActivity, ProgrammeStaff, Training


def log_activity(browser, kind="lesson", school_class=None, day="2026-11-18", topic="认识情绪"):
    browser.get("/programme/activities/new")
    data = {"kind": kind, "day": day, "topic": topic, "client_uuid": str(uuid.uuid4())}
    if school_class is not None:
        data["school_class"] = str(school_class.id)
    return browser.post("/programme/activities/new", data)


def lessons(school, school_class, n, kind="lesson", first=date(2026, 9, 7), step=7):
    """`n` activities of `kind`, a week apart from `first`, stored directly (fast)."""
    rows = [{"school": school.id, "school_class": school_class.id if school_class else None, "kind": kind,
             "day": date.fromordinal(first.toordinal() + step * i), "topic": f"第{i + 1}课",
             "made_at": first, "client_uuid": str(uuid.uuid4())} for i in range(n)]
    ProgrammeActivity.insert_many(rows).execute()


def staff(school, name, post, trained_on=None, user=None):
    member = ProgrammeStaff.create(school=school, name=name, post=post, user=user)
    if trained_on is not None:
        Training.create(staff=member, day=trained_on, hours=8, level="county", title="兼职心理教师培训")
    return member
