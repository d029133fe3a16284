"""Demo records of the village child worker (唐秀英, 红旗村): files, check-ins, 童伴之家 activities."""
import random
import uuid
from datetime import UTC, datetime, time, timedelta

from ..clock import LOCAL_TZ, today, utcnow
from ..models import Child, User, Village
from ..village import rules, service

PLACES = ("广东省东莞市", "广东省深圳市", "浙江省宁波市", "福建省晋江市", "重庆市", "四川省成都市", "江苏省苏州市")
TITLES = ("手工课:做风筝", "读书会:《小王子》", "和爸爸妈妈视频", "安全教育:防溺水", "趣味运动会", "一起包饺子")
NOTES = (
    "和奶奶在家,作业已完成,精神不错。", "爷爷腿脚不便,家里有点乱,孩子自己会做简单的饭。",
    "孩子说想妈妈,聊了一会儿情绪好些了。", "最近迷上了画画,送了一盒彩笔。", "奶奶反映孩子看手机时间太长。",
)


def _entry_id(label):
    """Stable ids: loading the demo twice never makes two copies."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xinqiao-demo:village:{label}"))


def _made_at(day):
    """A record made at half past four in the afternoon, county time (naive UTC, never ahead of now)."""
    local = datetime.combine(day, time(16, 30), tzinfo=LOCAL_TZ)
    return min(local.astimezone(UTC).replace(tzinfo=None), utcnow())


def _file(rng, child, confirmed, day):
    father, mother = rng.sample(PLACES, 2)
    both = rng.random() < 0.8
    data = {
        "ethnicity": "汉族", "id_card": "", "school_text": "", "class_text": "", "health": "healthy",
        "address": f"红旗村{rng.randint(1, 9)}组{rng.randint(1, 60)}号", "boarding": False,
        "family_situation": rng.choice(("", "", "low_income", "divorced")),
        "father_work_place": father, "father_home": rng.choice(("yearly", "half_year")),
        "mother_work_place": mother if both else "", "mother_home": rng.choice(("yearly", "half_year")) if both
        else "none",
        "income": "migrant_work", "guardian_name": child.guardian_name or "唐桂英",
        "guardian_relation": child.guardian_relation or "祖母", "guardian_age": rng.randint(58, 76),
        "guardian_phone": child.guardian_phone, "guardian_able": rng.random() < 0.9,
        "left_behind_type": "both_away" if both else "one_away", "contact_name": "红旗村村委会 刘主任",
        "contact_phone": "0818-7321000",
    }
    if confirmed:
        data.update(confirmed_by=data["guardian_name"], confirmed_relation=data["guardian_relation"],
                    confirmed_on=day, confirmed_how=rng.choice(("paper", "in_person")))
    return data


def _checkin(rng, kind, day):
    worrying = rng.random() < 0.1
    return {
        "day": day, "kind": kind, "mood": "worrying" if worrying else rng.choice(("good", "good", "so_so")),
        "health": "good", "study": rng.choice(("good", "so_so")), "safety": "good",
        "needs": rng.choice(("", "", "需要课外书", "冬衣不够")), "parents_contacted": kind == "parent_video",
        "notes": rng.choice(NOTES),
    }


def load_demo_village():
    worker = User.get(User.username == "worker1")
    village = Village.get(Village.name == "红旗村")
    rng, day = random.Random(2022), today()
    children = list(Child.select().where((Child.village == village) & Child.left_behind).order_by(Child.id))
    month_start, _end = rules.period_of("month", day)
    last_month = month_start - timedelta(days=20)
    # Most children have a complete file; the last two wait for it (one still needs the guardian).
    for index, child in enumerate(children[:-1]):
        registered = day - timedelta(days=70 - index)
        service.register_child(worker, village, child.name, child.sex, child.birth_date,
                               _file(rng, child, index != len(children) - 2, registered), _made_at(registered),
                               _entry_id(f"file-{child.id}"), pupil=child)
    # Visits and calls: everyone last month, about half so far this month.
    for index, child in enumerate(children[:-1]):
        visits = [("home_visit", last_month), ("parent_video", last_month + timedelta(days=3))]
        if index % 2 == 0 and day > month_start:
            visits.append(("home_visit", month_start + timedelta(days=index % max((day - month_start).days, 1))))
        if child.school_id and index % 3 == 0:
            visits.append(("school", rules.period_of("term", day)[0] + timedelta(days=14)))
        for number, (kind, on) in enumerate(visits):
            if on <= day:
                service.record_checkin(worker, child, _checkin(rng, kind, on), _made_at(on),
                                       _entry_id(f"checkin-{child.id}-{number}"))
    if children:
        worried = children[0]
        service.record_checkin(
            worker, worried, {**_checkin(rng, "home_visit", day), "mood": "worrying", "safety": "worrying",
                              "notes": "爷爷住院,孩子这几天一个人在家,晚上害怕。"},
            _made_at(day), _entry_id("checkin-worried"), urgency="soon",
            concern_text="爷爷住院,孩子一个人在家,需要尽快安排临时照料。",
        )
    # The 童伴之家: an activity every week for a month, but none yet this week.
    village_children = [c.id for c in Child.select(Child.id).where(Child.village == village).order_by(Child.id)]
    for week in range(1, 5):
        on = rules.period_of("week", day)[0] - timedelta(days=7 * week - 5)
        came = rng.sample(village_children, min(len(village_children), rng.randint(5, 9)))
        service.record_activity(worker, village, {"title": TITLES[week % len(TITLES)], "day": on, "minutes": 90,
                                                  "notes": ""}, came, _made_at(on), _entry_id(f"activity-{week}"))
