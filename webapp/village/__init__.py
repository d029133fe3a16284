"""Village child workers (童伴妈妈): left-behind children's files, check-ins, 童伴之家 activities, duty plan."""


def init_app(app):
    """Register the capability's blueprints and what the shared templates ask of it."""
    from . import activities, checkins, link_requests, panel, rule_settings, views, worklog

    for module in (views, activities, checkins, rule_settings, worklog, link_requests):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(village_panel=panel.child_panel, unconfirmed_ids=panel.unconfirmed_ids,
                                  pending_link_requests=link_requests.pending_link_requests)
