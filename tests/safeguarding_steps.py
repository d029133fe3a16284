"""Steps of the safeguarding stories, shared by its tests: what a user does through HTTP."""
import re
import uuid

ID_IN_PATH = re.compile(r"/(?:concerns|cases)/(\d+)")


def raise_concern(user_browser, child, urgency="urgent", text="在走廊上哭,说不想活了", client_uuid=None):
    user_browser.get(f"/concerns/new?child={child.id}")
    return user_browser.post(f"/concerns/new?child={child.id}", {
        "urgency": urgency, "description": text, "client_uuid": client_uuid or str(uuid.uuid4()),
        "made_at": "2026-11-18T01:58:00Z",
    })


def open_case(user_browser, concern_id, responsible, members=(), level="high"):
    url = f"/cases/new?concern={concern_id}&level={level}"
    user_browser.get(url)
    response = user_browser.post(url, {
        "level": level, "categories": ["mental_health", "family"], "goals": "稳定情绪,恢复上学",
        "measures": "每周两次谈心;联系家长", "responsible": str(responsible.id),
        "members": [str(m.id) for m in members], "client_uuid": str(uuid.uuid4()),
    })
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    return int(ID_IN_PATH.search(response.headers["Location"]).group(1))
