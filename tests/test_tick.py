"""The timed work: escalation after 30 minutes, review and referral reminders, key periods —
once each, also when two ticks run at the same moment."""
import threading
import time
from datetime import date, timedelta

from webapp.clock import today, utcnow
from webapp.db import db
from webapp.models import AuditEvent, Concern, Institution, KeyPeriod, Notification, OutboundMessage, Referral
from webapp.safeguarding import channels
from webapp.safeguarding.cases import open_case
from webapp.safeguarding.concerns import acknowledge, raise_concern
from webapp.safeguarding.tick import run_tick


def _urgent(county, uuid="urgent-1"):
    concern, created = raise_concern(
        county.kids.zhang_san, county.users.head1, "urgent", "说不想活了", made_at=utcnow(), client_uuid=uuid
    )
    assert created
    return concern


def _told(kind):
    return sorted(n.user.username for n in Notification.select().where(Notification.kind == kind))


def _case(county, uuid="case-1", level="high", responsible=None, members=(), child=None):
    case, _ = open_case(
        child or county.kids.zhang_san, county.users.counselor1, today(), level, ["mental_health"], "", "",
        responsible or county.users.counselor1, list(members), uuid,
    )
    return case


def test_an_unacknowledged_urgent_concern_escalates_after_30_minutes_once(app, county, clock):
    with app.app_context():
        concern = _urgent(county)
        clock.advance(minutes=29)
        assert run_tick().escalated == 0
        assert _told("concern_escalated") == []
        clock.advance(minutes=2)
        assert run_tick().escalated == 1
        assert _told("concern_escalated") == ["county", "zone1"]  # not zone2: another zone
        assert Concern.get_by_id(concern.id).escalated_at == clock.now
        audit = AuditEvent.get(AuditEvent.action == "escalate_concern")
        assert audit.user_id is None
        assert (audit.object_id, audit.child_id) == (concern.id, county.kids.zhang_san.id)
        before = Notification.select().count()
        clock.advance(minutes=5)
        assert run_tick().escalated == 0
        assert Notification.select().count() == before


def test_the_triage_lists_mark_an_escalated_concern_until_it_is_acknowledged(app, county, clock, login_as):
    """The counsellor's list, and the zone's and county's, say that an urgent concern went on
    (the concern page said so; her list still read only 紧急 · 新)."""
    with app.app_context():
        concern = _urgent(county)
    mark = "已上报片区和县级"
    assert mark not in login_as("counselor1").get("/concerns/").get_data(as_text=True)
    clock.advance(minutes=31)
    with app.app_context():
        assert run_tick().escalated == 1
    for username in ("counselor1", "zone1", "county"):
        assert mark in login_as(username).get("/concerns/").get_data(as_text=True), username
    with app.app_context():
        acknowledge(Concern.get_by_id(concern.id), county.users.counselor1, utcnow())
    assert mark not in login_as("counselor1").get("/concerns/").get_data(as_text=True)


def test_the_homes_of_the_school_zone_and_county_show_an_escalated_concern_until_acknowledged(
        app, county, clock, login_as):
    """Zone and county learnt of an escalation only from the inbox and the bell: their home pages
    (and the school counsellor's) now open with it, counted, until someone acknowledges it; the
    other zone sees nothing."""
    with app.app_context():
        concern = _urgent(county)

    def card(username):
        page = login_as(username).get("/").get_data(as_text=True)
        return page.split('id="escalated-concerns"')[1].split("</a>")[0] if 'id="escalated-concerns"' in page else ""

    assert card("county") == ""
    clock.advance(minutes=31)
    with app.app_context():
        assert run_tick().escalated == 1
    for username in ("counselor1", "zone1", "county"):
        shown = card(username)
        assert "紧急预警尚未确认" in shown and '<span class="count">1</span>' in shown, username
        page = login_as(username).get("/").get_data(as_text=True)
        assert page.index('id="escalated-concerns"') < page.index('id="report-incident"'), username  # first
    assert card("zone2") == "" and card("counselor2") == ""
    with app.app_context():
        acknowledge(Concern.get_by_id(concern.id), county.users.counselor1, utcnow())
    assert card("county") == "" and card("zone1") == ""


def test_an_acknowledged_concern_never_escalates(app, county, clock):
    with app.app_context():
        concern = _urgent(county)
        clock.advance(minutes=10)
        acknowledge(concern, county.users.counselor1, utcnow())
        clock.advance(hours=3)
        assert run_tick().escalated == 0
        assert _told("concern_escalated") == []


def test_a_non_urgent_concern_never_escalates(app, county, clock):
    with app.app_context():
        raise_concern(county.kids.li_si, county.users.head1, "soon", "x", made_at=utcnow(), client_uuid="s-1")
        clock.advance(days=1)
        assert run_tick().escalated == 0


def test_two_ticks_at_once_escalate_once_and_send_each_alert_once(app, county, clock, monkeypatch):
    app.config.update(MAIL_SERVER="mail.invalid", WECOM_WEBHOOK_URL="https://robot.invalid/hook")
    sent, lock = [], threading.Lock()

    def slow_send(message):
        time.sleep(0.05)  # widen the window in which the other tick could pick the same row
        with lock:
            sent.append(message.id)

    monkeypatch.setattr(channels, "send", slow_send)
    with app.app_context():
        for user in (county.users.zone1, county.users.county, county.users.counselor1):
            user.email = f"{user.username}@example.org"
            user.save()
        _urgent(county)
        initial = OutboundMessage.select().count()  # counselor1's e-mail and the robot post
    clock.advance(minutes=31)
    barrier, reports, errors = threading.Barrier(2), [], []

    def tick():
        try:
            with app.app_context(), db.connection_context():  # a connection of its own
                barrier.wait()
                reports.append(run_tick())
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(r.escalated for r in reports) == [0, 1]
    with app.app_context():
        assert _told("concern_escalated") == ["county", "zone1"]
        # escalation: an e-mail each to zone1 and county, one robot post
        assert OutboundMessage.select().count() == initial + 3
        assert sorted(sent) == [m.id for m in OutboundMessage.select().order_by(OutboundMessage.id)]
        assert OutboundMessage.select().where(OutboundMessage.sent_at.is_null()).count() == 0
    assert sum(r.sent for r in reports) == initial + 3


def test_a_due_review_reminds_the_care_team_once(app, county, clock):
    with app.app_context():
        case = _case(county, members=[county.users.head1])
        assert case.next_review_on == today() + timedelta(days=7)
        clock.advance(days=6)
        assert run_tick().review_reminders == 0
        clock.advance(days=1)
        assert run_tick().review_reminders == 2
        assert _told("case_review_due") == ["counselor1", "head1"]
        note = Notification.get(Notification.kind == "case_review_due")
        assert note.case_id == case.id
        assert note.dedupe_key == f"case:{case.id}:review:{case.next_review_on.isoformat()}"
        clock.advance(days=1)
        assert run_tick().review_reminders == 0


def test_a_closed_case_gets_no_review_reminder(app, county, clock):
    with app.app_context():
        case = _case(county)
        case.status = "closed"
        case.save()
        clock.advance(days=30)
        assert run_tick().review_reminders == 0


def test_a_key_period_is_announced_once_to_every_care_team(app, county, clock):
    with app.app_context():
        _case(county, members=[county.users.head1])
        # Another pupil's (one open case per child).
        closed = _case(county, uuid="case-2", responsible=county.users.zone1, child=county.kids.li_si)
        closed.status = "closed"
        closed.save()
        period = KeyPeriod.create(kind="exams", starts_on=today() + timedelta(days=1),
                                  ends_on=today() + timedelta(days=5))
        assert run_tick().key_periods == 0  # not begun yet
        clock.advance(days=1)
        assert run_tick().key_periods == 1
        assert _told("key_period") == ["counselor1", "head1"]  # zone1's only case is closed
        assert KeyPeriod.get_by_id(period.id).announced_at == clock.now
        clock.advance(days=1)
        assert run_tick().key_periods == 0
        assert len(_told("key_period")) == 2


def test_a_past_key_period_is_not_announced(app, county, clock):
    with app.app_context():
        _case(county)
        KeyPeriod.create(kind="holidays", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 7))
        assert run_tick().key_periods == 0


def test_a_referral_without_news_reminds_the_responsible_adult(app, county, clock):
    with app.app_context():
        case = _case(county, responsible=county.users.head1, members=[county.users.counselor1])
        referral = Referral.create(
            case=case, institution=Institution.create(name="县人民医院"), referred_on=today(),
            client_uuid="ref-1",
        )
        clock.advance(days=13)
        assert run_tick().referral_reminders == 0
        clock.advance(days=1)
        assert run_tick().referral_reminders == 1
        assert _told("referral_overdue") == ["head1"]
        assert run_tick().referral_reminders == 0
        # Fresh news restarts the wait; it goes stale again 14 days later.
        Referral.update(last_feedback_on=today()).where(Referral.id == referral.id).execute()
        clock.advance(days=13)
        assert run_tick().referral_reminders == 0
        clock.advance(days=1)
        assert run_tick().referral_reminders == 1
        reminders = Notification.select().where(Notification.kind == "referral_overdue")
        assert sorted(n.dedupe_key for n in reminders) == [
            f"referral:{referral.id}:overdue:2026-11-18", f"referral:{referral.id}:overdue:2026-12-02",
        ]
        # An outcome ends the reminders.
        Referral.update(outcome="已住院治疗", outcome_on=today()).where(Referral.id == referral.id).execute()
        clock.advance(days=30)
        assert run_tick().referral_reminders == 0


def test_the_tick_command_prints_what_it_did(app, county, clock):
    with app.app_context():
        _urgent(county)
    clock.advance(minutes=31)
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "escalated 1 concern(s)" in result.output
