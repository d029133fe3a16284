"""Steps of the critical-incident stories: what a staff member does through HTTP."""
import re
import uuid

ID = re.compile(r"/incidents/(\d+)")


def open_incident(user_browser, place, children=(), kind="self_harm", text="课间在厕所发现学生割腕", uid=None):
    """The report form, filled and sent; returns the new incident's id."""
    assert user_browser.get("/incidents/new").status_code == 200
    response = user_browser.post("/incidents/new", {
        "kind": kind, "place": place, "happened_at": "2026-11-18T09:50", "description": text,
        "children": [str(c.id) for c in children], "client_uuid": uid or str(uuid.uuid4()),
        "made_at": "2026-11-18T01:55:00Z",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(ID.search(response.headers["Location"]).group(1))


def incident_for_query_counts(login_as, county):
    """An open incident at school 1 reported by head1, with class 4-1 followed up by counselor1
    (her pupils' tasks are head1's): ids for the pages of tests/test_query_counts.py."""
    incident_id = open_incident(login_as("head1"), f"s{county.schools[0].id}", [county.kids.zhang_san])
    counselor = login_as("counselor1")
    assert counselor.post(f"/incidents/{incident_id}/class/{county.classes.c41.id}",
                          {"level": "general"}).status_code in (200, 302)
    return {"incident": incident_id}


def grow_incident(app, county):
    """The pupils added to class 4-1 since join the follow-up list, so the incident page's list
    grows with the county."""
    from webapp.clock import utcnow
    from webapp.incidents import service
    from webapp.models import Incident

    with app.app_context():
        incident = Incident.select().where(Incident.school == county.schools[0].id).order_by(Incident.id).first()
        if incident is not None:
            service.add_affected(incident, service.class_pupils(county.classes.c41.id), "general",
                                 county.users.counselor1, utcnow())
