"""Reading the screening: the round of the day, coverage (screened / enrolled) per school, grade
and class, warnings by level and their deadlines. Counts only: no pupil, no score."""
from flask_login import current_user
from peewee import SQL, Case, fn

from ..access import visible_schools
from ..clock import today, utcnow
from ..models import Child, School, SchoolClass, ScreeningResult, ScreeningRound, ScreeningWarning

HOME_ROLES = ("county", "zone", "counselor", "principal")


def current_round(day=None):
    """The round whose window holds today, else the latest opened; None before the first."""
    day = day or today()
    found = (ScreeningRound.select().where((ScreeningRound.opens_on <= day) & (ScreeningRound.closes_on >= day))
             .order_by(ScreeningRound.opens_on.desc()).first())
    return found or ScreeningRound.select().order_by(ScreeningRound.opens_on.desc()).first()


def _enrolled(screening_round, school_ids, by_class):
    """(school, class, grade, number, pupils) per class when `by_class`, else (school, pupils)."""
    keys = ([SchoolClass.school, SchoolClass.id, SchoolClass.grade, SchoolClass.number] if by_class
            else [SchoolClass.school])
    query = (SchoolClass.select(*keys, fn.COUNT(Child.id))
             .join(Child, on=(Child.school_class == SchoolClass.id))
             .where((SchoolClass.school_year == screening_round.school_year)
                    & SchoolClass.grade.in_(screening_round.grade_list))
             .group_by(*keys))
    if school_ids is not None:
        query = query.where(SchoolClass.school.in_(school_ids))
    return list(query.tuples())


def _screened(screening_round, school_ids, by_class):
    """{class id (or school id): pupils with at least one result in the round}."""
    key = ScreeningResult.school_class if by_class else ScreeningResult.school
    query = (ScreeningResult.select(key, fn.COUNT(fn.DISTINCT(ScreeningResult.child)))
             .where(ScreeningResult.round == screening_round.id).group_by(key))
    if school_ids is not None:
        query = query.where(ScreeningResult.school.in_(school_ids))
    return dict(query.tuples())


def _count_when(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _warnings(screening_round, school_ids=None):
    """{school id: {"open", "overdue", "on_time", "late", by level…}}, counted by the database."""
    now = utcnow()
    closed = ScreeningWarning.closed_at
    query = (ScreeningWarning.select(
        ScreeningWarning.school, ScreeningWarning.level, fn.COUNT(ScreeningWarning.id), _count_when(closed.is_null()),
        _count_when(closed.is_null() & (ScreeningWarning.due_at < now)),
        _count_when(closed.is_null(False) & (closed <= ScreeningWarning.due_at)),
        _count_when(closed.is_null(False) & (closed > ScreeningWarning.due_at)))
        .where(ScreeningWarning.round_id == screening_round.id)
        .group_by(ScreeningWarning.school, ScreeningWarning.level))
    if school_ids is not None:
        query = query.where(ScreeningWarning.school.in_(school_ids))
    figures = {}
    for school_id, level, count, still_open, overdue, on_time, late in query.tuples():
        row = figures.setdefault(school_id, dict(EMPTY))
        row[level] += count
        for key, value in (("open", still_open), ("overdue", overdue), ("on_time", on_time), ("late", late)):
            row[key] += int(value or 0)
    return figures


EMPTY = {"open": 0, "overdue": 0, "on_time": 0, "late": 0, "attention": 0, "key": 0, "high": 0}


def _scope(user, school_id):
    """The user's school ids (or the one of them asked for); None for the whole county."""
    schools = visible_schools(user)
    if school_id is not None:
        schools = schools.where(School.id == school_id)
    return None if user.role == "county" and school_id is None else [s for (s,) in schools.select(School.id).tuples()]


def _kept_units(user, school_ids):
    """The tally units of a table of schools: the county's schools and the warnings of none."""
    from .tallied import NO_SCHOOL  # tallied counts with this module's queries: imported here, no cycle

    if school_ids is not None:
        return school_ids
    return [s for (s,) in School.select(School.id).tuples()] + [NO_SCHOOL]


def coverage(screening_round, user, school_id=None):
    """Per school (the user's schools, or the one of them asked for): enrolled, screened,
    warnings; overdue first. For one school, per class too (a county's 8,000 classes are not
    counted one by one for a table of schools). A table of schools reads the day's tallies
    (tallied.py); one school is counted live."""
    from . import tallied  # tallied counts with this module's queries: imported here, no cycle

    school_ids = _scope(user, school_id)
    if school_ids is not None and len(school_ids) == 1:
        return counted_coverage(screening_round, user, school_id)
    kept = tallied.school_figures(screening_round, _kept_units(user, school_ids), today())
    ids = [unit for unit, found in kept.items() if unit != tallied.NO_SCHOOL and found["enrolled"]]
    names = dict(School.select(School.id, School.name).where(School.id.in_(ids)).tuples()) if ids else {}
    rows = [{"id": unit, "name": names.get(unit, ""), "enrolled": kept[unit]["enrolled"],
             "screened": kept[unit]["screened"], "classes": [], "warnings": kept[unit]["warnings"]} for unit in ids]
    return _ordered(rows)


def _ordered(rows):
    rows = sorted(rows, key=lambda s: (-s["warnings"]["overdue"], -s["warnings"]["open"], s["name"], s["id"]))
    totals = {"enrolled": sum(s["enrolled"] for s in rows), "screened": sum(s["screened"] for s in rows)}
    totals.update({key: sum(s["warnings"][key] for s in rows) for key in EMPTY})
    return rows, totals


def counted_coverage(screening_round, user, school_id=None):
    """coverage() counted from the records (one school's page; and what the tallies must equal)."""
    school_ids = _scope(user, school_id)
    by_class = school_ids is not None and len(school_ids) == 1
    enrolled = _enrolled(screening_round, school_ids, by_class)
    screened = _screened(screening_round, school_ids, by_class)
    warnings = _warnings(screening_round, school_ids)
    names = dict(School.select(School.id, School.name).where(
        School.id.in_({row[0] for row in enrolled} | set(warnings))).tuples())
    schools = {}
    for row in enrolled:
        school_id, count = row[0], row[-1]
        school = schools.setdefault(school_id, {"id": school_id, "name": names.get(school_id, ""), "enrolled": 0,
                                                "screened": 0, "classes": []})
        school["enrolled"] += count
        if by_class:
            _school, class_id, grade, number, _count = row
            done = screened.get(class_id, 0)
            school["screened"] += done
            school["classes"].append({"id": class_id, "grade": grade, "number": number, "enrolled": count,
                                      "screened": done})
        else:
            school["screened"] = screened.get(school_id, 0)
    for school_id, school in schools.items():
        school["warnings"] = warnings.get(school_id, dict(EMPTY))
        school["classes"].sort(key=lambda c: (c["grade"], c["number"]))
    return _ordered(list(schools.values()))


def home_figures(screening_round, user):
    """The home page's line: the open and overdue warnings of the round in the user's scope, which
    the round page details, and for one school its coverage. The warnings are counted by the database
    in one statement over the round's open warnings (an index, migration 0041; about a thousand in a
    county), cheaper than summing every school's tally on a page that must stay quick."""
    still_open, overdue = open_warnings(screening_round, user).tuples().get()
    figures = {"open": still_open, "overdue": int(overdue or 0)}
    if user.role in ("counselor", "principal"):  # her school's coverage too, as its page counts it
        classes = _enrolled(screening_round, [user.school_id], True)  # the round's grades only
        screened = _screened(screening_round, [user.school_id], True)
        figures["enrolled"] = sum(row[-1] for row in classes)
        figures["screened"] = sum(screened.get(row[1], 0) for row in classes)
    return figures


def open_warnings(screening_round, user):
    """One row: the round's open warnings of the user's schools (all for the county) and how many are overdue."""
    query = (ScreeningWarning.select(fn.COUNT(ScreeningWarning.id), _count_when(ScreeningWarning.due_at < utcnow()))
             .where((ScreeningWarning.round_id == screening_round.id) & ScreeningWarning.closed_at.is_null()))
    if user.role != "county":
        query = query.where(ScreeningWarning.school.in_(visible_schools(user).select(School.id)))
    return query


def current_user_round():
    """For the home pages of the counsellor, principal, zone and county: the round and their coverage."""
    user = current_user
    if not user.is_authenticated or user.role not in HOME_ROLES:
        return None
    screening_round = current_round()
    if screening_round is None:
        return None
    return {"round": screening_round, "totals": home_figures(screening_round, user)}


def with_children(warnings):
    children = {c.id: c for c in Child.select().where(Child.id.in_({w.child_id for w in warnings}))}
    for warning in warnings:
        warning.child = children[warning.child_id]
    return warnings


def queue(user, limit=200):
    """Open warnings in scope, critical first, then by deadline (overdue at the top)."""
    from ..access import visible_screening_warnings

    found = list(visible_screening_warnings(user).where(ScreeningWarning.closed_at.is_null())
                 .order_by(ScreeningWarning.critical.desc(), ScreeningWarning.due_at, ScreeningWarning.id).limit(limit))
    return with_children(found)


def rescreen_due(user):
    """关注 pupils whose re-screening the counsellor chose to be offered, from that day on."""
    from ..access import visible_screening_warnings

    found = list(visible_screening_warnings(user).where(
        ScreeningWarning.rescreen_on.is_null(False) & (ScreeningWarning.rescreen_on <= today()))
        .order_by(ScreeningWarning.rescreen_on).limit(50))
    return with_children(found)


def subscales_of(result, instrument):
    import json

    values = json.loads(result.subscales or "{}")
    return [(sub["name"], values[sub["code"]]) for sub in instrument.subscales if sub["code"] in values]


def class_pupils(user):
    """(child, owners) for a head teacher: her pupils with an open warning and the school's
    psychology teachers who own it. Nothing about the result."""
    from ..access import class_screening_warnings
    from ..models import User

    open_ones = list(class_screening_warnings(user).where(ScreeningWarning.closed_at.is_null())
                     .order_by(ScreeningWarning.due_at))
    with_children(open_ones)
    schools = {w.school_id for w in open_ones}
    owners = {}
    for person in User.select().where((User.role == "counselor") & User.school.in_(schools) & User.active):
        owners.setdefault(person.school_id, []).append(person.display_name)
    seen, pupils = set(), []
    for warning in open_ones:
        if warning.child_id not in seen:
            seen.add(warning.child_id)
            pupils.append((warning.child, owners.get(warning.school_id, [])))
    return pupils


TRIAGE_SHOWN = 10  # the first of the queue beside the concerns; its own page lists them all


def queue_for_triage(user):
    """The 测评预警 section of the triage page (/concerns/), for psychology teachers only: the
    first of the queue and how many are open (a window count on the rows, one statement)."""
    from ..access import visible_screening_warnings

    if not user.is_authenticated or user.role not in ("county", "zone", "counselor"):
        return None
    found = list(visible_screening_warnings(user).where(ScreeningWarning.closed_at.is_null())
                 .select_extend(fn.COUNT(SQL("*")).over().alias("total"))
                 .order_by(ScreeningWarning.critical.desc(), ScreeningWarning.due_at, ScreeningWarning.id)
                 .limit(TRIAGE_SHOWN))
    return {"warnings": with_children(found), "total": found[0].total if found else 0}


LEDGER_LEVEL = 6  # the level's place in a row of ledger_warnings()


def ledger_warnings(user, skip_child_ids):
    """For the provincial ledger: one row per pupil whose screening put her at 重点/高危 and who
    is not on a ledger case (those are listed from the case), unless the follow-up excluded it.
    Plain tuples (school, grade, class number, name, sex, birth date, level, raised at,
    interviewed on), in school/class/name order: a county holds a thousand of them, and
    building four models a row was most of the ledger's time."""
    from peewee import JOIN

    from ..access import visible_screening_warnings

    query = (visible_screening_warnings(user)
             .select(ScreeningWarning.child, School.name, SchoolClass.grade, SchoolClass.number, Child.name,
                     Child.sex, Child.birth_date, ScreeningWarning.level, ScreeningWarning.raised_at,
                     ScreeningWarning.interviewed_on)
             .join_from(ScreeningWarning, Child, on=(ScreeningWarning.child == Child.id))
             .join_from(Child, SchoolClass, JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
             .join_from(Child, School, JOIN.LEFT_OUTER, on=(Child.school == School.id))
             .where(ScreeningWarning.level.in_(("key", "high"))
                    & (ScreeningWarning.outcome.is_null() | (ScreeningWarning.outcome != "excluded")))
             .order_by(School.name, SchoolClass.grade, SchoolClass.number, Child.name_pinyin, ScreeningWarning.id)
             .tuples())
    chosen = {}
    for child_id, *row in query:
        if child_id in skip_child_ids:
            continue
        current = chosen.get(child_id)
        if current is None or (row[LEDGER_LEVEL] == "high" and current[LEDGER_LEVEL] != "high"):
            chosen[child_id] = row
    return list(chosen.values())
