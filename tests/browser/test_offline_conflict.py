"""An entry from the phone's outbox whose id another user's record holds (a 409): it lands in
"needs attention" with the server's words, is neither retried for ever nor dropped, and is sent
again under a new id when she opens it."""
import time
from datetime import datetime

import pytest

from tests.browser.test_offline import SAVED, fill_concern, form_url, sign_in, under_service_worker, wait_for_outbox
from webapp.models import Concern, User

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

TAKEN = "这条记录的编号已被使用,请重新填写提交。"


def entry_state(page):
    return page.evaluate("""() => Promise.race([XinQiaoOutbox.all().then((e) => e[0] && e[0].state),
                             new Promise((r) => setTimeout(() => r(null), 5000))])""")


def test_an_entry_whose_id_someone_else_holds_needs_attention_and_goes_again_under_a_new_id(page, county):
    sign_in(page, "head1")
    under_service_worker(page, form_url("concern", county))
    page.context.set_offline(True)
    fill_concern(page, "放学后一个人在河边坐了很久")
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    entry = page.evaluate("() => XinQiaoOutbox.all().then((e) => e[0].id)")

    # Meanwhile another user's record holds the entry's id.
    Concern.create(child=county.kids.zhou_ba, reporter=User.get(User.username == "head3"), urgency="urgent",
                   description="另一所学校的担心", made_at=datetime(2026, 11, 18, 1, 0), client_uuid=entry)
    page.context.set_offline(False)
    page.evaluate("""() => Promise.race([XinQiaoOutbox.replay(), new Promise((r) => setTimeout(r, 10000))])""")
    deadline = time.monotonic() + 10
    while entry_state(page) != "attention":
        assert time.monotonic() < deadline, f"the entry is {entry_state(page)}"
        page.wait_for_timeout(200)
    assert Concern.select().count() == 1

    page.goto("/outbox")
    page.locator("#outbox-attention").get_by_role("link").click()
    expect(page.get_by_text(TAKEN)).to_be_visible()  # the server's words, nothing of the other record
    expect(page.get_by_text("另一所学校的担心")).to_have_count(0)
    expect(page.locator("textarea[name=description]")).to_have_value("放学后一个人在河边坐了很久")  # her input
    assert page.locator("input[name=client_uuid]").input_value() != entry
    page.locator("form[data-create] button[type=submit]").click()
    expect(page.get_by_text("已发送")).to_be_visible()
    wait_for_outbox(page, 0)
    mine = Concern.get(Concern.reporter == User.get(User.username == "head1"))
    assert mine.description == "放学后一个人在河边坐了很久" and mine.client_uuid != entry
    assert Concern.select().count() == 2
