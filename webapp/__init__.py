"""XinQiao 心桥: the county's school mental-health field work, phone first."""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import access, bounds, db, errors, pwa, security
from .config import Config
from .extensions import babel, csrf, htmx, login_manager
from .i18n import compile_catalogs, select_locale
from .instance_key import instance_secret_key

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config=Config, instance_path=None, **overrides):
    """Build the app from a config class (and overrides, for tests; `instance_path`: where the
    SQLite file and the demo's key live, instance/ by default)."""
    app = Flask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
        instance_path=instance_path or os.path.join(ROOT, "instance"),
    )
    bounds.init_app(app)  # before any route is added: every <int:...> id is bounded
    app.config.from_object(config)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY") and app.config.get("DEMO"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (see README: Configuration)")
    if not app.config.get("DATABASE_URL"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "xinqiao.db")

    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)
    compile_catalogs()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(ROOT, "locales"),
    )
    csrf.init_app(app)
    htmx.init_app(app)
    security.init_app(app)
    pwa.init_app(app)
    login_manager.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    access.init_app(app, login_manager)
    _register_commands(app)
    from .safeguarding import timed_work

    timed_work.init_app(app)  # RUN_TIMED_WORK: escalations and alerts without cron
    return app


def _register_blueprints(app):
    from .admin.views import bp as admin_bp
    from .auth.twofactor_views import bp as twofactor_bp
    from .auth.views import bp as auth_bp
    from .cases.settings import bp as case_settings_bp
    from .cases.views import bp as cases_bp
    from .children.views import bp as children_bp
    from .concerns.views import bp as concerns_bp
    from .dashboard.views import bp as dashboard_bp
    from .exports.views import bp as exports_bp
    from .home.views import bp as home_bp
    from .inbox import bp as inbox_bp
    from .pages import bp as pages_bp
    from .peer.views import bp as peer_bp
    from .pwa import bp as pwa_bp
    from .trust.audit_views import bp as audit_bp
    from .trust.rights_views import bp as rights_bp
    from .visits.views import bp as visits_bp

    for blueprint in (auth_bp, home_bp, children_bp, admin_bp, pages_bp, concerns_bp, cases_bp,
                      case_settings_bp, inbox_bp, exports_bp, audit_bp, rights_bp, twofactor_bp, pwa_bp,
                      visits_bp, peer_bp, dashboard_bp):
        app.register_blueprint(blueprint)
    from .village import init_app as init_village

    init_village(app)
    from .incidents import init_app as init_incidents

    init_incidents(app)
    from .screening import init_app as init_screening

    init_screening(app)
    from .programme import init_app as init_programme

    init_programme(app)
    from .attachments import init_app as init_attachments
    from .inspections import init_app as init_inspections

    init_attachments(app)
    init_inspections(app)
    from . import templating

    templating.init_app(app)


def _register_commands(app):
    from .demo import demo_command
    from .migrate import migrate_command
    from .safeguarding.tick import tick_command

    app.cli.add_command(migrate_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(tick_command)
    from .demo.gencounty import gen_county_command

    app.cli.add_command(gen_county_command)
    from .trust.backup import backup_command, verify_backup_command

    app.cli.add_command(backup_command)
    app.cli.add_command(verify_backup_command)
