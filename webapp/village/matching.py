"""The same child known to a school and to a village: one person, one record (DESIGN §2)."""
from peewee import JOIN

from ..models import Child, LeftBehindFile, School, SchoolClass


def name_key(name):
    """Names compared without the spaces people put in (张 三 is 张三)."""
    return "".join((name or "").split())


def same_child(name, sex, birth_date, other_name, other_sex, other_birth_date):
    """Same name, sex and birth date: enough to *offer* the link; the worker decides."""
    return (
        birth_date is not None
        and name_key(name) == name_key(other_name)
        and sex == other_sex
        and birth_date == other_birth_date
    )


def pupil_matches(name, sex, birth_date, village_ids, catchment):
    """Pupils the county already knows who may be this child, with school and class (one query),
    as (offered, withheld).

    Only pupils not yet on any village register and not living in another worker's village: a
    child of another village is not hers to claim. `offered`: those she may be shown and link,
    pupils of her villages or of a school in `catchment` (a subquery of school ids); `withheld`:
    the others, of whom she learns nothing but that one exists (the county links them).
    """
    if birth_date is None:
        return [], []
    filed = LeftBehindFile.select(LeftBehindFile.child)
    in_reach = Child.village.in_(list(village_ids)) | Child.school.in_(catchment)
    candidates = (
        Child.select(Child, School, SchoolClass, in_reach.alias("in_reach"))
        .join(School, on=(Child.school == School.id))
        .switch(Child)
        .join(SchoolClass, JOIN.LEFT_OUTER, on=(Child.school_class == SchoolClass.id))
        .where(
            (Child.name == name_key(name)) & (Child.sex == sex) & (Child.birth_date == birth_date)
            & Child.id.not_in(filed)
            & (Child.village.is_null() | Child.village.in_(list(village_ids)))
        )
        .order_by(Child.id)
        .limit(5)
    )
    same = [child for child in candidates
            if same_child(name, sex, birth_date, child.name, child.sex, child.birth_date)]
    return [child for child in same if child.in_reach], [child for child in same if not child.in_reach]
