"""A head teacher reports a critical incident from her home page on a 360 px phone (taps counted),
and the school's psychology teacher adds a whole class for follow-up in two taps."""
import re

import pytest

from webapp.models import FollowUp, Incident, Notification

from .signing import sign_in

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def narrow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def no_axe_violations(page, context):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return
    result = Axe().run(page, context=context)
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]


def test_report_an_incident_from_home_and_add_a_whole_class(app, county, page, console_errors, clock, chromium,
                                                            live_server):
    sign_in(page, "head1")
    taps = 0
    page.locator("#report-incident").click()  # 1: 报告危机事件 on the home page
    taps += 1
    expect(page).to_have_url(re.compile(r"/incidents/new$"))
    narrow(page)
    no_axe_violations(page, "main")
    page.get_by_label("自伤/自杀未遂").check()  # 2: what happened (school and time are filled in)
    taps += 1
    page.locator("#description").fill("课间在厕所发现学生割腕,已送医")  # 3: a few words (typing)
    taps += 1
    page.get_by_label(re.compile("张三")).check()  # 4: the child involved, from her class's list
    taps += 1
    page.locator("#send-incident").click()  # 5: send and alert
    taps += 1
    expect(page).to_have_url(re.compile(r"/incidents/\d+$"))
    expect(page.locator("#plan")).to_contain_text("《实施方案》四、12")
    narrow(page)
    assert taps == 5
    with app.app_context():
        incident = Incident.get()
        told = {n.user.username for n in Notification.select().where(Notification.incident_id == incident.id)}
    assert told == {"counselor1", "principal1", "zone1", "county"}

    # The psychology teacher: the whole class 4-2 in two taps.
    counsellor = chromium.new_context(base_url=live_server, viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
    other = counsellor.new_page()
    sign_in(other, "counselor1", clock)
    other.goto(f"/incidents/{incident.id}")
    other.locator("#whole-class summary").click()  # tap 1
    other.locator("#whole-class").get_by_role("button", name=re.compile("4")).nth(1).click()  # tap 2: 4-2
    expect(other.locator("#follow-ups")).to_contain_text("王五")
    expect(other.locator("#follow-ups")).to_contain_text("赵六")
    narrow(other)
    no_axe_violations(other, "main")
    with app.app_context():
        assert FollowUp.select().where(FollowUp.incident == incident.id).count() == 2

    # A classmate of 张三 (4-1): opening the fold brings the class to pick from (not drawn before).
    assert other.locator("#add-pupils #children-" + str(county.kids.li_si.id)).count() == 0
    other.locator("#add-pupils summary").click()
    other.locator("#add-pupils").get_by_label(re.compile("李四")).check()
    no_axe_violations(other, "#add-pupils")
    other.locator("#add-pupils").get_by_role("button", name="加入并生成随访任务").click()
    expect(other.locator("#follow-ups")).to_contain_text("李四")
    narrow(other)
    with app.app_context():
        assert FollowUp.select().where(FollowUp.incident == incident.id).count() == 3

    # A follow-up recorded on its own page, and back to the incident at her row.
    other.locator("#follow-ups li", has_text="王五").get_by_role("link", name=re.compile("记录随访")).click()
    expect(other).to_have_url(re.compile(r"/incidents/follow-ups/\d+/done$"))
    narrow(other)
    no_axe_violations(other, "main")
    other.locator("#note").fill("谈话后情绪平稳")
    other.get_by_role("button", name="保存跟进记录").click()
    expect(other).to_have_url(re.compile(r"/incidents/\d+(#f\d+)?$"))
    expect(other.locator("#follow-ups li", has_text="王五")).to_contain_text("谈话后情绪平稳")
    narrow(other)
    counsellor.close()
    assert not console_errors
