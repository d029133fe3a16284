"""A few records on the small test county whose dashboard figures are known (see test_dashboard_metrics)."""
import uuid
from datetime import date, datetime, timedelta

from webapp.models import Case, Child, Concern, HomeVisit, Institution, Referral, WeeklyReport

NOW = datetime(2026, 11, 18, 2, 0)  # the clock fixture's now (UTC)


def _uuid():
    return str(uuid.uuid4())


def known_records(county):
    """School 1 (zone 1) gets: 2 home visits (张三, 王五), 李四 single-parent (key group, not
    visited), 4-1's weekly reports for the last two weeks, 3 concerns (one urgent and unanswered
    for 2 hours, one acknowledged after 20 minutes, one closed), one high-risk case overdue for
    review with a referral silent for 48 days. School 2 (zone 2) gets one open concern."""
    kids, classes, users = county.kids, county.classes, county.users
    Child.update(single_parent=True).where(Child.id == kids.li_si.id).execute()
    for child, school_class in ((kids.zhang_san, classes.c41), (kids.wang_wu, classes.c42)):
        HomeVisit.create(child=child, author=users.head1, school_class=school_class, visited_on=date(2026, 10, 9),
                         made_at=NOW, client_uuid=_uuid())
    for monday in (date(2026, 11, 9), date(2026, 11, 2)):
        WeeklyReport.create(school_class=classes.c41, week_start=monday, part=0, author=users.committee1,
                            nil=True, made_at=NOW, client_uuid=_uuid())

    def concern(child, urgency, received, status="new", acknowledged=None):
        return Concern.create(child=child, reporter=users.head1, urgency=urgency, description="…", made_at=received,
                              received_at=received, client_uuid=_uuid(), status=status, acknowledged_at=acknowledged)

    concern(kids.zhang_san, "urgent", NOW - timedelta(hours=2))
    late = NOW - timedelta(days=3)
    concern(kids.wang_wu, "normal", late, "acknowledged", late + timedelta(minutes=20))
    concern(kids.zhao_liu, "soon", NOW - timedelta(days=10), "closed")
    concern(kids.zhou_ba, "soon", NOW - timedelta(days=9))
    case = Case.create(child=kids.zhang_san, level="high", next_review_on=date(2026, 11, 10), client_uuid=_uuid())
    Case.create(child=kids.wang_wu, level="key", next_review_on=date(2026, 11, 30), client_uuid=_uuid())
    institution = Institution.create(name="县人民医院心理科")
    Referral.create(case=case, institution=institution, referred_on=date(2026, 10, 1), client_uuid=_uuid())
