"""The class psychology committee as the admin pages need it: who holds a slot, and why not."""
from flask_babel import lazy_gettext as _l

from ..models import Child, User
from ..roster import committee_slot_error

SLOT_TAKEN = {
    "m": _l("This class already has a boy committee member. Remove him first."),
    "f": _l("This class already has a girl committee member. Remove her first."),
}


def members(class_id):
    """Active committee accounts of a class with their child, in one query."""
    return list(
        User.select(User, Child)
        .join(Child, on=(User.child == Child.id))
        .where((User.role == "committee") & User.active & (Child.school_class == class_id))
        .order_by(Child.sex.desc())
    )


def taken_sexes(class_id, except_child_id=None):
    query = (
        Child.select(Child.sex)
        .join(User, on=(User.child == Child.id))
        .where((User.role == "committee") & User.active & (Child.school_class == class_id))
    )
    if except_child_id is not None:
        query = query.where(Child.id != except_child_id)
    return {row.sex for row in query}


def slot_problem(school_class, sex, child_id=None):
    """A message why a pupil of `sex` cannot sit on `school_class`'s committee, or None."""
    code = committee_slot_error(school_class.grade, sex, taken_sexes(school_class.id, child_id))
    if code is None:
        return None
    if code == "below_grade":
        return below_grade_message(school_class.grade)
    return SLOT_TAKEN[sex]


def below_grade_message(grade):
    return _l("Committee members are chosen from grade 4 up; this class is grade %(grade)s.", grade=grade)
