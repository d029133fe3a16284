"""Timed work that runs by itself: the demo's in-process scheduler escalates an urgent concern
with no cron; two ticks at once (threads, processes) do the work once and send each alert once;
an alert the channel refuses is retried with backoff and, after the last try, shows to the county
as failed instead of being lost."""
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from webapp import create_app
from webapp import demo as demo_module
from webapp.clock import utcnow
from webapp.config import TestConfig
from webapp.db import db
from webapp.demo import demo_command
from webapp.demo.county import load_demo_county
from webapp.models import Child, Concern, Notification, OutboundMessage, SchoolClass, User
from webapp.safeguarding import timed_work
from webapp.safeguarding.concerns import raise_concern
from webapp.safeguarding.tick import TickReport, run_tick, send_alerts

from .conftest import Browser
from .test_channels import RobotHandler

ROOT = Path(__file__).resolve().parent.parent
STAFF_MAIL = {"counselor1": "counselor1@example.org", "principal1": "principal1@example.org",
              "zone1": "zone1@example.org", "county": "county@example.org"}


class Mailbox:
    """An aiosmtpd handler: keeps each message it accepts; answers 451 (try again later) to the
    first `refuse` DATA commands; `hold` (an Event) keeps the first DATA waiting until it is set."""

    def __init__(self, refuse=0, hold=None, delay=0.0):
        self.refuse, self.hold, self.delay = refuse, hold, delay
        self.tries, self.messages, self.lock = 0, [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.tries += 1
            refused = self.refuse > 0
            self.refuse -= 1 if refused else 0
        if self.hold is not None:
            # A plain wait is fine: each SMTP session of this stand-in is handled in turn, and
            # the test sets the event from its own thread.
            self.hold.wait(10)
        if self.delay:
            time.sleep(self.delay)
        if refused:
            return "451 4.3.0 mailbox busy, try again later"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def recipients(self):
        return sorted(message["To"] for message in self.messages)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """Start an aiosmtpd server on a free local port with the given handler; the app sends there."""
    controllers = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                          MAIL_FROM="xinqiao@example.org", BASE_URL="https://xinqiao.example.org")
        return controller

    yield start
    for controller in controllers:
        controller.stop()


def _give_staff_mail(county):
    for username, address in STAFF_MAIL.items():
        User.update(email=address).where(User.username == username).execute()


def _urgent(county, uuid_="timed-urgent"):
    concern, created = raise_concern(county.kids.zhang_san, county.users.head1, "urgent", "说不想活了",
                                     made_at=utcnow(), client_uuid=uuid_)
    assert created
    return concern


def _tick_in_threads(app, count=2):
    reports, errors, barrier = [], [], threading.Barrier(count)

    def tick():
        try:
            with app.app_context(), db.connection_context():  # a connection of its own
                barrier.wait()
                reports.append(run_tick())
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=tick) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, reports, errors


def test_two_ticks_in_parallel_threads_work_once_and_send_each_alert_once(app, county, clock, smtp_server):
    hold = threading.Event()
    mailbox = Mailbox(hold=hold)
    smtp_server(mailbox)
    with app.app_context():
        _give_staff_mail(county)
        _urgent(county)  # counselor1 and principal1 are e-mailed at once
    clock.advance(minutes=31)  # and now zone1 and county, as it escalates
    threads, reports, errors = _tick_in_threads(app)
    # One tick holds the lease and waits on the mail server; the other must find the lease taken
    # and finish without doing anything, while the first is still sending.
    deadline = time.monotonic() + 10
    while all(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        time.sleep(0.01)
    finished = [report for report in reports]
    hold.set()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert [report.skipped for report in finished] == [True]
    assert sorted(report.escalated for report in reports) == [0, 1]
    assert sorted(report.sent for report in reports) == [0, 4]
    assert mailbox.recipients() == sorted(STAFF_MAIL.values())  # each alert exactly once
    with app.app_context():
        assert OutboundMessage.select().where(OutboundMessage.sent_at.is_null()).count() == 0
        assert run_tick().skipped is False  # the lease was given back
    assert len(mailbox.messages) == 4


def test_two_senders_never_send_the_same_message(app, county, smtp_server):
    """Without the lease (a tick whose lease ran out while it still sends), the per-message claim
    alone keeps two senders from sending one message twice."""
    mailbox = Mailbox(delay=0.02)
    smtp_server(mailbox)
    with app.app_context():
        for n in range(12):
            OutboundMessage.create(channel="email", recipient=f"staff{n:02d}@example.org",
                                   subject="心桥提醒", body="请登录心桥查看。")
    reports, errors, barrier = [], [], threading.Barrier(3)

    def sender():
        try:
            with app.app_context(), db.connection_context():
                barrier.wait()
                report = TickReport()
                send_alerts(utcnow(), report)
                reports.append(report)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert mailbox.recipients() == [f"staff{n:02d}@example.org" for n in range(12)]
    assert sum(report.sent for report in reports) == 12


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="two processes on one database: PostgreSQL (the production database)")
def test_two_tick_processes_at_once_send_each_alert_once(app, county, clock, smtp_server, database_url):
    mailbox = Mailbox(delay=0.05)
    controller = smtp_server(mailbox)
    with app.app_context():
        _give_staff_mail(county)
        _urgent(county)  # the test clock is weeks behind the real one: due for the processes
        for n in range(8):
            OutboundMessage.create(channel="email", recipient=f"staff{n}@example.org",
                                   subject="心桥提醒", body="请登录心桥查看。")
    if not db.is_closed():
        db.close()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": uuid.uuid4().hex * 2,
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(controller.port), "MAIL_FROM": "xinqiao@example.org",
           "WECOM_WEBHOOK_URL": "", "RUN_TIMED_WORK": ""}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "tick"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for _ in range(2)]
    outputs = [process.communicate(timeout=120)[0].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    expected = sorted(list(STAFF_MAIL.values()) + [f"staff{n}@example.org" for n in range(8)])
    assert mailbox.recipients() == expected, outputs
    with app.app_context():
        assert Notification.select().where(Notification.kind == "concern_escalated").count() == 2
        assert OutboundMessage.select().where(OutboundMessage.sent_at.is_null()).count() == 0


def _tries_and_next(message_id):
    message = OutboundMessage.get_by_id(message_id)
    return message.attempts, message.next_attempt_at, message.sent_at


def test_a_refused_alert_is_retried_with_backoff_and_arrives_on_the_third_try(app, county, clock, smtp_server,
                                                                               login_as):
    mailbox = Mailbox(refuse=2)
    smtp_server(mailbox)
    with app.app_context():
        User.update(email=STAFF_MAIL["counselor1"]).where(User.username == "counselor1").execute()
        _urgent(county)
        message_id = OutboundMessage.get().id
        start = clock.now

        assert run_tick().failed == 1
        assert _tries_and_next(message_id) == (1, start + timedelta(minutes=1), None)
        run_tick()  # the same minute: the backoff holds it back
        assert mailbox.tries == 1

        clock.advance(minutes=1)
        assert run_tick().failed == 1
        assert _tries_and_next(message_id) == (2, clock.now + timedelta(minutes=2), None)
        clock.advance(minutes=1)
        run_tick()
        assert mailbox.tries == 2  # 2 minutes after the second refusal, not 1
        message = OutboundMessage.get_by_id(message_id)
        assert (message.failure, message.last_error.startswith("SMTPDataError")) == ("deferred", True)
    county_home = login_as("county").get("/").get_data(as_text=True)
    # The county already sees it, as retrying.
    assert "发送失败的提醒" in county_home and "重试" in county_home and "已停止重试" not in county_home

    clock.advance(minutes=1)
    with app.app_context():
        assert run_tick().sent == 1
        assert _tries_and_next(message_id)[2] == clock.now
    assert mailbox.tries == 3 and mailbox.recipients() == [STAFF_MAIL["counselor1"]]
    assert "发送失败的提醒" not in login_as("county").get("/").get_data(as_text=True)


def test_the_backoff_doubles_up_to_its_cap(app, county, clock, smtp_server):
    smtp_server(Mailbox(refuse=100))
    app.config.update(OUTBOUND_MAX_ATTEMPTS=20)
    with app.app_context():
        message = OutboundMessage.create(channel="email", recipient="a@example.org", subject="s", body="b")
        waits = []
        for _ in range(8):
            run_tick()
            attempts, next_at, _sent = _tries_and_next(message.id)
            waits.append(int((next_at - clock.now).total_seconds() // 60))
            clock.now = next_at
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]


def test_an_alert_that_never_gets_through_shows_as_failed_to_the_county(app, county, clock, smtp_server,
                                                                         login_as):
    mailbox = Mailbox(refuse=1000)
    smtp_server(mailbox)
    robot = ThreadingHTTPServer(("127.0.0.1", 0), RobotHandler)
    robot.posts, robot.answers = [], [(502, {"errmsg": "bad gateway"})] * 100
    threading.Thread(target=robot.serve_forever, daemon=True).start()
    app.config.update(OUTBOUND_MAX_ATTEMPTS=3,
                      WECOM_WEBHOOK_URL=f"http://127.0.0.1:{robot.server_address[1]}/cgi-bin/webhook/send?key=t")
    try:
        with app.app_context():
            User.update(email=STAFF_MAIL["counselor1"]).where(User.username == "counselor1").execute()
            _urgent(county)
            for _ in range(5):  # 25 minutes: well past the 1 + 2 minutes of backoff, before escalation
                run_tick()
                clock.advance(minutes=5)
            assert [(m.channel, m.attempts, m.sent_at) for m in OutboundMessage.select().order_by(
                OutboundMessage.channel)] == [("email", 3, None), ("wecom", 3, None)]
    finally:
        robot.shutdown()
        robot.server_close()
    assert mailbox.tries == 3 and len(robot.posts) == 3  # no more tries after the last

    page = login_as("county").get("/").get_data(as_text=True)
    section = page[page.index("发送失败的提醒"):]
    section = section[:section.index("</section>")]
    assert "邮件" in section and "企业微信" in section
    assert section.count("已停止重试") == 2 and section.count("已尝试 3 次") == 2
    assert "邮件服务器暂时拒收" in section and "对方服务器出错" in section
    for private in ("张三", "说不想活了", STAFF_MAIL["counselor1"]):
        assert private not in section
    for username in ("zone1", "principal1", "counselor1"):
        assert "发送失败的提醒" not in login_as(username).get("/").get_data(as_text=True)


# The demo: the timed work runs in the serving process, with no cron.

@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo_county()
    return app


def _urgent_in_demo(app):
    head = Browser(app.test_client())
    head.login("head1", "xinqiao-demo")
    with app.app_context():
        class_4_1 = SchoolClass.get((SchoolClass.school == User.get(User.username == "head1").school)
                                    & (SchoolClass.grade == 4) & (SchoolClass.number == 1))
        child = Child.select().where(Child.school_class == class_4_1).order_by(Child.id).first()
    head.get(f"/concerns/new?child={child.id}")
    response = head.post(f"/concerns/new?child={child.id}", {
        "urgency": "urgent", "description": "说不想活了", "client_uuid": str(uuid.uuid4())})
    assert response.status_code in (200, 302)
    with app.app_context():
        return Concern.select().where(Concern.child == child.id).order_by(Concern.id.desc()).get().id


def test_the_demo_escalates_an_urgent_concern_with_no_cron(demo, clock):
    scheduler = timed_work.make_scheduler(demo)
    job = scheduler.get_job(timed_work.JOB_ID)
    assert job.trigger.interval == timedelta(minutes=1)
    concern_id = _urgent_in_demo(demo)

    clock.advance(minutes=29)
    job.func(*job.args)
    with demo.app_context():
        assert Concern.get_by_id(concern_id).escalated_at is None
    clock.advance(minutes=2)
    job.func(*job.args)  # what the scheduler does every minute

    with demo.app_context():
        told = {n.user.username for n in Notification.select().where(
            (Notification.concern == concern_id) & (Notification.kind == "concern_escalated"))}
        assert Concern.get_by_id(concern_id).escalated_at == clock.now
    assert told == {"zone1", "county"}
    county = Browser(demo.test_client())
    county.login("county", "xinqiao-demo")
    inbox = county.get("/inbox/").get_data(as_text=True)
    assert "紧急预警尚未确认" in inbox
    page = county.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "未及时确认，已上报片区和县级" in page


def test_the_demo_command_starts_the_timed_work_before_serving(app, monkeypatch):
    seen = {}

    def serve(host, port, application, **options):
        scheduler = application.extensions.get("timed_work")
        seen.update(running=bool(scheduler and scheduler.running), reloader=options.get("use_reloader"),
                    job=scheduler.get_job(timed_work.JOB_ID) if scheduler else None)

    monkeypatch.setattr(demo_module, "run_simple", serve)
    result = app.test_cli_runner().invoke(demo_command, [])
    try:
        assert result.exit_code == 0, result.output
        assert seen["running"] and seen["job"] is not None and seen["reloader"] is False
    finally:
        timed_work.stop(app)
    assert "timed_work" not in app.extensions


def test_with_werkzeugs_reloader_only_the_serving_child_runs_the_timed_work(app, monkeypatch):
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert timed_work.start(app, use_reloader=True) is None  # the parent only watches files
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    try:
        assert timed_work.start(app, use_reloader=True).running
    finally:
        timed_work.stop(app)


def test_production_runs_the_timed_work_only_when_asked(app, clock):
    assert app.test_client().get("/login").status_code == 200
    assert "timed_work" not in app.extensions  # RUN_TIMED_WORK off: cron runs `flask tick`
    worker = create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"], CLOCK=clock, RUN_TIMED_WORK=True)
    try:
        assert "timed_work" not in worker.extensions  # not at import: `flask tick` must not start it
        assert worker.test_client().get("/login").status_code == 200
        scheduler = worker.extensions["timed_work"]
        assert scheduler.running
        worker.test_client().get("/login")
        assert worker.extensions["timed_work"] is scheduler  # once per process
    finally:
        timed_work.stop(worker)
