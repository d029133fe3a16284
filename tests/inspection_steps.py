"""Steps of an inspection as its users take them in the app (tests of inspections and attachments)."""
import io
import re

from PIL import Image

from webapp.models import Attachment, Inspection, Rectification


def record_inspection(inspector, school_id, owner_id=None, due_on="2026-11-25", finding="心理辅导室未按时开放",
                      **checks):
    """The inspector opens the form for the school and saves it with one finding (if an owner is
    given). Returns the response of the save."""
    page = inspector.get(f"/inspections/new?school={school_id}")
    assert page.status_code == 200, page.status_code
    data = {"day": "2026-11-18", "summary": "抽查辅导室与台账"}
    data.update({f"check-{key}": value for key, value in checks.items()})
    if owner_id is not None:
        data.update({"finding": finding, "owner": str(owner_id), "due_on": due_on})
    return inspector.post(f"/inspections/new?school={school_id}", data)


def last_inspection_and_item():
    inspection = Inspection.select().order_by(Inspection.id.desc()).first()
    item = Rectification.select().where(Rectification.inspection == inspection.id).order_by(Rectification.id).first()
    return inspection, item


def inspection_id_from(response):
    match = re.search(r"/inspections/(\d+)", response.headers.get("Location", ""))
    return int(match.group(1)) if match else None


def attach_photo(author, visit_id):
    """The visit's author adds a photo of the signed paper form; returns the attachment's id."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, "PNG")
    response = author.post(f"/attachments/visit/{visit_id}", {"file": (io.BytesIO(out.getvalue()), "form.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.status_code
    return Attachment.select().where((Attachment.owner_kind == "visit") & (Attachment.owner_id == visit_id)).get().id
