"""The county's words for codes stored in the database, translated at display time."""
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "county": _l("County centre"),
    "zone": _l("Zone psychology teacher"),
    "counselor": _l("School psychology teacher"),
    "principal": _l("Principal"),
    "head_teacher": _l("Head teacher"),
    "committee": _l("Psychology committee member"),
    "child_worker": _l("Child worker"),
}
SEX_LABELS = {"m": _l("Boy"), "f": _l("Girl")}
KEY_GROUP_LABELS = {
    "left_behind": _l("Left-behind"),
    "single_parent": _l("Single parent"),
    "in_difficulty": _l("In difficulty"),
}
STAGE_LABELS = {
    "primary": _l("Primary school"),
    "junior": _l("Junior middle school"),
    "nine_year": _l("Nine-year school"),
    "senior": _l("Senior middle school"),
    "complete": _l("Complete middle school"),
}


def register(app):
    app.jinja_env.globals.update(
        role_label=lambda code: ROLE_LABELS.get(code, code),
        sex_label=lambda code: SEX_LABELS.get(code, code),
        key_group_label=lambda code: KEY_GROUP_LABELS.get(code, code),
        stage_label=lambda code: STAGE_LABELS.get(code, code),
    )
