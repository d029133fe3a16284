"""What every template can use: the role's navigation, dates in the county's format."""
from datetime import datetime
from functools import lru_cache

from babel import dates as babel_dates
from babel.lists import format_list
from flask import has_request_context, request, url_for
from flask_babel import format_date, format_datetime, get_locale, get_translations, to_user_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

from . import labels
from .access import role_may_open
from .trust.audit_labels import action_label, object_label

# (endpoint, label, icon); each shows only to roles the endpoint's policy allows.
NAV_ITEMS = (
    ("home.index", _l("Home"), "home"),
    ("checkins.index", _l("Duties"), "checkins"),  # child workers only
    ("children.index", _l("Children"), "children"),
    ("concerns.index", _l("Concerns"), "concerns"),
    ("cases.index", _l("Cases"), "cases"),
    ("admin.index", _l("Admin"), "admin"),
    ("auth.profile", _l("Me"), "me"),
)


def nav_for(user, view_functions):
    items = []
    for endpoint, label, icon in NAV_ITEMS:
        view = view_functions.get(endpoint)
        if view is not None and role_may_open(user.role, view):
            items.append({"endpoint": endpoint, "url": url_for(endpoint), "label": label, "icon": icon})
    return items


# The links base.html puts on every page: (name, endpoint, values).
SHELL_LINKS = (
    ("manifest", "pwa.manifest", {}),
    ("touch_icon", "static", {"filename": "icons/icon-192.png"}),
    ("icon", "static", {"filename": "icon.svg"}),
    ("css", "static", {"filename": "app.css"}),
    ("htmx", "static", {"filename": "vendor/htmx-2.0.11.min.js"}),
    ("js", "static", {"filename": "app.js"}),
    ("home", "home.index", {}),
    ("inbox", "inbox.index", {}),
    ("inbox_badge", "inbox.badge", {}),
    ("outbox", "pwa.outbox", {}),
    ("help", "pages.help", {}),
)


def shell_urls():
    return {name: url_for(endpoint, **values) for name, endpoint, values in SHELL_LINKS}


@pass_context
def template_gettext(context, string, **variables):
    """`_()` in templates: Jinja's newstyle gettext, with the translations the render looked
    up once (the `_translations` the context processor adds) instead of Flask-Babel finding
    the locale and its catalog again for each string."""
    translations = context.get("_translations")
    if translations is None:
        translations = get_translations()
    rv = translations.ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


def locale_list(items, label=None):
    """A list in the words of the reader's language: 甲、乙、丙 / A, B, C (Babel's
    format_list); each item (or its `label(item)`) escaped unless it is already markup."""
    items = [label(item) if label else item for item in items]
    items = [item if isinstance(item, Markup) else escape(str(item)) for item in items]
    if not items:
        return Markup("")
    locale = get_locale() if has_request_context() else "zh_Hans_CN"
    try:
        return Markup(format_list(items, style="standard-narrow", locale=locale))
    except KeyError:
        # Babel's Chinese narrow style has only the two-item pattern (three classes raised
        # KeyError 'start'): fold the list two at a time, 甲、乙、丙.
        joined = items[0]
        for item in items[1:]:
            joined = format_list([joined, item], style="standard-narrow", locale=locale)
        return Markup(joined)


def init_app(app):
    labels.register(app)
    app.jinja_env.filters["locale_list"] = locale_list
    app.jinja_env.globals.update(audit_action_label=action_label, audit_object_label=object_label)
    app.jinja_env.globals["get_locale"] = get_locale
    # Replaces what Flask-Babel installed (templates use only `_`, never ngettext and friends).
    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext)
    # URLs depend only on the app's routes and the script root it is mounted at, and the
    # navigation only on the role (the routes' policies), so both are worked out once and
    # kept for the app's life; the nav's labels are kept per language.
    shell_cache = {}
    nav_cache = {}

    @app.context_processor
    def navigation():
        if not has_request_context():  # nothing to key a cache on: worked out as it is
            items = nav_for(current_user, app.view_functions) if current_user.is_authenticated else []
            return {"nav_items": items, "shell_urls": shell_urls()}
        root = request.script_root
        urls = shell_cache.get(root)
        if urls is None:
            urls = shell_cache[root] = shell_urls()
        translations = get_translations()
        if not current_user.is_authenticated:
            return {"nav_items": [], "shell_urls": urls, "_translations": translations}
        # The labels are translated with this render's catalog, so the entry is kept per
        # catalog too (the same object for every request in that language).
        key = (current_user.role, root, translations)
        items = nav_cache.get(key)
        if items is None:
            icon = app.jinja_env.get_template("_icon.html")
            items = nav_cache[key] = tuple(
                # Markup: what the lazy string itself gives a template (its __html__); the
                # icon drawn once, as `{% include "_icon.html" %}` would draw it on each page.
                dict(item, label=Markup(str(item["label"])), icon_svg=Markup(icon.render(item=item)))
                for item in nav_for(current_user, app.view_functions)
            )
        return {"nav_items": items, "shell_urls": urls, "_translations": translations}

    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["local_datetime"] = local_datetime


# The named widths of a date and a time; a pattern of the template's own goes to Babel as it is.
WIDTHS = ("short", "medium", "long", "full")
# Time fields that print the zone: such a time cannot be formatted once for every day.
ZONE_FIELDS = frozenset("zZvVOxX")


@lru_cache(maxsize=64)
def _datetime_pattern(locale, fmt):
    """'{1} {0}' (date, time) of `fmt` in `locale`, or None when its time shows the zone."""
    if ZONE_FIELDS & set(babel_dates.get_time_format(fmt, locale=locale).pattern):
        return None
    return babel_dates.get_datetime_format(fmt, locale=locale).replace("'", "")


@lru_cache(maxsize=4096)
def _date_text(locale, fmt, day):
    return babel_dates.format_date(day, fmt, locale=locale)


@lru_cache(maxsize=4096)
def _time_text(locale, fmt, clock):
    return babel_dates.format_time(clock, fmt, tzinfo=None, locale=locale)


def local_date(value, fmt="medium"):
    """A day in the reader's language, as Flask-Babel's format_date writes it: each day formatted
    once per language (a register's list of activities shows two dates a row). A datetime is
    still rebased to the county's zone by Flask-Babel."""
    if not value:
        return ""
    if fmt in WIDTHS and not isinstance(value, datetime):
        return _date_text(str(get_locale()), fmt, value)
    return format_date(value, fmt)


def local_datetime(value, fmt="short"):
    """A stored datetime (naive UTC) in the county's time zone and the reader's language, as
    Flask-Babel's format_datetime writes it. A list of 220 concerns spent a third of its
    template in Babel, row by row: here each day and each time of day is formatted once per
    language, and a row only puts the two together."""
    if not value:
        return ""
    locale = str(get_locale())
    pattern = _datetime_pattern(locale, fmt) if fmt in WIDTHS else None
    if pattern is None:
        return format_datetime(value, fmt)
    local = to_user_timezone(value)
    return (pattern.replace("{0}", _time_text(locale, fmt, local.time().replace(tzinfo=None)))
            .replace("{1}", _date_text(locale, fmt, local.date())))
