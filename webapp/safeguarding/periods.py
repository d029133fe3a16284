"""Key periods (重点时段): the checklist of case children each team member must contact."""
from peewee import fn

from ..models import Case, CaseMember, CaseNote, KeyPeriod


def current_period(day):
    return (
        KeyPeriod.select()
        .where((KeyPeriod.starts_on <= day) & (KeyPeriod.ends_on >= day))
        .order_by(KeyPeriod.starts_on)
        .first()
    )


def checklist(user, period):
    """{case id: contacted?} for the open cases on which `user` is a team member; contacted
    means she wrote a follow-up note dated within the period. Two queries."""
    case_ids = [
        row.case_id for row in CaseMember.select(CaseMember.case).join(Case)
        .where((CaseMember.user == user.id) & (Case.status == "open"))
    ]
    contacted = {
        case_id for (case_id,) in CaseNote.select(fn.DISTINCT(CaseNote.case)).where(
            CaseNote.case.in_(case_ids) & (CaseNote.author == user.id)
            & CaseNote.contacted_on.between(period.starts_on, period.ends_on)
        ).tuples()
    }
    return {case_id: case_id in contacted for case_id in case_ids}
