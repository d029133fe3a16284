"""A psychology teacher changes a case's care team on a 360 px phone: the team's form comes when
its fold opens (htmx), and the page keeps to the screen."""
import re

import pytest

from webapp.models import CaseMember, Concern

from .test_incidents import narrow, no_axe_violations, sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def test_the_care_team_fold_brings_its_form_and_saves(app, county, page, console_errors, clock, login_as):
    from tests.safeguarding_steps import open_case, raise_concern

    raise_concern(login_as("head1"), county.kids.zhang_san)
    case_id = open_case(login_as("counselor1"), Concern.get().id, county.users.counselor1)
    sign_in(page, "counselor1", clock)
    page.goto(f"/cases/{case_id}")
    assert page.locator("#fold-team form").count() == 0
    narrow(page)
    page.locator("#fold-team summary").click()
    expect(page.locator("#fold-team form")).to_be_visible()
    narrow(page)
    no_axe_violations(page, "#fold-team")
    page.locator("#fold-team").get_by_label("责任人").select_option(str(county.users.head1.id))
    page.locator("#fold-team").get_by_role("button", name="保存团队").click()
    expect(page.locator("main")).to_contain_text("帮扶团队已保存")  # the page after the save, not the one before
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}$"))
    expect(page.locator("#fold-team form")).to_have_count(0)
    narrow(page)
    with app.app_context():
        responsible = CaseMember.get((CaseMember.case == case_id) & CaseMember.responsible)
        assert responsible.user_id == county.users.head1.id
    assert not console_errors
