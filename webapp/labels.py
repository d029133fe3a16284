"""The county's words for codes stored in the database, translated at display time."""
from flask_babel import get_locale
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
    "mental_health": _l("Mental-health problem"),
    "problem_family": _l("Family problem"),
    "left_behind": _l("Left-behind"),
    "psychiatric_history": _l("Psychiatric history"),
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

URGENCY_LABELS = {"normal": _l("Routine"), "soon": _l("Soon"), "urgent": _l("Urgent")}
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
    "case_concern": _l("A new concern joined a case you are responsible for"),
    "incident_opened": _l("Critical incident reported"),
    "rectification_assigned": _l("A rectification item from an inspection is yours"),
    "rectification_returned": _l("A rectification item was sent back"),
}
# Critical incidents (危机事件) and postvention.
INCIDENT_KIND_LABELS = {
    "self_harm": _l("Self-harm or suicide attempt"), "death": _l("Death"), "bullying": _l("Serious bullying"),
    "violence": _l("Violence"), "accident": _l("Accidental injury"), "family_crisis": _l("Major family crisis"),
    "disaster": _l("Natural disaster"), "other": _l("Other"),
}
INCIDENT_STATUS_LABELS = {"open": _l("Being handled"), "closed": _l("Closed")}
AFFECTED_LEVEL_LABELS = {"close": _l("Closely affected"), "general": _l("General")}
# Colours of the risk levels (configurable through RISK_LEVEL_COLOURS).
RISK_LEVEL_COLOURS = {"general": "grey", "attention": "yellow", "key": "orange", "high": "red"}

# Home visits (家访).
VISIT_MODE_LABELS = {"on_site": _l("Home visit in person"), "phone": _l("Phone"), "video": _l("Video")}
RECEIVER_LABELS = {
    "father": _l("Father"), "mother": _l("Mother"), "grandparent": _l("Grandparent"),
    "other_guardian": _l("Other guardian"),
}
FAMILY_SITUATION_LABELS = {
    "early_trauma": _l("Early trauma"), "family_change": _l("Major family change"),
    "tense_relationship": _l("Tense parent–child relationship"), "left_behind": _l("Left-behind"),
    "single_parent": _l("Single parent"), "hardship": _l("Financial hardship"),
    "guardian_unable": _l("Guardian unable to care"),
    "problem_family": _l("Problem family (key group)"),
}

# Village child workers (童伴妈妈): the left-behind child's file, check-ins and the duty plan.
LEFT_BEHIND_TYPE_LABELS = {
    "both_away": _l("Both parents work away"), "one_away": _l("One parent away, the other unable to care"),
}
HEALTH_STATE_LABELS = {"healthy": _l("Healthy"), "ill": _l("Ill"), "disabled": _l("Disabled")}
HOUSEHOLD_LABELS = {
    "divorced": _l("Parents divorced"), "single_parent": _l("Single parent"), "remarried": _l("Stepfamily"),
    "low_income": _l("Subsistence allowance (低保)"), "parent_ill": _l("Parent seriously ill or disabled"),
    "orphan": _l("Orphan or no one to raise her"),
}
HOME_FREQUENCY_LABELS = {
    "at_home": _l("Lives at home"), "monthly": _l("Comes home about monthly"),
    "half_year": _l("About every half year"), "yearly": _l("Once a year (Spring Festival)"),
    "rarely": _l("Less than once a year"), "none": _l("Deceased or out of contact"),
}
INCOME_LABELS = {
    "migrant_work": _l("Migrant work"), "farming": _l("Farming"), "local_work": _l("Local work or business"),
    "subsidy": _l("Allowance or relief"), "other": _l("Other"),
}
CHECKIN_KIND_LABELS = {
    "home_visit": _l("In-home visit"), "phone": _l("Phone call"),
    "parent_video": _l("Video call with the parents"), "school": _l("Contact with the school"),
}
WELLBEING_LABELS = {"good": _l("Good"), "so_so": _l("So-so"), "worrying": _l("Worrying")}
DUTY_KIND_LABELS = {
    "file": _l("Complete file"), "home_visit": _l("In-home visit"),
    "parent_contact": _l("Call or video with the parents"), "activity": _l("Children's home activity"),
    "school_contact": _l("Contact with the school"),
}
DUTY_PER_LABELS = {"child": _l("per child"), "village": _l("per village")}
FREQUENCY_LABELS = {"once": _l("once"), "week": _l("per week"), "month": _l("per month"), "term": _l("per term")}
# A rule's cadence as one phrase: the two labels above run together read "per childper month".
DUTY_CADENCE_LABELS = {
    ("child", "once"): _l("once per child"), ("child", "week"): _l("per child per week"),
    ("child", "month"): _l("per child per month"), ("child", "term"): _l("per child per term"),
    ("village", "once"): _l("once per village"), ("village", "week"): _l("per village per week"),
    ("village", "month"): _l("per village per month"), ("village", "term"): _l("per village per term"),
}


def duty_cadence_label(per, frequency):
    return DUTY_CADENCE_LABELS.get((per, frequency)) or f"{per} {frequency}"


DUTY_STATE_LABELS = {"overdue": _l("Overdue"), "due": _l("To do"), "done": _l("Done")}
VILLAGE_LABELS = {
    "left_behind_type_label": LEFT_BEHIND_TYPE_LABELS, "health_state_label": HEALTH_STATE_LABELS,
    "household_label": HOUSEHOLD_LABELS, "home_frequency_label": HOME_FREQUENCY_LABELS,
    "income_label": INCOME_LABELS, "checkin_kind_label": CHECKIN_KIND_LABELS, "wellbeing_label": WELLBEING_LABELS,
    "duty_kind_label": DUTY_KIND_LABELS, "duty_per_label": DUTY_PER_LABELS, "frequency_label": FREQUENCY_LABELS,
    "duty_state_label": DUTY_STATE_LABELS,
}


# The class psychology committee (心理委员): words a 9-year-old understands.
MOOD_LABELS = {5: _l("Very happy"), 4: _l("Happy"), 3: _l("So-so"), 2: _l("Unhappy"), 1: _l("Very sad")}
PEER_URGENCY_LABELS = {
    "normal": _l("Keep an eye on it (routine)"),
    "soon": _l("A teacher should know soon (soon)"),
    "urgent": _l("Dangerous, help is needed now (urgent)"),
}
MENTION_DAYS_LABELS = {1: _l("1 day"), 2: _l("2–3 days"), 4: _l("4–6 days"), 7: _l("A week or more")}
SUPPORT_TOPIC_LABELS = {
    "study": _l("Schoolwork"), "friends": _l("Getting on with classmates"), "family": _l("Something at home"),
    "mood": _l("Feeling sad or worried"), "bullying": _l("Being teased or bullied"), "other": _l("Something else"),
}
SUBMISSION_KIND_LABELS = {
    "weekly": _l("Weekly class report"), "supplement": _l("Supplement to the weekly report"),
    "support": _l("I helped a classmate"), "concern": _l("I am worried about a classmate"),
}
SUBMISSION_STATUS_LABELS = {
    "received": _l("Received by the school"), "seen": _l("A teacher has seen it"), "handled": _l("Taken care of"),
}
PEER_LABELS = {
    "mood_label": MOOD_LABELS, "peer_urgency_label": PEER_URGENCY_LABELS, "days_label": MENTION_DAYS_LABELS,
    "support_topic_label": SUPPORT_TOPIC_LABELS, "submission_kind_label": SUBMISSION_KIND_LABELS,
    "submission_status_label": SUBMISSION_STATUS_LABELS,
}

def _lookup(table):
    """code -> its label in the request's language. The table is translated once per language
    and kept: a list of 200 rows asked gettext again for every badge of every row."""
    per_language = {}

    def label(code):
        language = str(get_locale())
        words = per_language.get(language)
        if words is None:
            words = per_language[language] = translated(table)
        return words.get(code, code)
    return label


def translated(table):
    """The whole table in the request's language, each word translated once (for long lists)."""
    return {code: str(label) for code, label in table.items()}


def _translated(table):
    return lambda: translated(table)


def register(app):
    app.jinja_env.globals.update(
        role_label=lambda code: ROLE_LABELS.get(code, code),
        sex_label=lambda code: SEX_LABELS.get(code, code),
        key_group_label=lambda code: KEY_GROUP_LABELS.get(code, code),
        stage_label=lambda code: STAGE_LABELS.get(code, code),
        stage_labels=_translated(STAGE_LABELS),
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
        incident_kind_label=_lookup(INCIDENT_KIND_LABELS),
        incident_status_label=_lookup(INCIDENT_STATUS_LABELS),
        affected_level_label=_lookup(AFFECTED_LEVEL_LABELS),
        visit_mode_label=_lookup(VISIT_MODE_LABELS),
        receiver_label=_lookup(RECEIVER_LABELS),
        situation_label=_lookup(FAMILY_SITUATION_LABELS),
        **{name: _lookup(table) for name, table in VILLAGE_LABELS.items()},
        duty_cadence_label=duty_cadence_label,
        **{name: _lookup(table) for name, table in PEER_LABELS.items()},
        risk_colour=lambda code: app.config.get("RISK_LEVEL_COLOURS", RISK_LEVEL_COLOURS).get(code, "grey"),
    )
