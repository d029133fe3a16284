"""One object of every kind on each side of the county, for tests that walk every route."""
import uuid
from datetime import date

import pytest

from webapp.models import (
    CheckIn,
    Child,
    Concern,
    EmergencyPlan,
    FollowUp,
    HomeVisit,
    Institution,
    LinkRequest,
    ProgrammeActivity,
    ProgrammeStaff,
    Referral,
    Training,
    WeeklyReport,
    WorkerVillage,
)

from .county import PIN, make_user
from .incident_steps import open_incident
from .inspection_steps import attach_photo, last_inspection_and_item, record_inspection
from .peer_steps import send_weekly
from .safeguarding_steps import open_case, raise_concern
from .screening_steps import screening_world
from .village_steps import check_in, register
from .visit_steps import log_visit

WORKER = "child_worker"


@pytest.fixture
def world(app, county, login_as):
    """One object of every kind on each side of the county."""
    kids, users, classes = county.kids, county.users, county.classes
    with app.app_context():
        committee3 = make_user("committee3", "committee", secret=PIN, school=county.schools[1], child=kids.zhou_ba)
        worker3 = make_user("worker3", "child_worker")  # village 3, township 2: zone 2's side
        WorkerVillage.create(user=worker3, village=county.villages[2])
    head1, head3 = login_as("head1"), login_as("head3")
    raise_concern(head1, kids.zhang_san)
    raise_concern(head3, kids.zhou_ba)
    concern_a, concern_b = (Concern.get(Concern.child == kid.id) for kid in (kids.zhang_san, kids.zhou_ba))
    worker1 = login_as("worker1")
    raise_concern(worker1, kids.zhang_san, urgency="normal")
    worker_concern = Concern.get(Concern.reporter == users.worker1.id)
    case_a = open_case(login_as("counselor1"), concern_a.id, users.counselor1, members=[users.head1, users.worker1])
    case_b = open_case(login_as("counselor2"), concern_b.id, users.counselor2, members=[users.head3])
    institution = Institution.create(name="渠县人民医院")
    for username, case_id in (("counselor1", case_a), ("counselor2", case_b)):
        counselor = login_as(username)
        counselor.get(f"/cases/{case_id}")
        counselor.post(f"/cases/{case_id}/referrals", {"institution": str(institution.id),
                       "referred_on": "2026-11-18", "client_uuid": str(uuid.uuid4())})
    log_visit(head1, kids.zhang_san)
    log_visit(head3, kids.zhou_ba)
    check_in(worker1, kids.zhang_san)
    check_in(login_as("worker2"), kids.chen_yi)
    send_weekly(login_as("committee1"))
    send_weekly(login_as("committee3"))
    # Link requests: a worker registers a pupil of a school outside her villages' catchment.
    with app.app_context():
        far_pupil = Child.create(name="冯小梅", sex="f", birth_date=kids.li_si.birth_date, school_class=classes.s2c41)
    register(login_as("worker3"), county.villages[2], name="赵六", sex="f", birth_date="2016-05-01")
    register(worker1, county.villages[0], name="冯小梅", sex="f", birth_date="2016-05-01")

    # Critical incidents: head1 reports one at school 1 and counsellor1 adds class 4-1 (tasks for
    # head1); head3 one at school 2 with class 4-1 of school 2; worker1 one in her village.
    incident_a = open_incident(head1, f"s{county.schools[0].id}", [kids.zhang_san])
    login_as("counselor1").post(f"/incidents/{incident_a}/class/{classes.c41.id}")
    incident_b = open_incident(head3, f"s{county.schools[1].id}", [kids.zhou_ba])
    login_as("counselor2").post(f"/incidents/{incident_b}/class/{classes.s2c41.id}")
    worker_incident = open_incident(worker1, f"v{county.villages[0].id}", [kids.zheng_shi])

    # The programme register: a staff member at school 1 and one at school 2.
    with app.app_context():
        staff_a = ProgrammeStaff.create(school=county.schools[0], name="刘老师", post="full_time")
        staff_b = ProgrammeStaff.create(school=county.schools[1], name="唐老师", post="part_time")

    # Annual screening: one round; a result, a warning, a pending import and a session per school.
    with app.app_context():
        screening_own, screening_other = screening_world(county)

    # Inspections: zone1 inspects school 1, the county school 2, each with a 整改 item; a photo of
    # the signed visit form on each side's visit; a filed plan and a training on each side.
    record_inspection(login_as("zone1"), county.schools[0].id, users.principal1.id)
    inspection_a, item_a = last_inspection_and_item()
    record_inspection(login_as("county"), county.schools[1].id, users.principal2.id)
    inspection_b, item_b = last_inspection_and_item()
    with app.app_context():
        for school in county.schools[:2]:
            EmergencyPlan.get_or_create(school=school, defaults={"approved_on": date(2026, 9, 1)})
        trainings = [Training.create(staff=staff, day=date(2026, 10, 1), level="county", title="心理健康教育培训")
                     for staff in (staff_a, staff_b)]
        # A logged lesson per person who may delete hers (each deletes her own), one at school 2.
        logged = {username: ProgrammeActivity.create(
            school=county.schools[0] if username != "head3" else county.schools[1], kind="law", day=date(2026, 11, 2),
            topic="法治", author=getattr(users, username), made_at=date(2026, 11, 2),
            client_uuid=str(uuid.uuid4())).id for username in ("counselor1", "principal1", "head1", "head3")}

    def pick(model, condition):
        return model.select().where(condition).get().id

    own = {
        "child_id": kids.zhang_san.id, "concern_id": concern_a.id, "case_id": case_a,
        "referral_id": pick(Referral, Referral.case == case_a), "class_id": classes.c41.id,
        # Another pupil's account: resetting or signing it out leaves the test users' sessions alone.
        "school_id": county.schools[0].id, "user_id": users.committee2.id, "worker": users.worker1.id,
        "visit_id": pick(HomeVisit, HomeVisit.child == kids.zhang_san.id),
        "checkin_id": pick(CheckIn, CheckIn.child == kids.zhang_san.id),
        "report_id": pick(WeeklyReport, WeeklyReport.school_class == classes.c41.id),
        "zone_id": county.zones[0].id, "township_id": county.townships[0].id,
        "village_id": county.villages[0].id, "institution_id": institution.id, "name": "concerns",
        "link_id": pick(LinkRequest, LinkRequest.child == kids.zhao_liu.id),
        "incident_id": incident_a, "position": 0,
        "staff_id": staff_a.id, "key": "lesson",
        "follow_up_id": pick(FollowUp, (FollowUp.incident == incident_a) & (FollowUp.child == kids.li_si.id)),
        **screening_own,
        "inspection_id": inspection_a.id, "rectification_id": item_a.id, "training_id": trainings[0].id,
        "activity_id": logged["head1"],
    }
    own["attachment_id"] = attach_photo(head1, own["visit_id"])
    other = {
        **own, "child_id": kids.zhou_ba.id, "concern_id": concern_b.id, "case_id": case_b,
        "referral_id": pick(Referral, Referral.case == case_b), "class_id": classes.s2c41.id,
        "school_id": county.schools[1].id, "user_id": committee3.id, "worker": worker3.id,
        "zone_id": county.zones[1].id,
        "visit_id": pick(HomeVisit, HomeVisit.child == kids.zhou_ba.id),
        "checkin_id": pick(CheckIn, CheckIn.child == kids.chen_yi.id),
        "report_id": pick(WeeklyReport, WeeklyReport.school_class == classes.s2c41.id),
        "link_id": pick(LinkRequest, LinkRequest.child == far_pupil.id),
        "incident_id": incident_b, "follow_up_id": pick(FollowUp, FollowUp.incident == incident_b),
        "staff_id": staff_b.id,
        **screening_other,
        "inspection_id": inspection_b.id, "rectification_id": item_b.id, "training_id": trainings[1].id,
        "activity_id": logged["head3"],
    }
    other["attachment_id"] = attach_photo(head3, other["visit_id"])
    # Per role, what "her own" object is where the first guess is not hers.
    own_for = {WORKER: {"concern_id": worker_concern.id, "incident_id": worker_incident},
               "counselor": {"activity_id": logged["counselor1"]}, "principal": {"activity_id": logged["principal1"]}}
    return own, other, own_for
