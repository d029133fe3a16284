"""Attachments (issue 19): the type is read from the bytes, images lose their EXIF (a photo taken
at a pupil's home carries its GPS position), files are read back only by those who may read the
record they belong to, as downloads that nothing caches, and a file over the limit is refused in
words."""
import io

from PIL import ExifTags, Image

from webapp.models import Attachment, AttachmentBlob, EmergencyPlan, HomeVisit

from .inspection_steps import last_inspection_and_item, record_inspection
from .visit_steps import log_visit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def jpeg_with_gps():
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 50.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 58.0, 1.5)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo carries GPS"
    return data


def png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "PNG")
    return out.getvalue()


def upload(browser, url, data, name, **fields):
    return browser.post(url, {**fields, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _visit(app, login_as, county):
    head1 = login_as("head1")
    log_visit(head1, county.kids.zhang_san)
    with app.app_context():
        return head1, HomeVisit.get(HomeVisit.child == county.kids.zhang_san.id).id


def test_a_visit_photo_loses_its_exif_and_gps(app, county, login_as):
    head1, visit_id = _visit(app, login_as, county)
    page = head1.get(f"/visits/{visit_id}").get_data(as_text=True)
    assert f'action="/attachments/visit/{visit_id}"' in page and 'enctype="multipart/form-data"' in page
    response = upload(head1, f"/attachments/visit/{visit_id}", jpeg_with_gps(), "IMG_2031.jpg")
    assert response.status_code == 302
    with app.app_context():
        attachment = Attachment.get()
        assert (attachment.owner_kind, attachment.owner_id, attachment.mime) == ("visit", visit_id, "image/jpeg")
    for username in ("head1", "counselor1", "principal1", "zone1", "county"):
        reader = login_as(username)
        assert f"/attachments/{attachment.id}" in reader.get(f"/visits/{visit_id}").get_data(as_text=True)
        response = reader.get(f"/attachments/{attachment.id}")
        assert response.status_code == 200, username
        assert response.headers["Content-Disposition"] == f'attachment; filename="visit-{attachment.id}.jpg"'
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"] and "X-Offline-Page" not in response.headers
        data = response.get_data()
        photo = Image.open(io.BytesIO(data))
        assert photo.format == "JPEG" and photo.size == (64, 48)
        assert not photo.getexif() and b"Exif" not in data and b"PhoneMaker" not in data
    # Only the visit's author adds a photo to it.
    assert upload(login_as("head2"), f"/attachments/visit/{visit_id}", png(), "a.png").status_code == 404


def test_the_type_comes_from_the_bytes_not_the_name(app, county, login_as):
    head1, visit_id = _visit(app, login_as, county)
    url = f"/attachments/visit/{visit_id}"
    response = upload(head1, url, PDF, "form.png")
    assert response.status_code == 422 and "文件内容与文件名(.png)不符" in response.get_data(as_text=True)
    response = upload(head1, url, EXE, "form.pdf")
    assert response.status_code == 422 and "只能上传 PDF、JPEG 或 PNG 文件" in response.get_data(as_text=True)
    response = upload(head1, url, b"just some text", "form.jpg")
    assert response.status_code == 422
    with app.app_context():
        assert Attachment.select().count() == 0
    assert upload(head1, url, PDF, "form.pdf").status_code == 302
    assert upload(head1, url, png(), "scan").status_code == 302  # no extension: the bytes decide
    with app.app_context():
        assert sorted(a.mime for a in Attachment.select()) == ["application/pdf", "image/png"]
        pdf = Attachment.get(Attachment.mime == "application/pdf")
        assert bytes(AttachmentBlob.get(AttachmentBlob.attachment == pdf.id).data) == PDF


def test_out_of_scope_readers_get_404(app, county, login_as):
    head1, visit_id = _visit(app, login_as, county)
    upload(head1, f"/attachments/visit/{visit_id}", png(), "form.png")
    with app.app_context():
        attachment_id = Attachment.get().id
    for username in ("head3", "counselor2", "principal2", "zone2", "worker1", "committee1"):
        assert login_as(username).get(f"/attachments/{attachment_id}").status_code == 404, username
    assert login_as("head1").get(f"/attachments/{attachment_id + 1}").status_code == 404


def test_inspection_photos_and_rectification_evidence_follow_the_inspection(app, county, login_as):
    zone1 = login_as("zone1")
    record_inspection(zone1, county.schools[0].id, county.users.principal1.id)
    with app.app_context():
        inspection, item = last_inspection_and_item()
    assert upload(zone1, f"/attachments/inspection/{inspection.id}", jpeg_with_gps(), "site.jpg").status_code == 302
    # The school's staff report with evidence; they add no photo to the inspector's record.
    principal1 = login_as("principal1")
    assert upload(principal1, f"/attachments/inspection/{inspection.id}", png(), "x.png").status_code == 404
    response = upload(principal1, f"/inspections/items/{item.id}/report", PDF, "form.png", note="已整改")
    assert response.status_code == 422 and "文件内容与文件名" in response.get_data(as_text=True)
    response = upload(principal1, f"/inspections/items/{item.id}/report", PDF, "timetable.pdf", note="已整改")
    assert response.status_code == 302
    with app.app_context():
        photo = Attachment.get(Attachment.owner_kind == "inspection")
        evidence = Attachment.get(Attachment.owner_kind == "rectification")
        assert evidence.owner_id == item.id
    for username in ("zone1", "county", "principal1", "counselor1"):
        reader = login_as(username)
        assert reader.get(f"/attachments/{photo.id}").status_code == 200
        assert reader.get(f"/attachments/{evidence.id}").status_code == 200
    for username in ("zone2", "principal2", "counselor2", "head1"):
        reader = login_as(username)
        assert reader.get(f"/attachments/{photo.id}").status_code == 404, username
        assert reader.get(f"/attachments/{evidence.id}").status_code == 404, username


def test_the_emergency_plan_document_and_directory_storage(app, county, login_as, tmp_path):
    app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    with app.app_context():
        EmergencyPlan.create(school=county.schools[0], approved_on="2026-09-01")
    principal1 = login_as("principal1")
    assert upload(principal1, f"/attachments/plan/{county.schools[1].id}", PDF, "plan.pdf").status_code == 404
    assert upload(principal1, f"/attachments/plan/{county.schools[0].id}", PDF, "plan.pdf").status_code == 302
    with app.app_context():
        attachment = Attachment.get()
        assert attachment.stored_in == "dir" and AttachmentBlob.select().count() == 0
    assert (tmp_path / attachment.path).read_bytes() == PDF
    assert login_as("zone1").get(f"/attachments/{attachment.id}").get_data() == PDF
    assert login_as("principal2").get(f"/attachments/{attachment.id}").status_code == 404
    assert login_as("head1").get(f"/attachments/{attachment.id}").status_code == 404


def test_the_size_limit_is_said_in_chinese_and_other_forms_stay_small(app, county, login_as):
    head1, visit_id = _visit(app, login_as, county)
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    assert limit == 10 * 1024 * 1024
    just_over = PDF + b"0" * (limit + 1 - len(PDF))
    response = upload(head1, f"/attachments/visit/{visit_id}", just_over, "big.pdf")
    assert response.status_code == 422 and "每个附件不能超过 10 MB" in response.get_data(as_text=True)
    far_over = PDF + b"0" * (12 * 1024 * 1024)
    response = upload(head1, f"/attachments/visit/{visit_id}", far_over, "huge.pdf")
    assert response.status_code == 413 and "每个附件不能超过 10 MB" in response.get_data(as_text=True)
    assert upload(head1, f"/attachments/visit/{visit_id}", PDF + b"0" * (limit - len(PDF)), "ok.pdf").status_code == 302
    # Any other form keeps its 4 MB.
    response = head1.post("/concerns/new", {"description": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413


def test_the_uploader_deletes_her_photo_after_being_asked(app, county, login_as, tmp_path):
    from webapp.models import AuditEvent

    app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    head1, visit_id = _visit(app, login_as, county)
    upload(head1, f"/attachments/visit/{visit_id}", png(), "form.png")
    with app.app_context():
        attachment = Attachment.get()
    assert (tmp_path / attachment.path).exists()
    delete_url = f"/attachments/{attachment.id}/delete"
    assert delete_url in head1.get(f"/visits/{visit_id}").get_data(as_text=True)
    assert delete_url not in login_as("counselor1").get(f"/visits/{visit_id}").get_data(as_text=True)
    asked = head1.get(delete_url)
    assert asked.status_code == 200 and "确定删除这个附件吗" in asked.get_data(as_text=True)
    assert Attachment.select().count() == 1  # asking deletes nothing
    assert head1.post(delete_url, {}, csrf=False).status_code == 400
    assert Attachment.select().count() == 1

    done = head1.post(delete_url, {})
    assert done.status_code == 302 and done.headers["Location"] == f"/visits/{visit_id}#attachments"
    assert Attachment.select().count() == 0 and not (tmp_path / attachment.path).exists()
    event = AuditEvent.get(AuditEvent.action == "delete_attachment")
    assert event.user_id == county.users.head1.id and str(attachment.id) == str(event.object_id)
    assert head1.get(f"/attachments/{attachment.id}").status_code == 404
    assert head1.get(delete_url).status_code == 404


def test_only_the_uploader_or_an_editor_of_the_record_deletes_a_file(app, county, login_as):
    head1, visit_id = _visit(app, login_as, county)
    upload(head1, f"/attachments/visit/{visit_id}", png(), "form.png")
    with app.app_context():
        photo = Attachment.get()
        blob_count = AttachmentBlob.select().count()
    # Readers of the visit who did not upload it and cannot edit it, and those out of scope.
    for username in ("counselor1", "principal1", "zone1", "county", "head2", "head3", "zone2", "worker1"):
        reader = login_as(username)
        assert reader.get(f"/attachments/{photo.id}/delete").status_code == 404, username
        assert reader.post(f"/attachments/{photo.id}/delete", {}).status_code == 404, username
    assert login_as("head1").post(f"/attachments/{photo.id + 1}/delete", {}).status_code == 404
    assert Attachment.select().count() == 1 and AttachmentBlob.select().count() == blob_count

    # An inspection photo: the county may edit zone1's inspection, so may delete its photo.
    zone1 = login_as("zone1")
    record_inspection(zone1, county.schools[0].id, county.users.principal1.id)
    with app.app_context():
        inspection, item = last_inspection_and_item()
    upload(zone1, f"/attachments/inspection/{inspection.id}", png(), "site.png")
    # 整改 evidence can be withdrawn while the item is open, not once it was reported.
    principal1 = login_as("principal1")
    upload(principal1, f"/inspections/items/{item.id}/report", PDF, "timetable.pdf", note="已整改")
    with app.app_context():
        site = Attachment.get(Attachment.owner_kind == "inspection")
        evidence = Attachment.get(Attachment.owner_kind == "rectification")
    assert principal1.post(f"/attachments/{evidence.id}/delete", {}).status_code == 404
    assert login_as("zone2").post(f"/attachments/{site.id}/delete", {}).status_code == 404
    done = login_as("county").post(f"/attachments/{site.id}/delete", {})
    assert done.status_code == 302 and done.headers["Location"] == f"/inspections/{inspection.id}#attachments"
    assert not Attachment.select().where(Attachment.id == site.id).exists()
    assert Attachment.select().where(Attachment.id == evidence.id).exists()
