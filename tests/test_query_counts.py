"""Pages make a fixed number of database queries, however many children the county has."""
import uuid
from contextlib import contextmanager
from datetime import date

import pytest

from webapp.db import db
from webapp.models import Child, Concern, name_keys
from webapp.safeguarding.cases import open_case
from webapp.safeguarding.concerns import raise_concern

from .safeguarding_steps import open_case as open_case_by_http
from .safeguarding_steps import raise_concern as raise_by_http


@contextmanager
def counting_queries():
    """Count every SQL statement the app sends while the block runs."""
    counter = {"n": 0}
    database = db.obj
    original = database.execute_sql

    def counted(sql, params=None, *args, **kwargs):
        counter["n"] += 1
        return original(sql, params, *args, **kwargs)

    database.execute_sql = counted
    try:
        yield counter
    finally:
        database.execute_sql = original


def grow_county(app, county, children, with_records=True):
    """Add `children` pupils to class 4-1 of school 1 (in every school-1 user's scope), with a
    concern and a case for some of them, so lists grow too."""
    school_class = county.classes.c41
    rows = []
    for n in range(children):
        name = f"测试{n}"
        initials, pinyin = name_keys(name)
        rows.append({
            "name": name, "name_initials": initials, "name_pinyin": pinyin, "sex": "mf"[n % 2],
            "birth_date": date(2016, 1, 1), "school": school_class.school_id, "school_class": school_class.id,
        })
    with db.atomic():
        for start in range(0, len(rows), 500):
            Child.insert_many(rows[start:start + 500]).execute()
    if with_records:
        with app.app_context():
            extra = Child.select().where(Child.name.startswith("测试")).order_by(Child.id.desc()).limit(20)
            for child in extra:
                concern, _ = raise_concern(child, county.users.head1, "soon", "反复缺课", date.today(),
                                           str(uuid.uuid4()))
                open_case(child, county.users.counselor1, date(2026, 11, 18), "key", ["family"], "目标", "措施",
                          county.users.counselor1, [county.users.head1], str(uuid.uuid4()), concern=concern)


PAGES = {
    "counselor1": ["/", "/children/", "/concerns/", "/cases/", "/inbox/", "/inbox/badge",
                   "/children/{child}", "/concerns/{concern}", "/cases/{case}"],
    "principal1": ["/", "/children/", "/concerns/", "/cases/", "/cases/{case}"],
    "head1": ["/", "/children/", "/concerns/", "/cases/", "/children/{child}"],
    "county": ["/", "/children/", "/concerns/", "/cases/", "/cases/settings/"],
    "zone1": ["/", "/concerns/", "/cases/"],
    "worker1": ["/", "/children/"],
    "committee1": ["/"],
}


def _measure(login_as, ids):
    counts = {}
    for username, pages in PAGES.items():
        user = login_as(username)
        for page in pages:
            url = page.format(**ids)
            with counting_queries() as counter:
                response = user.get(url)
            assert response.status_code == 200, (username, url)
            counts[(username, url)] = counter["n"]
    return counts


@pytest.mark.parametrize("small,large", [(40, 4000)])
def test_query_counts_do_not_grow_with_the_county(app, county, login_as, small, large):
    raise_by_http(login_as("head1"), county.kids.zhang_san)
    concern_id = Concern.get().id
    case_id = open_case_by_http(login_as("counselor1"), concern_id, county.users.counselor1,
                                members=[county.users.head1])
    ids = {"child": county.kids.zhang_san.id, "concern": concern_id, "case": case_id}

    grow_county(app, county, small)
    before = _measure(login_as, ids)
    grow_county(app, county, large - small)
    after = _measure(login_as, ids)
    assert Child.select().count() > large
    differing = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert not differing, differing
    assert max(after.values()) <= 40, after
