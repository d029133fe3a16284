"""Alerts by e-mail and WeCom robot: sent by the tick only, without child data, retried on failure."""
import email
import email.policy
import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webapp.clock import utcnow
from webapp.models import OutboundMessage
from webapp.safeguarding.concerns import raise_concern
from webapp.safeguarding.tick import run_tick

DESCRIPTION = "课间说想从楼上跳下去"


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command is accepted, each DATA is kept."""

    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        lines, in_data = [], False
        for raw in self.rfile:
            if in_data:
                if raw.rstrip(b"\r\n") == b".":
                    self.server.messages.append(email.message_from_bytes(b"".join(lines),
                                                                         policy=email.policy.default))
                    lines, in_data = [], False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(raw[1:] if raw.startswith(b"..") else raw)
                continue
            verb = raw[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 end with .\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.messages = []


class RobotHandler(BaseHTTPRequestHandler):
    """Stands in for the WeCom robot: records posts; answers as `server.answer` says."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append(json.loads(body))
        status, reply = self.server.answers.pop(0) if self.server.answers else (200, {"errcode": 0})
        payload = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def _serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def sinks(app):
    smtp = _serve(SmtpSink())
    robot = ThreadingHTTPServer(("127.0.0.1", 0), RobotHandler)
    robot.posts, robot.answers = [], []
    _serve(robot)
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.server_address[1], MAIL_FROM="xinqiao@example.org",
        WECOM_WEBHOOK_URL=f"http://127.0.0.1:{robot.server_address[1]}/cgi-bin/webhook/send?key=test",
        BASE_URL="https://xinqiao.example.org",
    )
    yield smtp, robot
    for server in (smtp, robot):
        server.shutdown()
        server.server_close()


def _urgent_about_zhang_san(app, county):
    with app.app_context():
        counselor = county.users.counselor1
        counselor.email = "counselor1@example.org"
        counselor.save()
        concern, _ = raise_concern(county.kids.zhang_san, county.users.head1, "urgent", DESCRIPTION,
                                   made_at=utcnow(), client_uuid="urgent-channels")
        return concern


def _assert_no_child_data(text, county):
    assert "紧急" in text
    assert "https://xinqiao.example.org/concerns/" in text
    for secret in ("张三", county.schools[0].name, DESCRIPTION, county.classes.c41.label):
        assert secret not in text


def test_an_urgent_concern_sends_one_email_and_one_robot_post_without_child_data(app, county, sinks):
    smtp, robot = sinks
    _urgent_about_zhang_san(app, county)
    # Raising the concern only queued the alerts: the request never waits on a channel.
    assert smtp.messages == [] and robot.posts == []
    with app.app_context():
        assert OutboundMessage.select().where(OutboundMessage.sent_at.is_null()).count() == 2
        report = run_tick()
    assert (report.sent, report.failed) == (2, 0)
    assert len(smtp.messages) == 1 and len(robot.posts) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "counselor1@example.org" and mail["From"] == "xinqiao@example.org"
    _assert_no_child_data(mail["Subject"] + "\n" + mail.get_content(), county)
    post = robot.posts[0]
    assert post["msgtype"] == "text"
    _assert_no_child_data(post["text"]["content"], county)
    with app.app_context():
        assert run_tick().sent == 0  # nothing is sent twice
    assert len(smtp.messages) == 1 and len(robot.posts) == 1


REFUSALS = [(500, {"errmsg": "busy"}), (200, {"errcode": 93000, "errmsg": "invalid"})]


@pytest.mark.parametrize("answer", REFUSALS)
def test_a_refused_robot_post_stays_pending_and_a_later_tick_sends_it(app, county, sinks, answer, clock):
    smtp, robot = sinks
    robot.answers.append(answer)
    _urgent_about_zhang_san(app, county)
    with app.app_context():
        report = run_tick()
        assert (report.sent, report.failed) == (1, 1)  # the e-mail went; the robot refused
        message = OutboundMessage.get(OutboundMessage.channel == "wecom")
        assert message.sent_at is None and message.attempts == 1 and message.claimed_until is None
        assert message.last_error and "张三" not in message.last_error
        assert run_tick().sent == 0  # it waits out its backoff (a minute after the first failure)
        clock.advance(minutes=1)
        report = run_tick()
        assert (report.sent, report.failed) == (1, 0)
        message = OutboundMessage.get_by_id(message.id)
        assert message.sent_at is not None and message.attempts == 1 and message.last_error == ""
    assert len(robot.posts) == 2 and len(smtp.messages) == 1


def test_an_unreachable_mail_server_is_a_recorded_failure_not_a_crash(app, county, sinks):
    smtp, _robot = sinks
    port = smtp.server_address[1]
    smtp.shutdown()
    smtp.server_close()  # nothing listens on the port any more
    app.config["MAIL_PORT"] = port
    _urgent_about_zhang_san(app, county)
    with app.app_context():
        report = run_tick()
        assert (report.sent, report.failed, report.failed_jobs) == (1, 1, [])
        message = OutboundMessage.get(OutboundMessage.channel == "email")
        assert message.sent_at is None and message.attempts == 1


def test_a_message_that_keeps_failing_is_given_up_after_the_limit(app, county, sinks, clock):
    _smtp, robot = sinks
    app.config["OUTBOUND_MAX_ATTEMPTS"] = 2
    robot.answers.extend([(500, {})] * 5)
    _urgent_about_zhang_san(app, county)
    with app.app_context():
        for _ in range(4):
            run_tick()
            clock.advance(minutes=5)  # past each backoff, short of the escalation
        message = OutboundMessage.get(OutboundMessage.channel == "wecom")
        assert message.attempts == 2 and message.sent_at is None
    assert len(robot.posts) == 2
