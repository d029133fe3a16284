"""Steps of the home-visit stories, shared by its tests: what a head teacher does through HTTP."""
import uuid
from datetime import date, datetime

from webapp.models import Child, HomeVisit


def visit_form(**changes):
    """A routine visit as the phone sends it; keyword arguments change or drop (None) fields."""
    data = {
        "visited_on": "2026-11-18", "mode": "on_site", "received_by": ["grandparent"], "child_present": "y",
        "family_situation": ["left_behind"], "findings": "孩子与奶奶同住,作业按时完成,性格内向。",
        "guidance": "建议每周与外出父母视频两次。", "concern_urgency": "normal", "concern": "",
        "client_uuid": str(uuid.uuid4()), "made_at": "2026-11-18T01:55:00Z",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def log_visit(user_browser, child, **changes):
    """Open the form for `child` and save a visit."""
    url = f"/visits/new?child={child.id}"
    user_browser.get(url)
    return user_browser.post(url, visit_form(**changes))


def visits_for_query_counts(login_as, county):
    """Two visits by head1, and the ids the visit pages of the query-count test need."""
    head = login_as("head1")
    log_visit(head, county.kids.zhang_san)
    log_visit(head, county.kids.li_si, concern="说家里常吵架", concern_urgency="soon")
    return {"visit": HomeVisit.select().first().id, "class41": county.classes.c41.id, "school1": county.schools[0].id}


def grow_visits(app, county):
    """A visit for each of the 20 newest pupils of class 4-1, so visit lists grow with the county."""
    with app.app_context():
        newest = (Child.select(Child.id).where(Child.school_class == county.classes.c41)
                  .order_by(Child.id.desc()).limit(20))
        HomeVisit.insert_many([
            {"child": child_id, "author": county.users.head1.id, "school_class": county.classes.c41.id,
             "visited_on": date(2026, 11, 2), "received_by": "mother", "findings": "情况稳定",
             "made_at": datetime(2026, 11, 2, 9), "received_at": datetime(2026, 11, 2, 9),
             "client_uuid": str(uuid.uuid4())}
            for (child_id,) in newest.tuples()
        ]).execute()
