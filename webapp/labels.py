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

URGENCY_LABELS = {"normal": _l("Needs attention"), "soon": _l("Soon"), "urgent": _l("Urgent")}
RISK_LEVEL_LABELS = {
    "general": _l("General"), "attention": _l("Attention"), "key": _l("Key"), "high": _l("High risk"),
}
CONCERN_STATUS_LABELS = {
    "new": _l("New"), "acknowledged": _l("Acknowledged"), "monitoring": _l("Monitoring"),
    "closed": _l("Closed"), "case": _l("Case opened"),
}
CASE_CATEGORY_LABELS = {
    "mental_health": _l("Mental-health problem"), "family": _l("Family problem"),
    "left_behind": _l("Left-behind"), "psychiatric_history": _l("Psychiatric history"), "other": _l("Other"),
}
CASE_STATUS_LABELS = {"open": _l("Open"), "closed": _l("Closed")}
INSTITUTION_KIND_LABELS = {
    "hospital": _l("Hospital"), "psychiatric": _l("Psychiatric clinic"), "agency": _l("Social-work agency"),
}
CONSENT_HOW_LABELS = {"paper": _l("Signed paper"), "in_person": _l("In person"), "phone": _l("By phone")}
KEY_PERIOD_LABELS = {
    "school_start": _l("Start of term"), "exams": _l("Exams"), "holidays": _l("Holidays"),
    "graduation": _l("Before graduation"),
}
NOTIFICATION_LABELS = {
    "concern_normal": _l("New concern"), "concern_soon": _l("New concern: soon"),
    "concern_urgent": _l("Urgent concern"), "concern_escalated": _l("Urgent concern not yet acknowledged"),
    "case_review_due": _l("Case review due"), "key_period": _l("Key period: contact your case children"),
    "referral_overdue": _l("Referral awaiting feedback"),
}
# Colours of the risk levels (configurable through RISK_LEVEL_COLOURS).
RISK_LEVEL_COLOURS = {"general": "grey", "attention": "yellow", "key": "orange", "high": "red"}


def _lookup(table):
    return lambda code: table.get(code, code)


def register(app):
    app.jinja_env.globals.update(
        role_label=lambda code: ROLE_LABELS.get(code, code),
        sex_label=lambda code: SEX_LABELS.get(code, code),
        key_group_label=lambda code: KEY_GROUP_LABELS.get(code, code),
        stage_label=lambda code: STAGE_LABELS.get(code, code),
        urgency_label=_lookup(URGENCY_LABELS),
        # A county may rename the levels (config RISK_LEVEL_LABELS); else the translated defaults.
        risk_label=lambda code: app.config.get("RISK_LEVEL_LABELS", {}).get(code) or RISK_LEVEL_LABELS.get(code, code),
        concern_status_label=_lookup(CONCERN_STATUS_LABELS),
        category_label=_lookup(CASE_CATEGORY_LABELS),
        case_status_label=_lookup(CASE_STATUS_LABELS),
        institution_kind_label=_lookup(INSTITUTION_KIND_LABELS),
        consent_how_label=_lookup(CONSENT_HOW_LABELS),
        key_period_label=_lookup(KEY_PERIOD_LABELS),
        notification_label=_lookup(NOTIFICATION_LABELS),
        risk_colour=lambda code: app.config.get("RISK_LEVEL_COLOURS", RISK_LEVEL_COLOURS).get(code, "grey"),
    )
