"""A case's review is never before the case itself: not in the demo, not in the synthetic county,
not from a follow-up typed with a wrong date."""
import uuid

from webapp.clock import to_local
from webapp.demo.county import load_demo_county
from webapp.models import Case, CaseNote

from .safeguarding_steps import open_case, raise_concern


def _reviews_before_opening():
    return [(case.id, to_local(case.opened_at).date(), case.next_review_on) for case in Case.select()
            if case.next_review_on is not None and case.next_review_on < to_local(case.opened_at).date()]


def test_no_demo_case_is_due_for_review_before_it_was_opened(app, login_as):
    with app.app_context():
        load_demo_county()
        assert Case.select().count() >= 3
        assert _reviews_before_opening() == []
        # The demo still shows a 关注 case whose review is overdue: opened long enough ago.
        overdue = Case.get(Case.level == "attention")
        assert overdue.next_review_on < to_local(app.config["CLOCK"]()).date()


def test_the_synthetic_county_schedules_no_review_before_its_case(app):
    args = ["gen-county", "--schools", "4", "--classes-per-school", "10", "--children-per-class", "30", "--seed", "1"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert Case.select().count() >= 2
        assert _reviews_before_opening() == []


def test_a_review_dated_before_the_case_was_opened_is_refused_with_the_typing_kept(county, login_as, clock):
    counselor = login_as("counselor1")
    raise_concern(login_as("head1"), county.kids.zhang_san)
    from webapp.models import Concern

    case_id = open_case(counselor, Concern.get().id, county.users.counselor1)  # 2026-11-18
    counselor.get(f"/cases/{case_id}")
    response = counselor.post(f"/cases/{case_id}/notes", {
        "text": "复查:情绪平稳,按时到校。", "contacted_on": "2026-11-10", "is_review": "y",
        "client_uuid": str(uuid.uuid4()),
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "日期不能早于个案建立的日期(2026年11月18日)。" in page
    assert "复查:情绪平稳,按时到校。" in page and 'value="2026-11-10"' in page
    assert CaseNote.select().count() == 0
    # The day the case was opened is fine.
    response = counselor.post(f"/cases/{case_id}/notes", {
        "text": "复查:情绪平稳,按时到校。", "contacted_on": "2026-11-18", "is_review": "y",
        "client_uuid": str(uuid.uuid4()),
    })
    assert response.status_code == 302
    assert CaseNote.select().count() == 1
