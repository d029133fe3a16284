"""Annual screening (心理测评/普查), 《实施方案》四、8: instruments as data (instruments/*.json,
read by instruments.py), rounds, results in (import, individual, supervised session), 测评预警 with
deadlines and their follow-up, coverage, and teachers' confidential self-check."""
from flask_babel import lazy_gettext as _l

OUTCOME_LABELS = {"excluded": _l("Excluded (false alarm)"), "monitor": _l("Keep watching"),
                  "case": _l("Open or join her 一生一策 case")}
SOURCE_LABELS = {"import": _l("Imported"), "individual": _l("Individual screening"), "session": _l("Class session")}
SETTING_LABELS = {"attention": _l("Attention from"), "key": _l("Key from"), "high": _l("High risk from"),
                  "due.high": _l("High risk: follow up within"), "due.key": _l("Key: follow up within"),
                  "due.attention": _l("Attention: follow up within"),
                  "rescreen.weeks": _l("Screen watched pupils again after (weeks)")}


def setting_label(name):
    if name in SETTING_LABELS:
        return SETTING_LABELS[name]
    parts = name.split(".")
    label = SETTING_LABELS.get(parts[-1], parts[-1])
    return f"{_l('Any subscale')}: {label}" if parts[1] == "sub" else label


def _named(pupils):
    """Her pupils whose 测评预警 waits: a page naming them is not kept on the phone."""
    if pupils:
        from ..pwa import records_shown
        records_shown()
    return pupils


def init_app(app):
    from flask_login import current_user

    from ..clock import utcnow
    from . import overview, views, views_individual, views_session  # noqa: F401  (routes join the blueprint)
    from .blueprint import bp
    from .selfcheck import bp as self_check_bp

    app.register_blueprint(bp)
    app.register_blueprint(self_check_bp)
    views_session.init_app(app)
    app.jinja_env.globals.update(
        screening_home=overview.current_user_round,
        screening_queue=lambda: overview.queue_for_triage(current_user),
        screening_class=lambda: _named(overview.class_pupils(current_user)),
        screening_now=utcnow,
        screening_outcome=lambda code: OUTCOME_LABELS.get(code, code or ""),
        screening_source=lambda code: SOURCE_LABELS.get(code, code),
        screening_setting_label=setting_label,
    )
