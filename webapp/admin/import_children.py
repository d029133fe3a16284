"""Importing one school's classes and children from a roster file: all rows or none.

Classes are matched by school + school year + grade + number, children by school + name +
sex + birth date, so importing the same file again changes nothing. A blank optional cell
leaves what is already recorded as it is.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from .. import audit
from ..clock import today
from ..db import db
from ..models import Child, SchoolClass, User
from ..roster import committee_required
from .import_formats import CHILD_COLUMNS as COLUMNS
from .importer import (
    ImportFileError,
    Outcome,
    RowError,
    is_phone,
    parse_date,
    parse_flag,
    parse_int,
    parse_sex,
    read_table,
)
from .villages import VillageFinder

HEADERS = {column.key: column.name for column in COLUMNS}
FLAGS = ("left_behind", "single_parent", "in_difficulty")
TEXTS = {"guardian_name": 40, "guardian_relation": 20, "guardian_phone": 20}


class Plan:
    """One row turned into what it means: the child (found or new) and her values."""

    def __init__(self, line, key, class_key, values):
        self.line, self.key, self.class_key, self.values = line, key, class_key, values
        self.child = None
        self.changes = {}


def import_children(school, school_year, filename, data, apply=True):
    """Validate every row; when all are good (and `apply`), write them in one transaction."""
    try:
        rows = read_table(filename, data, COLUMNS)
    except ImportFileError as error:
        return Outcome(file_error=error.message)
    outcome = Outcome()
    villages = VillageFinder()
    plans, seen = [], {}
    for line, row in rows:
        plan = _plan_row(line, row, villages, outcome.errors)
        if plan is None:
            continue
        if plan.key in seen:
            outcome.errors.append(RowError(
                line, _l("Line %(line)s: the same child (name, sex and birth date) as line %(other)s."),
                other=seen[plan.key],
            ))
            continue
        seen[plan.key] = line
        plans.append(plan)
    if not rows:
        outcome.file_error = _l("The file has no rows below the column names.")
    if not outcome.ok:
        return outcome
    classes = {
        (c.grade, c.number): c
        for c in SchoolClass.select().where(
            (SchoolClass.school == school.id) & (SchoolClass.school_year == school_year)
        )
    }
    _match_children(school, plans, classes)
    outcome.errors.extend(_committee_errors(school, plans, classes))
    if outcome.errors:
        return outcome
    new_classes = sorted({plan.class_key for plan in plans} - set(classes))
    outcome.classes_created = len(new_classes)
    for plan in plans:
        if plan.child is None:
            outcome.created += 1
        elif plan.changes:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    if apply:
        _write(school, school_year, plans, classes, new_classes, outcome)
    return outcome


def _plan_row(line, row, villages, errors):
    found = []

    def error(message, **params):
        found.append(RowError(line, message, **params))

    grade = parse_int(row["grade"], 1, 12)
    if grade is None:
        error(_l("Line %(line)s: the grade must be a number from 1 to 12."))
    number = parse_int(row["number"], 1, 99)
    if number is None:
        error(_l("Line %(line)s: the class number must be a number from 1 to 99."))
    name = str(row["name"])
    if not name:
        error(_l("Line %(line)s: the name is missing."))
    elif len(name) > 40:
        error(_l("Line %(line)s: the name is longer than %(count)s characters."), count=40)
    sex = parse_sex(row["sex"])
    if sex is None:
        error(_l("Line %(line)s: the sex must be %(boy)s or %(girl)s."), boy="男", girl="女")
    birth_date = parse_date(row["birth_date"])
    if birth_date is not None and not date(1990, 1, 1) <= birth_date <= today():
        birth_date = None
    if birth_date is None:
        error(_l("Line %(line)s: the birth date “%(value)s” is not a date like 2016-05-01."),
              value=row["birth_date"])
    values = {}
    for key in FLAGS:
        try:
            flag = parse_flag(row.get(key, ""))
        except ValueError:
            error(_l("Line %(line)s: column %(column)s must be %(yes)s or %(no)s."),
                  column=HEADERS[key], yes="是", no="否")
            continue
        if flag is not None:
            values[key] = flag
    for key, limit in TEXTS.items():
        text = str(row.get(key, ""))
        if len(text) > limit:
            error(_l("Line %(line)s: column %(column)s is longer than %(count)s characters."),
                  column=HEADERS[key], count=limit)
        elif text:
            values[key] = text
    if not is_phone(values.get("guardian_phone", "")):
        error(_l("Line %(line)s: the guardian's phone “%(value)s” must hold digits only."),
              value=values["guardian_phone"])
    village_name = str(row.get("village", ""))
    if village_name:
        village, problem = villages.find(village_name)
        if problem:
            error(problem, value=village_name)
        else:
            values["village"] = village.id
    errors.extend(found)
    if found:
        return None
    return Plan(line, (name, sex, birth_date), (grade, number), values)


def _match_children(school, plans, classes):
    """Find each row's child: a pupil of the school, else a child known only to a village."""
    names = {plan.key[0] for plan in plans}
    pupils = {
        (c.name, c.sex, c.birth_date): c
        for c in Child.select().where((Child.school == school.id) & Child.name.in_(list(names)))
    }
    unschooled = {}
    for child in Child.select().where(Child.school.is_null() & Child.name.in_(list(names))):
        unschooled.setdefault((child.name, child.sex, child.birth_date), []).append(child)
    for plan in plans:
        child = pupils.get(plan.key)
        if child is None:
            candidates = [
                c for c in unschooled.get(plan.key, [])
                if "village" not in plan.values or c.village_id == plan.values["village"]
            ]
            child = candidates[0] if len(candidates) == 1 else None
        plan.child = child
        if child is None:
            continue
        school_class = classes.get(plan.class_key)
        if school_class is None or child.school_class_id != school_class.id:
            plan.changes["school_class"] = plan.class_key
        for key, value in plan.values.items():
            current = child.village_id if key == "village" else getattr(child, key)
            if current != value:
                plan.changes[key] = value


def _committee_errors(school, plans, classes):
    """Moving a committee member must keep from grade 4 one boy and one girl per class."""
    members = dict(
        Child.select(Child.id, Child.sex)
        .join(User, on=(User.child == Child.id))
        .where((User.role == "committee") & User.active & (Child.school == school.id))
        .tuples()
    )
    moving = [
        plan for plan in plans
        if plan.child and plan.child.id in members and "school_class" in plan.changes
    ]
    if not moving:
        return []
    by_id = {c.id: key for key, c in classes.items()}
    final = {child_id: None for child_id in members}
    children = Child.select(Child.id, Child.school_class).where(Child.id.in_(list(members)))
    for child in children:
        final[child.id] = by_id.get(child.school_class_id, ("other", child.school_class_id))
    for plan in moving:
        final[plan.child.id] = plan.class_key
    seats = {}
    for child_id, class_key in final.items():
        seats.setdefault((class_key, members[child_id]), []).append(child_id)
    errors = []
    for plan in moving:
        grade, number = plan.class_key
        if not committee_required(grade) or len(seats[(plan.class_key, members[plan.child.id])]) > 1:
            errors.append(RowError(
                plan.line,
                _l("Line %(line)s: this pupil is on the psychology committee; in class %(grade)s-%(number)s "
                   "that breaks the rule of one boy and one girl from grade 4. Remove her from the "
                   "committee first."),
                grade=grade, number=number,
            ))
    return errors


def _write(school, school_year, plans, classes, new_classes, outcome):
    with db.atomic():
        for grade, number in new_classes:
            school_class = SchoolClass.create(
                school=school, school_year=school_year, grade=grade, number=number
            )
            audit.record("admin_create_class", school_class, via="import")
            classes[(grade, number)] = school_class
        for school_class in classes.values():
            school_class.school = school  # so Child.save() needs no query per row
        for plan in plans:
            if plan.child is not None and not plan.changes:
                continue
            child = plan.child or Child(name=plan.key[0], sex=plan.key[1], birth_date=plan.key[2])
            child.school_class = classes[plan.class_key]
            for key, value in plan.values.items():
                setattr(child, key, value)
            action = "admin_update_child" if child.id else "admin_create_child"
            child.save()
            audit.record(action, child, via="import")
        audit.record(
            "admin_import_children", school, school_year=school_year, created=outcome.created,
            updated=outcome.updated, unchanged=outcome.unchanged, classes_created=outcome.classes_created,
        )

