"""Keeping an account's links (a head teacher's classes, a child worker's villages) in step."""
from ..models import ClassTeacher, SchoolClass, WorkerVillage


def current_class_ids(user, year):
    """Ids of the user's classes in `year`."""
    return [
        link.school_class_id
        for link in ClassTeacher.select(ClassTeacher.school_class)
        .join(SchoolClass)
        .where((ClassTeacher.user == user.id) & (SchoolClass.school_year == year))
    ]


def village_ids(user):
    return [link.village_id for link in WorkerVillage.select().where(WorkerVillage.user == user.id)]


def set_classes(user, year, class_ids):
    """Make the user head teacher of exactly `class_ids` among her school's classes of `year`."""
    of_year = SchoolClass.select(SchoolClass.id).where(
        (SchoolClass.school == user.school_id) & (SchoolClass.school_year == year)
    )
    wanted = {row.id for row in of_year.where(SchoolClass.id.in_(list(class_ids)))}
    ClassTeacher.delete().where(
        (ClassTeacher.user == user.id) & ClassTeacher.school_class.in_(of_year)
        & ClassTeacher.school_class.not_in(list(wanted))
    ).execute()
    present = set(current_class_ids(user, year))
    for class_id in sorted(wanted - present):
        ClassTeacher.create(user=user.id, school_class=class_id)


def drop_foreign_links(user):
    """Links the user's role or school no longer allows go: classes of other schools, villages."""
    if user.role != "head_teacher":
        ClassTeacher.delete().where(ClassTeacher.user == user.id).execute()
    else:
        elsewhere = SchoolClass.select(SchoolClass.id).where(SchoolClass.school != user.school_id)
        ClassTeacher.delete().where(
            (ClassTeacher.user == user.id) & ClassTeacher.school_class.in_(elsewhere)
        ).execute()
    if user.role != "child_worker":
        WorkerVillage.delete().where(WorkerVillage.user == user.id).execute()


def set_villages(user, wanted):
    wanted = set(wanted)
    WorkerVillage.delete().where(
        (WorkerVillage.user == user.id) & WorkerVillage.village.not_in(list(wanted))
    ).execute()
    for village_id in sorted(wanted - set(village_ids(user))):
        WorkerVillage.create(user=user.id, village=village_id)
