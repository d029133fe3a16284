"""The timed work in-process: a background scheduler runs the tick every minute, so escalation
does not depend on someone having installed cron.

The demo command starts it in its serving process. In production RUN_TIMED_WORK=1 starts it in
every app worker (gunicorn.conf.py when a worker boots, or the worker's first request); each
minute every worker's tick asks for the database lease and only its holder works
(tick.run_tick), so several workers and hosts still escalate and send each alert once.
Commands (`flask tick`, `migrate`, …) never start it: they serve no request.
"""
import os
import threading
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from werkzeug.serving import is_running_from_reloader

from ..db import db
from .tick import run_tick

JOB_ID = "tick"
EXTENSION = "timed_work"
_starting = threading.Lock()


def scheduled_tick(app):
    """What the scheduler runs every minute: one tick in an app context, on a pooled connection
    of its own. A failure is logged and the next minute tries again."""
    with app.app_context():
        try:
            with db.connection_context():
                report = run_tick()
        except Exception:
            app.logger.exception("timed work failed")
            return None
        if not report.skipped and (report.escalated or report.sent or report.failed or report.failed_jobs):
            app.logger.info("timed work: %s", report.summary())
        return report


def make_scheduler(app, every=None):
    """A scheduler (not started) with the tick every `every` seconds (TIMED_WORK_EVERY).
    A late or overlapping run is dropped, not queued: the next minute's tick does its work."""
    every = every or app.config["TIMED_WORK_EVERY"]
    scheduler = BackgroundScheduler(timezone=UTC, daemon=True)
    scheduler.add_job(
        scheduled_tick, "interval", seconds=every, args=[app], id=JOB_ID,
        coalesce=True, max_instances=1, misfire_grace_time=every,
    )
    return scheduler


def start(app, use_reloader=False, every=None):
    """Start the timed work in this process, once; returns the scheduler (None when this is
    Werkzeug's reloader parent, which only watches files while its child serves)."""
    if use_reloader and not is_running_from_reloader():
        return None
    every = every or app.config["TIMED_WORK_EVERY"]
    with _starting:
        scheduler = app.extensions.get(EXTENSION)
        # A worker forked from a process that had started it inherits the object, not its thread.
        if scheduler is not None and scheduler.started_in == os.getpid():
            return scheduler
        scheduler = make_scheduler(app, every)
        scheduler.started_in = os.getpid()
        scheduler.start()
        app.extensions[EXTENSION] = scheduler
        app.logger.info("timed work runs in-process every %s seconds", every)
        return scheduler


def stop(app):
    """Stop this process's timed work (tests; the demo's Ctrl+C ends the thread with the process)."""
    with _starting:
        scheduler = app.extensions.pop(EXTENSION, None)
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=True)


def init_app(app):
    """With RUN_TIMED_WORK, the first request a worker serves starts its timed work if its
    server did not (any WSGI server; gunicorn starts it as the worker boots)."""
    if not app.config.get("RUN_TIMED_WORK"):
        return

    @app.before_request
    def _timed_work_running():
        scheduler = app.extensions.get(EXTENSION)
        if scheduler is None or scheduler.started_in != os.getpid():
            start(app)
