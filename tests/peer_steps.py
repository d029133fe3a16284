"""Steps of the committee stories, shared by its tests: what a pupil or teacher does through HTTP."""
import uuid

from webapp.models import Child

THIS_MONDAY = "2026-11-16"  # the test clock is Wednesday 18 November 2026
LAST_MONDAY = "2026-11-09"
NEXT_MONDAY = "2026-11-23"
MADE_AT = "2026-11-18T01:58:00Z"


def add_classmates(county):
    """Class 4-1 gets two more pupils besides its committee members 张三 and 李四."""
    c41 = county.classes.c41
    return (
        Child.create(name="钱多多", sex="f", school_class=c41),
        Child.create(name="孙小明", sex="m", school_class=c41),
    )


def mention(child, noticed="这几天下课总是一个人坐着", days=2, talked=False, urgency="normal"):
    return {"child": child.id if hasattr(child, "id") else child, "noticed": noticed, "days": days,
            "talked": talked, "urgency": urgency}


def weekly_data(mood="4", events="", mentions=(), week=THIS_MONDAY, client_uuid=None, action="send"):
    data = {"mood": mood, "events": events, "week": week, "client_uuid": client_uuid or str(uuid.uuid4()),
            "made_at": MADE_AT, "action": action}
    for n, named in enumerate(mentions):
        data[f"mentions-{n}-child"] = str(named["child"])
        data[f"mentions-{n}-noticed"] = named["noticed"]
        data[f"mentions-{n}-days"] = str(named["days"])
        data[f"mentions-{n}-urgency"] = named["urgency"]
        if named["talked"]:
            data[f"mentions-{n}-talked"] = "y"
    return data


def send_weekly(pupil, **fields):
    pupil.get("/peer/weekly")
    return pupil.post("/peer/weekly", weekly_data(**fields))


def send_nil(pupil, week=THIS_MONDAY, client_uuid=None):
    pupil.get("/peer/weekly")
    return pupil.post("/peer/weekly", {"action": "nil", "week": week, "made_at": MADE_AT,
                                       "client_uuid": client_uuid or str(uuid.uuid4())})


def send_concern(pupil, child, urgency="normal", text="他说有人在放学路上打他", confirmed=None, client_uuid=None):
    pupil.get("/peer/concern/new")
    data = {"child": str(child.id), "description": text, "urgency": urgency, "made_at": MADE_AT,
            "client_uuid": client_uuid or str(uuid.uuid4())}
    if confirmed:
        data["confirmed"] = "yes"
    return pupil.post("/peer/concern/new", data)


def send_support(pupil, child=None, topics=("friends",), about="", done="陪她聊了一会儿,一起去找了班主任",
                 tell_teacher=False, client_uuid=None):
    pupil.get("/peer/support/new")
    data = {"child": str(child.id) if child else "", "topics": list(topics), "about": about, "done": done,
            "made_at": MADE_AT, "client_uuid": client_uuid or str(uuid.uuid4())}
    if tell_teacher:
        data["tell_teacher"] = "y"
    return pupil.post("/peer/support/new", data)


def text(response):
    return response.get_data(as_text=True)
