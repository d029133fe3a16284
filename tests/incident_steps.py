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
