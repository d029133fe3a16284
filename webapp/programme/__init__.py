"""The school's mental-health programme (issue 19): the register (register.py), logged activities
(activities.py), the county's requirements (requirements.py, rules.py), compliance computed from
the records (compliance.py), the pages (views.py) and the annual 台账 workbook (report.py)."""


def init_app(app):
    from . import labels
    from .views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        post_label=labels.POST_LABELS.get, training_level_label=labels.TRAINING_LEVEL_LABELS.get,
        equipment_label=labels.EQUIPMENT_LABELS.get, activity_kind_label=labels.ACTIVITY_KIND_LABELS.get,
        per_label=labels.PER_LABELS.get, period_label=labels.PERIOD_LABELS.get,
        cell_text=labels.cell_text, requirement_label=labels.requirement_label,
    )
