"""Steps of the child worker's stories, shared by the village tests: what she does through HTTP."""
import re
import uuid

CHILD_IN_PAGE = re.compile(r"/checkins/new\?child=(\d+)")

# A girl of 8 (on the test clock, 18 Nov 2026) whose parents work in Guangdong.
GIRL = {
    "name": "刘小雨", "sex": "f", "birth_date": "2018-03-07", "ethnicity": "汉族", "id_card": "",
    "school_text": "", "class_text": "", "health": "healthy", "address": "一村三组12号",
    "family_situation": ["low_income"], "father_work_place": "广东省东莞市", "father_home": "yearly",
    "mother_work_place": "广东省深圳市", "mother_home": "yearly", "income": "migrant_work",
    "guardian_name": "刘秀英", "guardian_relation": "祖母", "guardian_age": "63", "guardian_phone": "13800001111",
    "guardian_able": "y", "left_behind_type": "both_away", "contact_name": "王村长", "contact_phone": "13900002222",
    "confirmed_by": "刘秀英", "confirmed_relation": "祖母", "confirmed_on": "2026-11-17", "confirmed_how": "paper",
}


def register(worker, village, client_uuid=None, **changes):
    """Fill in and send the registration form; `changes` override the girl above (None drops a field)."""
    data = {**GIRL, "village": str(village.id), "client_uuid": client_uuid or str(uuid.uuid4()),
            "made_at": "2026-11-18T01:58:00Z"}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    worker.get("/village/children/new")
    return worker.post("/village/children/new", data)


def check_in(worker, child, client_uuid=None, **changes):
    data = {
        "day": "2026-11-18", "kind": "home_visit", "mood": "good", "health": "good", "study": "so_so",
        "safety": "good", "needs": "需要课外书", "notes": "和奶奶一起在家,作业基本完成。",
        "concern_urgency": "normal", "concern": "", "client_uuid": client_uuid or str(uuid.uuid4()),
        "made_at": "2026-11-18T01:58:00Z",
    }
    data.update(changes)
    url = f"/checkins/new?child={child.id}"
    worker.get(url)
    return worker.post(url, data)


def record_activity(worker, village, children, client_uuid=None, **changes):
    data = {"village": str(village.id), "title": "手工课:做风筝", "day": "2026-11-17", "minutes": "90",
            "children": [str(c.id) for c in children], "notes": "", "client_uuid": client_uuid or str(uuid.uuid4())}
    data.update(changes)
    worker.get("/village/activities/new")
    return worker.post("/village/activities/new", data)


def section(page, bucket):
    """The HTML of one duty section (overdue / this_week / later / done) of the duty page."""
    start = page.index(f'id="duties-{bucket}"')
    end = page.find('id="duties-', start + 10)
    return page[start:end if end != -1 else len(page)]


def village_for_query_counts(login_as, county):
    """worker1's records before the query-count test measures: a registered child, a check-in
    on a pupil (with a concern) and an activity. Returns the ids the page list needs."""
    from webapp.models import CheckIn

    worker = login_as("worker1")
    register(worker, county.villages[0], confirmed_on="", confirmed_by="", confirmed_how=None)
    check_in(worker, county.kids.zhang_san, concern_urgency="soon", concern="最近常常一个人发呆。")
    record_activity(worker, county.villages[0], [county.kids.zhang_san, county.kids.zheng_shi])
    return {"checkin": CheckIn.get().id, "worker1": county.users.worker1.id}


def grow_village(app, county, children):
    """Grow village 1 with it: a left-behind child for every ten, each with a file, a check-in
    and an attendance at one more activity, so the worker's lists and counts grow too."""
    from datetime import date, datetime

    from webapp.db import db
    from webapp.models import Activity, Attendance, CheckIn, Child, LeftBehindFile, name_keys

    village = county.villages[0]
    stamp = uuid.uuid4().hex[:8]
    rows = []
    for n in range(max(children // 10, 1)):
        name = f"留守{stamp}{n}"
        initials, pinyin = name_keys(name)
        rows.append({"name": name, "name_initials": initials, "name_pinyin": pinyin, "sex": "mf"[n % 2],
                     "birth_date": date(2018, 1, 1), "village": village.id, "left_behind": True})
    now = datetime(2026, 11, 17, 2, 0)
    with app.app_context(), db.atomic():
        Child.insert_many(rows).execute()
        ids = [c.id for c in Child.select(Child.id).where(Child.name.startswith(f"留守{stamp}"))]
        LeftBehindFile.insert_many([
            {"child": i, "guardian_name": "奶奶", "guardian_relation": "祖母", "left_behind_type": "both_away",
             "confirmed_on": date(2026, 11, 1) if i % 2 else None, "made_at": now, "received_at": now,
             "client_uuid": str(uuid.uuid4())} for i in ids]).execute()
        CheckIn.insert_many([
            {"child": i, "village": village.id, "worker": county.users.worker1.id, "day": date(2026, 11, 17),
             "kind": "home_visit", "mood": "good", "health": "good", "study": "good", "safety": "good",
             "made_at": now, "received_at": now, "client_uuid": str(uuid.uuid4())} for i in ids]).execute()
        activity = Activity.create(village=village, worker=county.users.worker1, title="读书会", day=date(2026, 11, 16),
                                   made_at=now, client_uuid=str(uuid.uuid4()))
        Attendance.insert_many([{"activity": activity.id, "child": i} for i in ids]).execute()
