"""Critical incidents (危机事件) and postvention: models in models/incidents.py, the service,
the plan's data (plan.py), the pages (views.py), and what they add to other pages (overview.py)."""


def init_app(app):
    from . import overview
    from .views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(incident_home=overview.current_user_home,
                                 incident_figures=overview.dashboard_figures)
