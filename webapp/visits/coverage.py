"""Coverage of home visits: per class from its children and their visits (the rules decide), per
school by grouped counts. Every function makes a fixed number of queries."""
from itertools import groupby

from peewee import JOIN, fn
from peewee import Case as SqlCase

from ..access import ScopeUser, scope_values, visible_children
from ..children.groups import in_any_key_group
from ..children.search import narrow, search_terms
from ..db import literal_day
from ..models import Case, Child, ClassTeacher, HomeVisit, PsychiatricHistory, SchoolClass, User, Village
from ..prepared import prepared
from ..schoolyear import school_year_of, term_of
from . import rules

LIST_LIMIT = 300  # a class is far smaller; this only keeps a page bounded if data goes wrong


def _in_year(day):
    start, end = rules.year_bounds(school_year_of(day))
    # The year's bounds in the SQL's text (db.literal_day): with them as values PostgreSQL's
    # generic plan read every visit of the year for one school's dashboard.
    return HomeVisit.visited_on.between(literal_day(start), literal_day(end))


def year_visits(child_ids, day):
    return HomeVisit.select(HomeVisit.child, HomeVisit.visited_on).where(HomeVisit.child.in_(child_ids) & _in_year(day))


def visit_pairs(child_ids, day):
    """(child id, date) of every visit in the school year of `day` to the given children."""
    return list(year_visits(child_ids, day).tuples())


def _open_cases_of(child_ids):
    return Case.select(Case.child).where(Case.child.in_(child_ids) & (Case.status == "open")).tuples()


@prepared
def _on_open_case(slots):
    return _open_cases_of(slots.child_ids)


def on_case(child_ids):
    """Ids of the given children (a subquery, or a list of ids: its SQL is then made once) with
    an open case (一生一策): a key group of its own."""
    rows = _on_open_case.rows(child_ids=child_ids) if isinstance(child_ids, list) else _open_cases_of(child_ids)
    return {child_id for (child_id,) in rows}


def _histories_of(child_ids):
    return PsychiatricHistory.select(PsychiatricHistory.child).where(PsychiatricHistory.child.in_(child_ids)).tuples()


@prepared
def _with_history(slots):
    return _histories_of(slots.child_ids)


def with_history(child_ids):
    """Ids of the given children (a subquery, or a list) with a psychiatric history. It puts a
    child in the key group; only counselling roles' pages may say so (access.key_groups_seen)."""
    rows = _with_history.rows(child_ids=child_ids) if isinstance(child_ids, list) else _histories_of(child_ids)
    return {child_id for (child_id,) in rows}


def is_key(child, case_ids, history_ids):
    return rules.in_key_group(child.left_behind, child.single_parent, child.in_difficulty, child.id in case_ids,
                              child.problem_family, child.id in history_ids)


def _last_visits(visits):
    last = {}
    for child_id, day in visits:
        last[child_id] = max(day, last.get(child_id, day))
    return last


def class_report(school_class, day):
    """One class this school year: coverage, key-group children due this term, children not yet
    visited grouped by home village, and each child's last visit."""
    ids = Child.select(Child.id).where(Child.school_class == school_class.id)
    children = list(
        Child.select(Child, Village).join(Village, JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        .where(Child.school_class == school_class.id).order_by(Child.name_pinyin, Child.id)
    )
    visits, case_ids, history_ids = visit_pairs(ids, day), on_case(ids), with_history(ids)
    year = school_year_of(day)
    key_ids = [c.id for c in children if is_key(c, case_ids, history_ids)]
    due_term = set(rules.due_this_term(key_ids, visits, day))
    not_visited = set(rules.due_this_year([c.id for c in children], visits, year))
    waiting = [c for c in children if c.id in not_visited]
    # Grouped by village, villages by name and town children (no village recorded) last.
    waiting.sort(key=lambda c: (c.village_id is None, c.village.name if c.village_id else "", c.name_pinyin))
    by_village = [(village_id, list(group)) for village_id, group in groupby(waiting, key=lambda c: c.village_id)]
    return {
        "school_class": school_class,
        "coverage": rules.coverage([c.id for c in children], visits, year),
        "term": term_of(day),
        "due_term": [c for c in children if c.id in due_term][:LIST_LIMIT],
        "by_village": by_village,
        "last_visit": _last_visits(visits),
        "case_ids": case_ids,
        "history_ids": history_ids,  # for the key-group badges of those who may see it
    }


def recent_visits(query, limit=10):
    return list(
        query.select(HomeVisit, Child).join(Child, on=(HomeVisit.child == Child.id))
        .order_by(HomeVisit.visited_on.desc(), HomeVisit.received_at.desc()).limit(limit)
    )


def class_rows(classes, day):
    """Per class: coverage this school year, key-group children due this term, head teachers."""
    classes = list(classes)
    class_ids = [c.id for c in classes]
    ids = Child.select(Child.id).where(Child.school_class.in_(class_ids))
    children = list(  # plain rows: a school has hundreds of pupils, and only these five fields count
        Child.select(Child.id, Child.school_class, Child.left_behind, Child.single_parent, Child.in_difficulty,
                     Child.problem_family)
        .where(Child.school_class.in_(class_ids)).namedtuples()
    )
    visits, case_ids, history_ids = visit_pairs(ids, day), on_case(ids), with_history(ids)
    teachers = {}
    for class_id, name in (
        ClassTeacher.select(ClassTeacher.school_class, User.display_name).join(User)
        .where(ClassTeacher.school_class.in_(class_ids)).tuples()
    ):
        teachers.setdefault(class_id, []).append(name)
    members, visits_of = {}, {}
    for child in children:
        members.setdefault(child.school_class, []).append(child)
    for child_id, visited_on in visits:
        visits_of.setdefault(child_id, []).append((child_id, visited_on))
    year = school_year_of(day)
    rows = []
    for school_class in classes:
        kids = members.get(school_class.id, [])
        key_ids = [c.id for c in kids if is_key(c, case_ids, history_ids)]
        own_visits = [visit for c in kids for visit in visits_of.get(c.id, ())]  # the rules see one class
        rows.append({
            "school_class": school_class,
            "coverage": rules.coverage([c.id for c in kids], own_visits, year),
            "key_due": len(rules.due_this_term(key_ids, own_visits, day)),
            "teachers": teachers.get(school_class.id, []),
        })
    return rows


def _visited_between(start, end):
    """The child of the outer query had a home visit in [start, end] (an indexed lookup per child)."""
    return fn.EXISTS(HomeVisit.select(HomeVisit.id).where(
        (HomeVisit.child == Child.id) & HomeVisit.visited_on.between(start, end)))


def _count_if(condition):
    return fn.SUM(SqlCase(None, [(condition, 1)], 0))


def school_rows(schools, day):
    """Per school (zone and county): children of this year's classes, how many visited this
    school year, key-group children still due this term. One grouped query over the schools'
    pupils, each pupil's visits found through the (child, visited_on) index: the cost follows
    the schools asked for, not the county's year of visits."""
    schools = list(schools)
    year_start, year_end = rules.year_bounds(school_year_of(day))
    term_start, term_end = rules.term_bounds(term_of(day))
    key = in_any_key_group()
    grouped = (
        Child.select(SchoolClass.school, fn.COUNT(Child.id), _count_if(_visited_between(year_start, year_end)),
                     _count_if(key & ~_visited_between(term_start, term_end)))
        .join(SchoolClass, on=(Child.school_class == SchoolClass.id))
        .where((SchoolClass.school_year == school_year_of(day)) & SchoolClass.school.in_([s.id for s in schools]))
        .group_by(SchoolClass.school).tuples()
    )
    found = {school_id: (int(total), int(visited), int(key_due)) for school_id, total, visited, key_due in grouped}
    rows = []
    for school in schools:
        total, visited, key_due = found.get(school.id, (0, 0, 0))
        rows.append({"school": school, "coverage": rules.Coverage(visited, total), "key_due": key_due})
    return rows


@prepared
def _picker_page(slots):
    # Correlated, so each of her children costs one (child, visited_on) index lookup instead of
    # the whole county's year of visits being gathered first.
    visited_year = HomeVisit.select(HomeVisit.id).where(
        (HomeVisit.child == Child.id) & HomeVisit.visited_on.between(slots.starts, slots.ends))
    done_last = SqlCase(None, [(fn.EXISTS(visited_year), 1)], 0)
    return (
        # What the list shows and the key group needs, not every column of the child.
        narrow(visible_children(ScopeUser(slots)), slots.kind, slots.low, slots.high)
        .select(Child.id, Child.name, Child.name_initials, Child.name_pinyin, Child.left_behind,
                Child.single_parent, Child.in_difficulty, Child.problem_family, Village.id, Village.name)
        .join(Village, JOIN.LEFT_OUTER, on=(Child.village == Village.id))
        .order_by(done_last, Child.name_pinyin, Child.id).limit(slots.limit).offset(slots.offset)
    )


@prepared
def _latest_visits(slots):
    in_term = HomeVisit.visited_on.between(slots.term_starts, slots.term_ends)
    return (HomeVisit.select(HomeVisit.child, fn.MAX(HomeVisit.visited_on),
                             fn.MAX(SqlCase(None, [(in_term, HomeVisit.visited_on)]))
                             .python_value(HomeVisit.visited_on.python_value))
            .where(HomeVisit.child.in_(slots.child_ids) & HomeVisit.visited_on.between(slots.starts, slots.ends))
            .group_by(HomeVisit.child).tuples())


def latest_visits(child_ids, day):
    """(child id, date) pairs enough for rules.visited_on: of each child's visits in the school
    year of `day`, the latest, and the latest in the term of `day`. Grouped in the database, so
    a child with many visits still costs one row."""
    starts, ends = rules.year_bounds(school_year_of(day))
    term_starts, term_ends = rules.term_bounds(term_of(day))
    pairs = []
    for child_id, latest, latest_in_term in _latest_visits.rows(
            child_ids=child_ids, starts=starts, ends=ends, term_starts=term_starts, term_ends=term_ends):
        pairs.append((child_id, latest))
        if latest_in_term is not None:
            pairs.append((child_id, latest_in_term))
    return pairs


def picker_rows(user, text, page, per_page, day):
    """The head teacher's children for the picker, those not yet visited this year first, each
    marked "due_term", "due_year" or "done"."""
    starts, ends = rules.year_bounds(school_year_of(day))
    fixed, values = scope_values(user)
    kind, low, high = search_terms(text)
    rows = _picker_page.rows({**fixed, "kind": kind}, **values, low=low, high=high, starts=starts, ends=ends,
                             limit=per_page + 1, offset=(page - 1) * per_page)
    ids = [c.id for c in rows]
    visits = latest_visits(ids, day)
    case_ids, history_ids = on_case(ids), with_history(ids)
    visited = rules.visited_on(visits, day)  # once for the page, not once per child
    last_visit = _last_visits(visits)
    for child in rows:
        child.visit_status = rules.visit_state(child.id, is_key(child, case_ids, history_ids), visited)
        child.last_visit = last_visit.get(child.id)  # kept on the phone with the roster
    return rows


@prepared
def _neighbours(slots):
    """The children of her classes from the village of `slots.child_id`, that child excepted."""
    return (visible_children(ScopeUser(slots))
            .select(Child.id, Child.name, Child.left_behind, Child.single_parent, Child.in_difficulty,
                    Child.problem_family, Village.id, Village.name)
            .join(Village, on=(Child.village == Village.id))
            .where((Child.village == slots.village_id) & (Child.id != slots.child_id))
            .order_by(Child.name_pinyin, Child.id).limit(slots.limit))


def next_due_in_village(user, child, day):
    """The next child of the head teacher's classes in the same village still due a visit (she
    visits several families on one trip), or None."""
    if child.village_id is None:
        return None
    fixed, values = scope_values(user)
    candidates = _neighbours.rows(fixed, village_id=child.village_id, child_id=child.id, limit=LIST_LIMIT, **values)
    ids = [c.id for c in candidates]
    visited = rules.visited_on(latest_visits(ids, day), day)
    case_ids, history_ids = on_case(ids), with_history(ids)
    for candidate in candidates:
        if rules.visit_state(candidate.id, is_key(candidate, case_ids, history_ids), visited) != "done":
            return candidate
    return None


@prepared
def _year_coverage(slots):
    visited = HomeVisit.select(HomeVisit.id).where(
        (HomeVisit.child == Child.id) & HomeVisit.visited_on.between(slots.starts, slots.ends))
    return (
        visible_children(ScopeUser(slots)).join(SchoolClass, on=(Child.school_class == SchoolClass.id))
        .where(SchoolClass.school_year == slots.year)
        .select(fn.COUNT(Child.id), fn.COUNT(SqlCase(None, [(fn.EXISTS(visited), 1)])))
        .tuples()
    )


def head_teacher_progress(user, day):
    """Her coverage this school year over all her current classes, for her home page, in one
    query: her children, and those of them with a visit in the school year (the visits that
    rules.counts_for_year counts)."""
    year = school_year_of(day)
    starts, ends = rules.year_bounds(year)
    fixed, values = scope_values(user)
    total, done = _year_coverage.first(fixed, year=year, starts=starts, ends=ends, **values)
    return rules.Coverage(done, total)
