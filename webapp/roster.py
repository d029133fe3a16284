"""Rules about classes and their committee members (心理委员), as plain functions."""
from peewee import fn

from .models import Child, ClassTeacher, SchoolClass, User
from .prepared import prepared

COMMITTEE_FROM_GRADE = 4  # 《实施方案》四、17: from grade 4, one boy and one girl per class


def committee_required(grade):
    return grade >= COMMITTEE_FROM_GRADE


def committee_slot_error(grade, sex, taken_sexes):
    """Why a pupil of `sex` cannot join a class's committee, or None when she can.

    `taken_sexes` are the sexes of the class's current members (other than this pupil).
    """
    if not committee_required(grade):
        return "below_grade"
    if sex in taken_sexes:
        return "slot_taken"
    return None


def committee_gaps(grade, member_sexes):
    """The sexes still missing from a class's committee ("m", "f"), empty when complete."""
    if not committee_required(grade):
        return []
    return [sex for sex in ("m", "f") if sex not in member_sexes]


@prepared
def _committee_sexes(slots):
    return (
        User.select(Child.school_class, Child.sex)
        .join(Child, on=(User.child == Child.id))
        .where((User.role == "committee") & User.active & Child.school_class.in_(slots.class_ids))
        .tuples()
    )


def committee_sexes_by_class(class_ids):
    """{class id: set of member sexes} for the given classes, in one query."""
    found = {}
    for class_id, sex in _committee_sexes.rows(class_ids=sorted(class_ids)):
        found.setdefault(class_id, set()).add(sex)
    return found


def with_sizes(classes):
    """The query `classes` with each class's children counted as it is read (`size`)."""
    pupils = Child.select(fn.COUNT(Child.id)).where(Child.school_class == SchoolClass.id)
    return classes.select_extend(pupils.alias("size"))


@prepared
def _teachers_of(slots):
    return (
        ClassTeacher.select(ClassTeacher.school_class, User.display_name)
        .join(User)
        .where(ClassTeacher.school_class.in_(slots.class_ids))
        .tuples()
    )


def class_overview(classes):
    """Per class of `classes` (as read with_sizes): size, head teachers' names and committee
    gaps, in a fixed number of queries."""
    classes = list(classes)
    ids = [c.id for c in classes]
    teachers = {}
    for class_id, name in _teachers_of.rows(class_ids=ids):
        teachers.setdefault(class_id, []).append(name)
    sexes = committee_sexes_by_class(ids)
    return [
        {
            "school_class": c,
            "size": c.size,
            "teachers": teachers.get(c.id, []),
            "gaps": committee_gaps(c.grade, sexes.get(c.id, set())),
        }
        for c in classes
    ]


def current_classes(query, school_year):
    return query.where(SchoolClass.school_year == school_year).order_by(
        SchoolClass.grade, SchoolClass.number
    )
