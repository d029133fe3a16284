"""The installable app: manifest, service worker, offline page, and which pages may be kept
on the phone. A page is cached for offline use only when its view says so (`@offline_page`);
every other signed-in page is sent with `Cache-Control: no-store`, so case notes, concerns and
other people's records never stay on a device."""
from flask import Blueprint, current_app, g, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .access import ALL_SIGNED_IN, allow, public
from .clock import utcnow
from .web import render

bp = Blueprint("pwa", __name__)
OFFLINE_HEADER = "X-Offline-Page"
FORMS_HEADER = "X-Offline-Forms"
# The forms a roster lets her fill in for any child on it, offline. A form "…?child=" is one
# child-less copy the service worker serves for every child; app.js fills the child in from the
# roster kept on the phone (name, village, last visit: nothing more). The entry still carries
# the child's id and the server checks it on replay, as for any entry.
ROSTER_FORMS = {
    "head_teacher": ("visits.new?child=", "concerns.new?child="),
    "child_worker": ("checkins.new?child=", "concerns.new?child="),
    "committee": ("peer.weekly", "peer.concern_new", "peer.support_new"),
}


def offline_page(view):
    """Mark a page the service worker may keep: the app shell, create forms, her own roster."""
    view.offline_page = True
    return view


def records_shown():
    """Called while a page is drawn that names children in records (her follow-ups after an
    incident, pupils whose 测评预警 waits): that page is then never kept on the phone, though
    its view is an offline page (a role's home)."""
    g.records_shown = True


def roster_shown():
    """Called by a view whose page is her roster: the service worker then keeps her role's
    forms too (ROSTER_FORMS), so each child on it can be recorded offline."""
    g.offline_roster = True


def child_template():
    """Is this GET the child-less copy of a form (`?child=` with no id) that the service worker
    keeps for offline use?"""
    return request.method == "GET" and request.args.get("child") == ""


@bp.app_template_global()
def roster_data(child, village="", last_visit=None):
    """The attributes a roster row carries for the phone: what a form's offline copy shows
    (name, village, last visit) and what offline search matches (pinyin and its initials).
    Never a concern, a case or a note."""
    values = {"child": child.id, "name": child.name, "initials": getattr(child, "name_initials", None) or "",
              "pinyin": getattr(child, "name_pinyin", None) or "", "village": village or "",
              "last-visit": last_visit.isoformat() if last_visit else ""}
    return Markup(" ").join(Markup('data-%s="%s"') % (key, escape(value)) for key, value in values.items())


@bp.app_template_global()
def roster_updated():
    """When the roster being drawn was read: the phone shows it with its kept copy."""
    return utcnow()


def _form_urls(role):
    urls = []
    for form in ROSTER_FORMS.get(role, ()):
        endpoint, mark, query = form.partition("?")
        urls.append(url_for(endpoint) + mark + query)
    return " ".join(urls)


@bp.route("/manifest.webmanifest")
@public
def manifest():
    icons = [
        {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": url_for("static", filename="icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"},
    ]
    body = {
        "name": "心桥 XinQiao",
        "short_name": "心桥",
        "description": _("School mental-health work of Qu County"),
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f5",
        "theme_color": "#2f6f5e",
        "icons": icons,
    }
    response = current_app.response_class(
        current_app.json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/sw.js")
@public
def service_worker():
    """Served from the root so its scope is the whole app; revalidated on every load."""
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/session/outbox")
@allow(*ALL_SIGNED_IN)
def outbox_session():
    """What the offline outbox needs before it replays: a fresh CSRF token, and whose session
    this is (entries made by someone else on a shared phone wait for her)."""
    response = current_app.response_class(
        current_app.json.dumps({"csrf_token": generate_csrf(), "user": current_user.id}),
        mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/outbox")
@allow(*ALL_SIGNED_IN)
@offline_page
def outbox():
    """The entries waiting on this phone; the list itself is drawn from IndexedDB by app.js."""
    return render("pages/outbox.html")


@bp.route("/offline")
@public
@offline_page
def offline():
    return render("pages/offline.html")


def init_app(app):
    @app.after_request
    def cache_policy(response):
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if (request.method == "GET" and response.status_code == 200 and getattr(view, "offline_page", False)
                and not g.get("records_shown")):
            response.headers[OFFLINE_HEADER] = "1"
            response.headers.setdefault("Cache-Control", "no-cache")
            if g.get("offline_roster") and getattr(current_user, "is_authenticated", False):
                forms = _form_urls(current_user.role)
                if forms:
                    response.headers[FORMS_HEADER] = forms
        elif response.mimetype == "text/html" and getattr(current_user, "is_authenticated", False):
            response.headers["Cache-Control"] = "no-store"
        return response
