"""Inspections (督导) and their 整改 items: models in models/inspections.py, the service, the
pages (views.py) and what they add to the home pages and the dashboard (overview.py)."""


def init_app(app):
    from . import labels, overview
    from .views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(inspection_home=overview.home, inspection_figures=overview.dashboard_figures,
                                 verdict_label=labels.VERDICT_LABELS.get,
                                 rectification_status_label=labels.RECTIFICATION_STATUS_LABELS.get)
