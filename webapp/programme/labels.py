"""The programme's words for its codes, translated at display time (English msgids, Chinese in the catalog)."""
from flask_babel import lazy_gettext as _l

POST_LABELS = {"full_time": _l("Full-time"), "part_time": _l("Part-time")}
TRAINING_LEVEL_LABELS = {"county": _l("County"), "city": _l("City"), "province": _l("Province")}
ACTIVITY_KIND_LABELS = {
    "lesson": _l("Mental-health lesson"),
    "team_lesson": _l("League / Young Pioneers theme lesson"),
    "law": _l("Rule-of-law education activity"),
    "may_month": _l("May mental-health publicity month activity"),
    "parent_school": _l("Parent school session"),
    "school_training": _l("School-based training"),
    "open_lesson": _l("Open lesson"),
    "contest_lesson": _l("Lesson contest"),
    "expert_lecture": _l("Expert lecture"),
}
EQUIPMENT_LABELS = {
    "individual_room": _l("Individual counselling room"),
    "group_room": _l("Group activity room"),
    "sand_tray": _l("Sand tray"),
    "relaxation": _l("Relaxation / emotional release equipment"),
    "assessment": _l("Assessment software"),
    "books": _l("Books and reading corner"),
    "files_cabinet": _l("Locked filing cabinet for records"),
}
REQUIREMENT_LABELS = {
    "room": _l("Standard counselling room, open at set hours"),
    "full_time": _l("At least one full-time psychology teacher"),
    "part_time_trained": _l("Part-time teachers trained within 36 months"),
    "school_training": _l("School-based training each term"),
    "open_lesson": _l("Open lesson each term"),
    "contest_lesson": _l("Lesson contest each year"),
    "expert_lecture": _l("Expert lecture each year"),
    "lesson": _l("Mental-health lessons per class per term"),
    "team_lesson": _l("League / Young Pioneers theme lesson each term"),
    "law": _l("Rule-of-law activity each term"),
    "plan": _l("Emergency plan on file, reviewed this year"),
    "parent_school": _l("Parent school sessions each term"),
    "may_month": _l("May publicity month activity"),
}
STATE_LABELS = {"met": _l("Met"), "open": _l("In progress"), "due_soon": _l("Due soon"), "missed": _l("Missed")}
STATE_MARKS = {"met": "✓", "open": "…", "due_soon": "!", "missed": "✗"}
PERIOD_LABELS = {"term": _l("per term"), "year": _l("per school year"), "may": _l("in May"), "": _l("standing")}
PER_LABELS = {"school": _l("per school"), "class": _l("per class")}
WHY_LABELS = {
    "none": _l("none"), "not_standard": _l("built, not yet standard"), "no_hours": _l("no opening hours"),
    "old": _l("not reviewed this year"),
}


def requirement_label(requirement):
    """A requirement's name: the plan's wording for the defaults, the kind's for one the county added."""
    if requirement.key in REQUIREMENT_LABELS:
        return REQUIREMENT_LABELS[requirement.key]
    return ACTIVITY_KIND_LABELS.get(requirement.kind, requirement.key)


ZONE_POST_WHY = {"too_few": _l("too few"), "too_many": _l("more than the plan's")}


def zone_posts_text(cell):
    """四、2's cell: the state, why not, and the zone's posts against 2–3."""
    from .rules import ZONE_POSTS

    state = str(STATE_LABELS[cell.state])
    if cell.why:
        state = f"{state}: {ZONE_POST_WHY[cell.why]}"
    return f"{state} ({cell.found}/{ZONE_POSTS[0]}–{ZONE_POSTS[1]})"


def cell_text(cell, requirement):
    """What a cell says beside its colour: the state, and what was found against what is needed."""
    from flask_babel import gettext as _

    state = str(STATE_LABELS[cell.state])
    if requirement.check == "room" or requirement.check == "plan":
        return state if not cell.why else f"{state}: {WHY_LABELS[cell.why]}"
    if requirement.check == "full_time":
        return f"{state} ({cell.found}/{cell.required})"
    if requirement.check == "part_time_trained":
        if not cell.required:
            return f"{state} ({_('no part-time teachers')})"
        return f"{state} ({_('%(n)d of %(total)d trained', n=cell.found, total=cell.required)})"
    if cell.due:  # due soon because behind its pace, not because the period ends: say so instead
        state = pace_text(cell, requirement)
    if cell.why == "classes":
        return f"{state} ({_('%(n)d of %(total)d classes', n=cell.found, total=cell.required)})"
    return f"{state} ({cell.found}/{cell.required})"


def pace_text(cell, requirement):
    """Why a cell behind its pace is due soon: what the pace asks for by now against what there is
    (a school's per-class cell: its class with fewest)."""
    from flask_babel import gettext as _

    if cell.why == "classes":
        return _("Behind pace: at least %(due)d lessons due, the class with fewest has had %(least)d",
                 due=cell.due, least=cell.least)
    if requirement.per == "class":
        return _("Behind pace: at least %(due)d lessons due, %(least)d given", due=cell.due, least=cell.least)
    return _("Behind pace: at least %(due)d due, %(least)d so far", due=cell.due, least=cell.least)
