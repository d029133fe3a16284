"""What every template can use: the role's navigation, dates in the county's format."""
from flask import url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from . import labels
from .access import role_may_open

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


def init_app(app):
    labels.register(app)
    app.jinja_env.globals["get_locale"] = get_locale

    @app.context_processor
    def navigation():
        if not current_user.is_authenticated:
            return {"nav_items": []}
        return {"nav_items": nav_for(current_user, app.view_functions)}

    app.jinja_env.filters["local_date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    # Stored datetimes are naive UTC; Flask-Babel shows them in Asia/Shanghai.
    app.jinja_env.filters["local_datetime"] = (
        lambda value, fmt="short": format_datetime(value, fmt) if value else ""
    )
