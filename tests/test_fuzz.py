"""Every POST route, driven by Hypothesis with random, huge, malformed and missing fields (with a
valid session and CSRF token): never a 5xx, never a half-stored record. Every route again with
ids past what the database holds in its path and huge numbers and far dates in its query string:
never a 5xx."""
import re
from datetime import date
from urllib.parse import urlencode

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from webapp.models import MODELS, Case, CaseMember, LevelChange

from .conftest import Browser
from .test_access_matrix import PUBLIC, ROUTES, USERS, _urls

EXAMPLES_PER_ROUTE = 12
# Signing in and out changes the session the other examples share.
SKIPPED = {"auth.logout", "auth.login", "twofactor.verify", "twofactor.enrol"}
FIELD_PATTERN = re.compile(r'name="([a-z_]+(?:-\d+-[a-z_]+)?)"')
# Names any form might have, for routes that have no page of their own to read them from.
COMMON_FIELDS = ["client_uuid", "made_at", "text", "reason", "level", "note", "code", "name", "day", "urgency",
                 "description", "received_on", "is_outcome", "responsible", "members", "secret", "confirm"]

# Numbers no id, page or year can be: just past 2⁶³ − 1 (SQLite's and bigint's largest), far
# past it, and negative.
huge_numbers = st.one_of(
    st.integers(min_value=2 ** 63 - 1, max_value=2 ** 64),
    st.integers(min_value=10 ** 19, max_value=10 ** 40),
    st.integers(min_value=-(10 ** 40), max_value=-1),
).map(str)
# Days no record holds: before 2000, years ahead, the calendar's ends, and a month in year 1.
far_dates = st.one_of(
    st.dates(max_value=date(1999, 12, 31)),
    st.dates(min_value=date(2028, 1, 1)),
).map(date.isoformat) | st.sampled_from(["0001-01-01", "9999-12-31", "0001-01", "9999-12", "10000-01-01"])

values = st.one_of(
    st.just(""),
    huge_numbers,
    far_dates,
    st.text(max_size=30),
    st.text(min_size=5000, max_size=20000),  # far over every limit
    st.integers(min_value=-(2 ** 63), max_value=2 ** 63).map(str),
    st.sampled_from(["2026-13-45", "0000-00-00", "9999-12-31", "2026-11-18", "1900-01-01", "x" * 40,
                     "../../etc/passwd", "=HYPERLINK(\"x\")", "\x00\x01", "' OR 1=1 --", "<script>x</script>",
                     "00000000-0000-0000-0000-000000000000", "not-a-uuid", "urgent", "high", "on"]),
)


def form_fields(user_browser, url):
    """The field names of the page's form, when the route has a page; else the common ones."""
    response = user_browser.get(url)
    names = set(FIELD_PATTERN.findall(response.get_data(as_text=True))) if response.status_code == 200 else set()
    return sorted((names | set(COMMON_FIELDS)) - {"csrf_token"})


def no_half_records():
    """Problems that a half-stored entry would leave behind."""
    problems = []
    for model in MODELS:
        for field in model._meta.refs:
            target = field.rel_model
            orphans = model.select().where(field.is_null(False) & field.not_in(target.select(target.id)))
            if orphans.exists():
                problems.append(f"{model.__name__}.{field.name} points at nothing")
    for case in Case.select():
        if not CaseMember.select().where((CaseMember.case == case) & CaseMember.responsible).exists():
            problems.append(f"case {case.id} without a responsible adult")
        if not LevelChange.select().where(LevelChange.case == case).exists():
            problems.append(f"case {case.id} without its level history")
    return problems


def fuzz(user, url, fields):
    """POST random forms to `url`; returns how many were sent."""
    statuses = []

    @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.dictionaries(st.sampled_from(fields), st.one_of(values, st.lists(values, max_size=3)),
                                max_size=len(fields)))
    def post_randomly(data):
        response = user.post(url, data)
        statuses.append(response.status_code)
        assert response.status_code < 500, (url, data)

    post_randomly()
    return len(statuses)


def _post_routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "POST" in rule.methods and rule.endpoint not in SKIPPED and ROUTES.get(rule.endpoint) != PUBLIC:
            yield rule.endpoint


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_random_input_never_breaks_a_post_route(app, world, login_as):
    own, _other, own_for = world
    users = {}
    summary = []
    for endpoint in dict.fromkeys(_post_routes(app)):
        allowed = ROUTES[endpoint]
        role = next(r for r in USERS if r in allowed)  # the first role that may post here
        if role not in users:
            users[role] = login_as(USERS[role])
        user = users[role]
        for url, _method, _ in _urls(app, endpoint, {**own, **own_for.get(role, {})}):
            sent = fuzz(user, url, form_fields(user, url))
            problems = no_half_records()
            assert not problems, (url, problems)
            summary.append((url, sent))
    assert len(summary) >= 40
    print(f"fuzzed {len(summary)} POST routes, {sum(n for _, n in summary)} requests")


# Query-string names the views read (request.args) and some they do not.
QUERY_NAMES = ["school", "class", "child", "worker", "zone", "township", "village", "concern", "page", "year",
               "month", "week", "since", "until", "level", "role", "q", "day"]
query_values = st.one_of(huge_numbers, far_dates, st.integers(min_value=-5, max_value=5).map(str))


def probe(user, method, rule, endpoint_ids, app):
    """Ask one route with Hypothesis' path ids and query strings; returns how many were sent."""
    statuses = []
    id_names = sorted(name for name in rule.arguments if isinstance(rule._converters[name], IntegerConverter))

    @settings(max_examples=EXAMPLES_PER_ROUTE // 2, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(path_ids=st.fixed_dictionaries({name: st.one_of(huge_numbers, st.just(None)) for name in id_names}),
           query=st.dictionaries(st.sampled_from(QUERY_NAMES), query_values, max_size=4))
    def ask_randomly(path_ids, query):
        values = {name: endpoint_ids[name] for name in rule.arguments if name in endpoint_ids}
        values.update({name: int(number) for name, number in path_ids.items() if number is not None})
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        url += "?" + urlencode(query) if query else ""
        response = user.get(url) if method == "GET" else user.post(url, {})
        statuses.append(response.status_code)
        assert response.status_code < 500, (method, url)

    ask_randomly()
    return len(statuses)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_huge_ids_and_far_dates_never_break_a_route(app, world, login_as):
    own, _other, own_for = world
    users = {None: Browser(app.test_client())}
    sent = routes = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED or rule.endpoint == "static":
            continue
        allowed = ROUTES[rule.endpoint]
        role = None if allowed == PUBLIC else next(r for r in USERS if r in allowed)
        if role not in users:
            users[role] = login_as(USERS[role])
        method = "GET" if "GET" in rule.methods else "POST"
        sent += probe(users[role], method, rule, {**own, **own_for.get(role, {})}, app)
        routes += 1
    assert routes >= 90
    print(f"asked {routes} routes {sent} times with huge ids and far dates")
