"""Settings read from the environment, with safe defaults for development and the demo."""
import os
import secrets
from datetime import timedelta


class Config:
    """Production settings; every value can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Empty means "a SQLite file in the instance folder", filled in by create_app.
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    # Connections each app process may hold, and how many seconds a request waits for one when
    # all are busy before it is answered 503 with Retry-After (webapp/db.py).
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "32"))
    DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "10"))
    # PostgreSQL: after how many runs of the same SQL on a connection psycopg 3 prepares it on
    # the server ("none": never, e.g. behind a transaction-pooling PgBouncer older than 1.21).
    DATABASE_PREPARE_THRESHOLD = (None if os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").lower() == "none"
                                  else int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")))
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Staff stay signed in on their own phone; pupils on a shared phone do not.
    IDLE_TIMEOUT = {"committee": timedelta(minutes=15)}

    # A CSRF token lives as long as the session, so an entry written offline can still be sent.
    WTF_CSRF_TIME_LIMIT = None

    LOGIN_MAX_FAILURES_PER_USER = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_WINDOW = timedelta(minutes=15)

    # Out-of-scope 404s (trust.probing): at most one audit row per account, kind of object and
    # AUDIT_EVERY; the county is warned when one account meets THRESHOLD different refused ids
    # within WINDOW (the sign of someone probing), and the warning shows for SHOWN.
    PROBING_AUDIT_EVERY = timedelta(minutes=1)
    PROBING_THRESHOLD = 20
    PROBING_WINDOW = timedelta(minutes=10)
    PROBING_SHOWN = timedelta(days=7)

    # "default" is argon2's recommended profile; tests use the cheapest one.
    ARGON2_PROFILE = os.environ.get("ARGON2_PROFILE", "default")
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    # Attachments (PDF, JPEG, PNG): each file up to ATTACHMENT_MAX_BYTES; only the upload routes
    # accept a request that large (ATTACHMENT_MAX_BYTES + 1 MB of form), every other form keeps
    # MAX_CONTENT_LENGTH. Files are kept in the database unless ATTACHMENTS_DIR names a directory.
    ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
    ATTACHMENTS_DIR = os.environ.get("ATTACHMENTS_DIR", "")
    # How many reverse proxies stand in front (their X-Forwarded-For/-Proto are trusted).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    CHILDREN_PER_PAGE = 50
    # Children on the visit roster's first page, which the phone keeps for offline visits.
    OFFLINE_ROSTER_SIZE = 200

    # Timed work (`flask --app wsgi tick`, run every minute by cron). RUN_TIMED_WORK=1 runs it
    # in-process instead, every TIMED_WORK_EVERY seconds in each worker (safeguarding/timed_work.py);
    # whichever tick holds the database lease does the work, for at most TICK_LEASE if it dies.
    RUN_TIMED_WORK = os.environ.get("RUN_TIMED_WORK", "") == "1"
    TIMED_WORK_EVERY = 60
    TICK_LEASE = timedelta(minutes=2)
    ESCALATE_AFTER = timedelta(minutes=int(os.environ.get("ESCALATE_AFTER_MINUTES", "30")))
    REFERRAL_FEEDBACK_DAYS = int(os.environ.get("REFERRAL_FEEDBACK_DAYS", "14"))
    # A failed alert is tried again after 1, 2, 4 … minutes (at most 30); after the last try it
    # is left unsent and shown to the county as failed (发送失败的提醒 on its home page).
    OUTBOUND_MAX_ATTEMPTS = 10
    OUTBOUND_RETRY_BASE = timedelta(minutes=1)
    OUTBOUND_RETRY_CAP = timedelta(minutes=30)
    OUTBOUND_BATCH = 50
    # The address staff open from an alert (alerts carry no child data, only this link).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # E-mail alerts: off while MAIL_SERVER is empty.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    # The county centre's psychological aid service shown on /help (《实施方案》四、18): its
    # hotline, the name of its WeChat official account (公众号) and its website. Empty: not shown.
    COUNTY_AID_HOTLINE = os.environ.get("COUNTY_AID_HOTLINE", "")
    COUNTY_AID_WECHAT = os.environ.get("COUNTY_AID_WECHAT", "")
    COUNTY_AID_WEBSITE = os.environ.get("COUNTY_AID_WEBSITE", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"  # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") == "1"  # SMTPS, e.g. port 465
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "xinqiao@localhost")
    MAIL_TIMEOUT = 10
    # WeCom group robot (企业微信群机器人) alerts: off while empty.
    WECOM_WEBHOOK_URL = os.environ.get("WECOM_WEBHOOK_URL", "")
    WECOM_TIMEOUT = 5


class DemoConfig(Config):
    """The demo county on a laptop. Without SECRET_KEY, create_app makes a random key on the
    first start and keeps it in instance/secret_key (webapp.instance_key)."""

    DEMO = True
    RUN_TIMED_WORK = True  # the demo command runs the timed work in its serving process: no cron


class TestConfig(Config):
    """Fast hashing and a key of its own (random per run); the database comes from the test fixture."""

    SECRET_KEY = secrets.token_hex(32)
    TESTING = True
    ARGON2_PROFILE = "test"
    # Tests never reach a real mail server or robot; a test points these at local stand-ins.
    MAIL_SERVER = ""
    WECOM_WEBHOOK_URL = ""
    RUN_TIMED_WORK = False  # a test runs the timed work itself (or starts it, tests/test_timed_work.py)
