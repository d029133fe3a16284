"""Writing the child worker's records: a child's file, a check-in, an activity. Each once per client_uuid."""
from peewee import IntegrityError

from .. import audit, entry_ids
from ..db import db
from ..models import Activity, Attendance, CheckIn, Child, LeftBehindFile
from ..safeguarding.concerns import raise_concern

GUARDIAN_FIELDS = ("guardian_name", "guardian_relation", "guardian_phone")


def register_child(worker, village, name, sex, birth_date, file_data, made_at, client_uuid, pupil=None):
    """File a left-behind child: a new child, or the pupil the county already knew (one person,
    one record: she gets her village and her file, and keeps her school and class).

    Returns (file, created); her repeated client_uuid returns the first file untouched.
    """
    existing = entry_ids.earlier_entry(LeftBehindFile.registered_by, client_uuid, worker)
    if existing is not None:
        return existing, False
    if pupil is None and Child.select().where(Child.client_uuid == client_uuid).exists():
        raise entry_ids.EntryIdTaken("Child")  # a child a school entered holds it (admin child form)
    try:
        with db.atomic():
            if pupil is None:
                child = Child.create(
                    name=name, sex=sex, birth_date=birth_date, village=village, left_behind=True,
                    client_uuid=client_uuid, **{field: file_data[field] for field in GUARDIAN_FIELDS},
                )
            else:
                child = take_in_pupil(pupil, village, file_data)
            record = LeftBehindFile.create(
                child=child, registered_by=worker, linked_pupil=pupil is not None, made_at=made_at,
                client_uuid=client_uuid, **file_data,
            )
            audit.record("create_left_behind_file", record, child_id=child.id, village_id=village.id,
                         linked_pupil=pupil is not None, confirmed=record.confirmed)
    except IntegrityError as error:
        # Two copies of the same entry raced; the other one won.
        return entry_ids.after_race(LeftBehindFile.registered_by, client_uuid, worker, error), False
    return record, True


def take_in_pupil(pupil, village, file_data):
    """The pupil the school knows becomes a left-behind child of the village as well."""
    pupil.village = village
    pupil.left_behind = True
    # The school's guardian stays; the worker's fills only what the school left empty.
    for field in GUARDIAN_FIELDS:
        if not getattr(pupil, field):
            setattr(pupil, field, file_data[field])
    pupil.save()
    return pupil


def confirm_guardian(record, confirmation):
    """Record the guardian's confirmation given after the registration; never overwrite one."""
    updated = (
        LeftBehindFile.update(**confirmation)
        .where((LeftBehindFile.id == record.id) & LeftBehindFile.confirmed_on.is_null())
        .execute()
    )
    if updated:
        audit.record("confirm_left_behind_file", record, child_id=record.child_id, how=confirmation["confirmed_how"])
    return bool(updated)


def concern_uuid(client_uuid, kind="checkin"):
    """The concern of an entry gets an id derived from the entry's: a replay never doubles it."""
    return entry_ids.derived_id(f"{kind}-concern", client_uuid)


def record_checkin(worker, child, data, made_at, client_uuid, urgency=None, concern_text=""):
    """A check-in, and when the worker is worried, a concern into the safeguarding core
    (which tells the school counsellor about a pupil, the zone and county about any other child).

    Returns (checkin, created).
    """
    existing = entry_ids.earlier_entry(CheckIn.worker, client_uuid, worker)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            checkin = CheckIn.create(child=child, village=child.village_id, worker=worker, made_at=made_at,
                                     client_uuid=client_uuid, **data)
            audit.record("create_checkin", checkin, child_id=child.id, kind=checkin.kind)
            if concern_text:
                concern, _created = raise_concern(
                    child, worker, urgency, concern_text, made_at, client_uuid=concern_uuid(client_uuid),
                    source="checkin", source_id=checkin.id, derived=True,
                )
                CheckIn.update(concern=concern).where(CheckIn.id == checkin.id).execute()
                checkin.concern = concern
    except IntegrityError as error:
        return entry_ids.after_race(CheckIn.worker, client_uuid, worker, error), False
    return checkin, True


def record_activity(worker, village, data, child_ids, made_at, client_uuid):
    """A 童伴之家 activity with the children who came: one attendance each. Returns (activity, created)."""
    existing = entry_ids.earlier_entry(Activity.worker, client_uuid, worker)
    if existing is not None:
        return existing, False
    try:
        with db.atomic():
            activity = Activity.create(village=village, worker=worker, made_at=made_at, client_uuid=client_uuid,
                                       **data)
            rows = [{"activity": activity.id, "child": child_id} for child_id in sorted(set(child_ids))]
            if rows:
                Attendance.insert_many(rows).execute()
            audit.record("create_activity", activity, village_id=village.id, children=len(rows))
    except IntegrityError as error:
        return entry_ids.after_race(Activity.worker, client_uuid, worker, error), False
    return activity, True
