"""Every route of the app, for every role, with an object in scope and one out of scope.

ROUTES below restates, by hand, who may open each route. A route the app has but the table does
not name fails the test, so no route is left out; a route the table names with other roles than
the code declares fails too. Then each route is asked for by every role:
- a role the table does not name gets 404 (and a visitor who is not signed in, the sign-in page);
- a named role, with an object of its own side of the county, gets anything but 404 or 5xx;
- a named role (other than the county), with an object of the other side, gets 404.
"Own side" is school 1 / zone 1 / village 1, where every test user works; the other side is
school 2 / zone 2 / village 2, which they must not reach.
"""
import re

from flask import url_for

from webapp.access import route_roles

from .conftest import Browser

COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD, PUPIL, WORKER = (
    "county", "zone", "counselor", "principal", "head_teacher", "committee", "child_worker")
STAFF = {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD, WORKER}
EVERYONE = STAFF | {PUPIL}
PUBLIC = "public"
USERS = {COUNTY: "county", ZONE: "zone1", COUNSELOR: "counselor1", PRINCIPAL: "principal1", HEAD: "head1",
         PUPIL: "committee1", WORKER: "worker1"}

# endpoint: roles that may open it. (A few endpoints serve two URLs; both are checked.)
ROUTES = {
    "static": PUBLIC, "auth.login": PUBLIC, "pages.help": PUBLIC, "pages.healthz": PUBLIC,
    "twofactor.verify": PUBLIC, "twofactor.enrol": PUBLIC, "twofactor.unlock": PUBLIC,
    "pwa.manifest": PUBLIC, "pwa.service_worker": PUBLIC,
    "pwa.offline": PUBLIC,
    "auth.logout": EVERYONE, "auth.profile": EVERYONE, "home.index": EVERYONE, "twofactor.enable": EVERYONE,
    "pwa.outbox": EVERYONE, "pwa.outbox_session": EVERYONE,
    "children.index": STAFF, "children.show": STAFF,
    "children.problem_family": {COUNTY, ZONE, COUNSELOR, HEAD},
    "children.psychiatric_history": {COUNTY, ZONE, COUNSELOR},
    "concerns.new": STAFF, "concerns.index": STAFF, "concerns.show": STAFF,
    "concerns.acknowledge": {COUNTY, ZONE, COUNSELOR}, "concerns.triage": {COUNTY, ZONE, COUNSELOR},
    "cases.index": STAFF, "cases.show": STAFF, "cases.add_note": STAFF, "cases.referral_feedback": STAFF,
    "cases.new": {COUNTY, ZONE, COUNSELOR}, "cases.change_level": {COUNTY, ZONE, COUNSELOR},
    "cases.set_team": {COUNTY, ZONE, COUNSELOR}, "cases.close": {COUNTY, ZONE, COUNSELOR},
    "cases.reopen": {COUNTY, ZONE, COUNSELOR}, "cases.add_referral": {COUNTY, ZONE, COUNSELOR},
    "case_settings.index": {COUNTY}, "case_settings.add_institution": {COUNTY},
    "case_settings.toggle_institution": {COUNTY}, "case_settings.add_period": {COUNTY},
    "inbox.index": STAFF, "inbox.badge": STAFF,
    "exports.ledger": {COUNTY, ZONE, COUNSELOR},
    "audit_log.index": {COUNTY}, "audit_log.export": {COUNTY},
    "rights.export": {COUNTY}, "rights.erase_child": {COUNTY}, "twofactor.reset": {COUNTY},
    "admin.index": {COUNTY, PRINCIPAL}, "admin.zones": {COUNTY}, "admin.zone_form": {COUNTY},
    "admin.townships": {COUNTY}, "admin.township_form": {COUNTY}, "admin.villages": {COUNTY},
    "admin.village_form": {COUNTY}, "admin.schools": {COUNTY}, "admin.school_form": {COUNTY},
    "admin.school_help": {COUNTY, PRINCIPAL}, "admin.classes": {COUNTY, PRINCIPAL},
    "admin.class_form": {COUNTY, PRINCIPAL}, "admin.class_page": {COUNTY, PRINCIPAL, HEAD},
    "admin.child_form": {COUNTY, PRINCIPAL}, "admin.committee_add": {COUNTY, PRINCIPAL, HEAD},
    "admin.committee_remove": {COUNTY, PRINCIPAL, HEAD}, "admin.users": {COUNTY, PRINCIPAL},
    "admin.user_form": {COUNTY, PRINCIPAL}, "admin.user_secret": {COUNTY, PRINCIPAL, HEAD},
    "admin.sign_out_everywhere": {COUNTY}, "admin.import_children": {COUNTY, PRINCIPAL},
    "admin.import_users": {COUNTY, PRINCIPAL}, "admin.children_template": {COUNTY, PRINCIPAL},
    "admin.users_template": {COUNTY, PRINCIPAL},
    "visits.new": {HEAD}, "visits.pick": {HEAD}, "visits.edit": {HEAD},
    "visits.index": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    "visits.show": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    "visits.school_class": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    "visits.register": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    "visits.register_xlsx": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    "peer.weekly": {PUPIL}, "peer.support_new": {PUPIL}, "peer.concern_new": {PUPIL}, "peer.mine": {PUPIL},
    "peer.reports": {COUNSELOR, PRINCIPAL, HEAD}, "peer.report": {COUNSELOR, PRINCIPAL, HEAD},
    "peer.support": {COUNSELOR, PRINCIPAL, HEAD}, "peer.confirm": {HEAD},
    "village.register": {WORKER}, "village.confirm": {WORKER}, "activities.new": {WORKER},
    "links.index": {COUNTY, COUNSELOR, PRINCIPAL}, "links.confirm": {COUNTY, COUNSELOR, PRINCIPAL},
    "links.refuse": {COUNTY, COUNSELOR, PRINCIPAL},
    "checkins.index": {WORKER}, "checkins.new": {WORKER}, "checkins.show": {COUNTY, ZONE, COUNSELOR, WORKER},
    "duty_rules.index": {COUNTY}, "duty_rules.save": {COUNTY},
    "worklog.worklog": {COUNTY, ZONE, WORKER}, "worklog.worklog_xlsx": {COUNTY, ZONE, WORKER},
    "worklog.duties": {COUNTY, ZONE},
    "dashboard.index": {COUNTY, ZONE, PRINCIPAL}, "dashboard.zone": {COUNTY, ZONE},
    "dashboard.school": {COUNTY, ZONE, PRINCIPAL}, "dashboard.school_class": {COUNTY, ZONE, PRINCIPAL},
    "dashboard.export": {COUNTY, ZONE, PRINCIPAL}, "dashboard.villages": {COUNTY, ZONE},
    "incidents.new": STAFF, "incidents.index": STAFF, "incidents.show": STAFF, "incidents.step": STAFF,
    "incidents.add_pupils": {COUNTY, ZONE, COUNSELOR}, "incidents.add_class": {COUNTY, ZONE, COUNSELOR},
    "incidents.close": {COUNTY, ZONE, COUNSELOR}, "incidents.settings": {COUNTY},
    "incidents.complete": {COUNTY, ZONE, COUNSELOR, HEAD},
    "incidents.follow_up_concern": {COUNTY, ZONE, COUNSELOR, HEAD},
    "inspections.index": {COUNTY, ZONE, COUNSELOR, PRINCIPAL}, "inspections.new": {COUNTY, ZONE},
    "inspections.show": {COUNTY, ZONE, COUNSELOR, PRINCIPAL}, "inspections.add_finding": {COUNTY, ZONE},
    "inspections.item": {COUNTY, ZONE, COUNSELOR, PRINCIPAL}, "inspections.report": {COUNSELOR, PRINCIPAL},
    "inspections.accept": {COUNTY, ZONE}, "inspections.send_back": {COUNTY, ZONE},
    "attachments.download": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD}, "attachments.visit_photo": {HEAD},
    "attachments.inspection_photo": {COUNTY, ZONE}, "attachments.plan_document": {COUNSELOR, PRINCIPAL},
    "attachments.certificate": {COUNSELOR, PRINCIPAL},
    "attachments.delete": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    # the school's programme register (issue 19)
    "programme.index": {COUNTY, ZONE, COUNSELOR, PRINCIPAL, HEAD},
    "programme.matrix": {COUNTY, ZONE}, "programme.matrix_xlsx": {COUNTY, ZONE}, "programme.missing": {COUNTY, ZONE},
    "programme.school": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
    "programme.requirement": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
    "programme.annual_report": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
    "programme.add_staff": {COUNSELOR, PRINCIPAL}, "programme.edit_staff": {COUNSELOR, PRINCIPAL},
    "programme.add_training": {COUNSELOR, PRINCIPAL}, "programme.save_room": {COUNSELOR, PRINCIPAL},
    "programme.save_plan": {COUNSELOR, PRINCIPAL},
    "programme.new_activity": {COUNSELOR, PRINCIPAL, HEAD}, "programme.activities": {COUNSELOR, PRINCIPAL, HEAD},
    "programme.requirements": {COUNTY}, "programme.delete_activity": {COUNSELOR, PRINCIPAL, HEAD},
    # annual screening (issue 18)
    "screening.index": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
    "screening.show_round": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
    "screening.coverage_xlsx": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
    "screening.new_round": {COUNTY}, "screening.settings_page": {COUNTY},
    "screening.import_results_page": {COUNSELOR}, "screening.confirm_import": {COUNSELOR},
    "screening.import_template": {COUNTY, ZONE, COUNSELOR},
    "screening.warnings": {COUNTY, ZONE, COUNSELOR}, "screening.warning": {COUNTY, ZONE, COUNSELOR},
    "screening.interview": {COUNTY, ZONE, COUNSELOR}, "screening.close": {COUNTY, ZONE, COUNSELOR},
    "screening.administer": {COUNTY, ZONE, COUNSELOR}, "screening.result": {COUNTY, ZONE, COUNSELOR},
    "screening.class_warnings": {HEAD},
    "screening.sessions": {COUNSELOR}, "screening.session_list": {COUNSELOR}, "screening.session_pupil": {COUNSELOR},
    "screening.session_done": {COUNSELOR}, "screening.session_end": {COUNSELOR},
    "self_check.index": STAFF, "self_check.take": STAFF, "self_check.contact": STAFF,
    "self_check.counts": {COUNTY, ZONE, COUNSELOR, PRINCIPAL},
}
# Routes whose own-side object is refused on purpose, for a reason other than scope.
OWN_SIDE_REFUSED = {
    ("cases.add_note", PRINCIPAL): "principals read case summaries, they do not work the case",
    ("cases.referral_feedback", PRINCIPAL): "same",
    ("village.confirm", WORKER): "the child has no file waiting for a confirmation",
    ("twofactor.enable", WORKER): "two-step sign-in is for staff who read cases, and head teachers",
    ("twofactor.enable", PUPIL): "same",
    ("screening.session_list", COUNSELOR): "a session opens only on the device that started it (its lock)",
    ("screening.session_pupil", COUNSELOR): "same", ("screening.session_done", COUNSELOR): "same",
    ("screening.session_end", COUNSELOR): "same",
    # The world's file is head1's photo of her visit: its readers may not delete it.
    ("attachments.delete", COUNTY): "only the uploader or who may edit the record deletes a file",
    ("attachments.delete", ZONE): "same", ("attachments.delete", COUNSELOR): "same",
    ("attachments.delete", PRINCIPAL): "same",
}
# Routes that answer a role's own object whatever other one she names.
OTHER_SIDE_IGNORED = {
    ("worklog.worklog", WORKER): "a child worker always gets her own work log",
    ("worklog.worklog_xlsx", WORKER): "same",
}


def _urls(app, endpoint, ids):
    """Every URL of an endpoint, built from the ids it needs (query arguments included)."""
    urls = []
    for rule in app.url_map.iter_rules(endpoint):
        values = {name: ids[name] for name in rule.arguments if name in ids}
        if endpoint == "static":
            values = {"filename": "app.css"}
        with app.test_request_context():
            url = url_for(endpoint, **values)
        query = {"visits.new": ("child", "child_id"), "checkins.new": ("child", "child_id"),
                 "concerns.new": ("child", "child_id"), "cases.new": ("child", "child_id"),
                 "screening.administer": ("child", "child_id"),
                 "inspections.new": ("school", "school_id"),
                 "worklog.worklog": ("worker", "worker"), "worklog.worklog_xlsx": ("worker", "worker")}
        if endpoint in query:
            url += f"?{query[endpoint][0]}={ids[query[endpoint][1]]}"
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        urls.append((url, "GET" if "GET" in methods else "POST", bool(rule.arguments) or endpoint in query))
    return urls


def test_every_route_is_in_the_table_with_the_roles_its_code_declares(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTES)) == [], "routes without an entry in the access table"
    assert sorted(set(ROUTES) - endpoints) == [], "the table names routes the app no longer has"
    for endpoint in endpoints:
        declared = route_roles(app.view_functions[endpoint])
        expected = ROUTES[endpoint]
        assert declared == (PUBLIC if expected == PUBLIC else frozenset(expected)), endpoint


def _same_shape(url, other_url):
    """Two URLs of the same rule: equal once the numbers are taken out."""
    return re.sub(r"\d+", "N", url) == re.sub(r"\d+", "N", other_url)


def _ask(user_browser, method, url):
    if method == "GET":
        return user_browser.get(url)
    return user_browser.post(url, {})


def test_the_access_matrix(app, world, login_as):
    own, other, own_for = world
    browsers = {role: login_as(username) for role, username in USERS.items()}
    visitor = Browser(app.test_client())
    problems, checked = [], 0
    for endpoint, allowed in sorted(ROUTES.items()):
        for role in list(USERS) + [None]:
            ids = {**own, **own_for.get(role, {})}
            for url, method, has_object in _urls(app, endpoint, ids):
                if endpoint in ("auth.logout", "twofactor.verify", "twofactor.enrol"):
                    continue  # signing out or in changes the session these checks share
                checked += 1
                if role is None:
                    status = _ask(visitor, method, url)
                    if allowed == PUBLIC:
                        ok = status.status_code < 500
                    else:
                        ok = status.status_code == 302 and status.headers["Location"] == "/login"
                    if not ok:
                        problems.append(f"visitor {method} {url}: {status.status_code}")
                    continue
                response = _ask(browsers[role], method, url)
                code = response.status_code
                if allowed != PUBLIC and role not in allowed:
                    if code != 404:
                        problems.append(f"{role} {method} {url}: {code}, expected 404 (wrong role)")
                elif code >= 500 or (code == 404 and (endpoint, role) not in OWN_SIDE_REFUSED):
                    problems.append(f"{role} {method} {url}: {code} for her own side")
                if (allowed != PUBLIC and role in allowed and role != COUNTY and has_object
                        and (endpoint, role) not in OTHER_SIDE_IGNORED):
                    for other_url, other_method, _ in _urls(app, endpoint, {**ids, **other}):
                        if other_url == url or not _same_shape(url, other_url):
                            continue  # the endpoint's object is the same on both sides
                        checked += 1
                        code = _ask(browsers[role], other_method, other_url).status_code
                        if code != 404:
                            problems.append(f"{role} {other_method} {other_url}: {code}, expected 404 (other side)")
    assert not problems, "\n".join(problems)
    assert checked > 600
    print(f"access matrix: {len(ROUTES)} endpoints, {checked} requests checked")


def test_a_route_without_declared_roles_is_closed(app, login_as, county):
    """The guard itself: a view that declares nothing answers 404 to everyone."""
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    for username in ("county", "head1"):
        assert login_as(username).get("/undeclared").status_code == 404
    assert re.match(r"/login", Browser(app.test_client()).get("/undeclared").headers.get("Location", ""))
