"""The committee's pages make a fixed number of queries, however big the class and its records grow."""
from webapp.models import Child, PeerSupport, WeeklyReport

from .peer_steps import add_classmates, mention, send_concern, send_support, send_weekly
from .test_query_counts import counting_queries, grow_county


def _pages(ids):
    return {
        "committee1": ["/", "/peer/weekly", "/peer/support/new", "/peer/concern/new", "/peer/mine"],
        "committee2": ["/peer/weekly"],  # the week is in: the supplement form
        "head1": ["/", "/peer/reports/", f"/peer/reports/{ids['report']}", "/peer/support/",
                  f"/children/{ids['child']}"],
        "principal1": ["/", "/peer/reports/", f"/peer/reports/{ids['report']}"],
        "counselor1": ["/"],
    }


def _measure(login_as, ids):
    counts = {}
    for username, urls in _pages(ids).items():
        user = login_as(username)
        for url in urls:
            with counting_queries() as counter:
                response = user.get(url)
            assert response.status_code == 200, (username, url)
            counts[(username, url)] = counter["n"]
    return counts


def _more_records(login_as, count):
    """Supplements naming more classmates, support entries and concerns: lists grow too."""
    pupil = login_as("committee2")
    kids = list(Child.select().where(Child.name.startswith("测试")).order_by(Child.id.desc()).limit(count))
    send_weekly(pupil, mood="", events="补充", mentions=[mention(kid, "注意到了") for kid in kids[:5]])
    for kid in kids:
        send_support(pupil, kid, tell_teacher=True)
    send_concern(pupil, kids[0], urgency="soon")


def test_committee_pages_cost_the_same_queries_for_a_small_and_a_big_class(app, county, login_as):
    with app.app_context():
        qian, _sun = add_classmates(county)
    send_weekly(login_as("committee1"), mentions=[mention(qian, urgency="soon")])
    login_as("head1").post(f"/peer/reports/{WeeklyReport.get().id}/confirm", {"remark": "已谈话"})
    ids = {"report": WeeklyReport.get(WeeklyReport.part == 0).id, "child": qian.id}

    grow_county(app, county, 40, with_records=False)
    _more_records(login_as, 3)
    before = _measure(login_as, ids)
    grow_county(app, county, 4000 - 40, with_records=False)
    _more_records(login_as, 8)
    after = _measure(login_as, ids)

    assert PeerSupport.select().count() == 11 and WeeklyReport.select().count() == 3
    differing = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert not differing, differing
    assert max(after.values()) <= 40, after
