"""Out-of-scope 404s leave a trace: a rate-limited audit row per account, and a warning to the
county when one account opens many records it may not see in a short time (someone probing ids)."""
import re
from datetime import date, timedelta

from webapp.models import AuditEvent, Child

WARNING = "可能在试探"


def other_school_children(county, count):
    """Pupils of school 1 (class 4-1): outside head3's scope (school 2)."""
    return [Child.create(name=f"试探{n}", sex="f", birth_date=date(2016, 1, 1), school_class=county.classes.c41).id
            for n in range(count)]


def out_of_scope_rows(username):
    return list(AuditEvent.select().where((AuditEvent.action == "out_of_scope") & (AuditEvent.username == username))
                .order_by(AuditEvent.id))


def warnings_on(page):
    return page.split('id="probing"')[1].split("</section>")[0] if 'id="probing"' in page else ""


def test_head3_opening_another_schools_children_is_audited_and_the_county_warned(county, login_as):
    ids = other_school_children(county, 25)
    head3 = login_as("head3")
    for child_id in ids:
        assert head3.get(f"/children/{child_id}").status_code == 404

    rows = out_of_scope_rows("head3")
    # Rate-limited: the clock stands still, so one row for the 25 children (one per kind a minute).
    assert [(row.object_type, row.object_id) for row in rows] == [("Child", ids[0])]
    assert rows[0].user_id == county.users.head3.id and "试探" not in rows[0].detail
    assert AuditEvent.select().where(AuditEvent.action == "probing_suspected").count() == 1

    county_user = login_as("county")
    for url in ("/", "/audit/"):
        warning = warnings_on(county_user.get(url).get_data(as_text=True))
        assert "head3" in warning and WARNING in warning and "10 分钟" in warning
        assert "/audit/?username=head3" in warning
    assert WARNING not in login_as("counselor1").get("/").get_data(as_text=True)
    assert login_as("counselor1").get("/audit/").status_code == 404


def test_one_audit_row_per_kind_and_minute(county, login_as, clock):
    ids = other_school_children(county, 3)
    head3 = login_as("head3")
    head3.get(f"/children/{ids[0]}")
    head3.get(f"/children/{ids[1]}")
    head3.get("/audit/")  # a route her role may not open at all is out of scope too
    head3.get("/concerns/987654")
    clock.advance(minutes=1)
    head3.get(f"/children/{ids[2]}")
    kinds = [(row.object_type, row.object_id) for row in out_of_scope_rows("head3")]
    assert kinds == [("Child", ids[0]), ("route", None), ("Concern", 987654), ("Child", ids[2])]
    route_row = out_of_scope_rows("head3")[1]
    assert "audit_log.index" in route_row.detail


def test_missing_ids_count_too_but_anonymous_and_in_scope_requests_do_not(county, login_as, browser):
    head1 = login_as("head1")
    assert head1.get(f"/children/{county.kids.zhang_san.id}").status_code == 200
    assert out_of_scope_rows("head1") == []

    for n in range(30):
        assert browser.get(f"/children/{900000 + n}").status_code in (302, 401)  # to sign-in
        assert browser.get(f"/no-such-page/{n}").status_code == 404
    assert AuditEvent.select().where(AuditEvent.action.in_(("out_of_scope", "probing_suspected"))).count() == 0

    for n in range(20):
        assert head1.get(f"/children/{900000 + n}").status_code == 404
    assert len(out_of_scope_rows("head1")) == 1
    warning = warnings_on(login_as("county").get("/").get_data(as_text=True))
    assert "head1" in warning and WARNING in warning


def test_a_few_misses_or_the_same_id_again_and_again_raise_no_warning(county, login_as, clock):
    ids = other_school_children(county, 30)
    head3 = login_as("head3")
    for _ in range(40):
        head3.get(f"/children/{ids[0]}")  # a stale bookmark reloaded: one id
    for child_id in ids[1:15]:
        head3.get(f"/children/{child_id}")
    clock.advance(minutes=11)  # the first 15 have left the 10-minute window
    for child_id in ids[15:]:
        head3.get(f"/children/{child_id}")
    assert AuditEvent.select().where(AuditEvent.action == "probing_suspected").count() == 0
    assert WARNING not in login_as("county").get("/").get_data(as_text=True)


def test_the_audit_log_is_read_by_action_from_an_index_not_through_the_day(app, county):
    """Migration 0042, with a day of events in the log as a county has: the county home's list of
    accounts seen probing names its action in the SQL (a prepared PostgreSQL statement planned
    for any action walked the time index through every recent event) and goes to that action's
    rows; the audit page's search by one action, newest first, reads the (action, at) index."""
    from types import SimpleNamespace

    from webapp.clock import utcnow
    from webapp.db import db, is_sqlite
    from webapp.trust import probing
    from webapp.trust.audit_views import _search

    from .plans import plan_of

    with app.app_context():
        now = utcnow()
        actions = ("read_child", "read_case", "read_concern", "create_home_visit", "read_incident", "sign_in",
                   "create_concern", "read_screening_warning", "export_ledger", "create_check_in")
        AuditEvent.insert_many([{"at": now - timedelta(seconds=n), "username": "head1", "action": actions[n % 10],
                                 "object_type": "child", "object_id": n, "address": "", "detail": ""}
                                for n in range(5000)]).execute()
        db.execute_sql("ANALYZE" if is_sqlite() else "ANALYZE audit_event")
        sql, params = probing.recent_probing(now).sql()
        assert probing.PROBING in sql and probing.PROBING not in params
        probing_plan = plan_of(probing.recent_probing(now - timedelta(days=7)))
        blank = SimpleNamespace(data=None)
        search = _search(SimpleNamespace(username=blank, child=blank, action=SimpleNamespace(data="read_child"),
                                         since=blank, until=blank)).limit(101)
        search_plan = plan_of(search)
    assert re.search(r"audit_event_action(_at)?\b", probing_plan), probing_plan
    assert not re.search(r"audit_event_at\b", probing_plan), probing_plan  # not the time index
    assert "audit_event_action_at" in search_plan, search_plan
