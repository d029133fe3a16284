"""Read by gunicorn when started from this folder (`gunicorn wsgi:app`): with RUN_TIMED_WORK=1
each worker starts the timed work as it boots (webapp/safeguarding/timed_work.py), so escalation
runs without cron and without waiting for a first request; the database lease lets one tick at
a time work. Without RUN_TIMED_WORK it does nothing (cron runs `flask --app wsgi tick`)."""


def post_worker_init(worker):
    app = worker.wsgi
    if getattr(app, "config", {}).get("RUN_TIMED_WORK"):
        from webapp.safeguarding import timed_work

        timed_work.start(app)
