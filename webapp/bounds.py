"""What a request may name: ids the database can hold, page numbers, days in a sane window.

A number past 2⁶³ − 1 cannot be bound as an SQLite integer or a PostgreSQL bigint, and a day
in year 1 or 9999 overflows the first date arithmetic done with it; both used to reach the
database or the calendar and end in a 500. Here they are refused where the request is read:
a path id out of range matches no route (404), a query-string number out of range counts as
absent, a day outside the window is a form error or absent.
"""
from datetime import date, timedelta

from werkzeug.routing import IntegerConverter

from .clock import today

LARGEST_ID = 2 ** 63 - 1
# A page past this is past every list the app shows; its OFFSET must still fit a bigint.
LAST_PAGE = 100_000
# No record of the programme is older than this (the county's plan dates from 2022).
EARLIEST_DAY = date(2000, 1, 1)
# How far ahead a day may be named in a URL or a planned period (next year's terms, a month view).
AHEAD = timedelta(days=366)


class RecordIdConverter(IntegerConverter):
    """Werkzeug's `int`, bounded by what the database can hold: `/cases/<huge>` is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def record_id(text):
    """A query-string id (`request.args.get("school", type=record_id)`): out of range raises
    ValueError, which Flask's `type=` turns into "absent" (the default)."""
    number = int(text)
    if not 0 < number <= LARGEST_ID:
        raise ValueError(f"id out of range: {text[:30]}")
    return number


def page_number(text):
    """A list's ?page=; out of range counts as absent (the first page)."""
    number = int(text)
    if not 1 <= number <= LAST_PAGE:
        raise ValueError(f"page out of range: {text[:30]}")
    return number


def latest_day():
    return today() + AHEAD


def in_window(day):
    """Whether a day named by a URL or a planned period is one the app can mean."""
    return day is not None and EARLIEST_DAY <= day <= latest_day()


def init_app(app):
    """Every `<int:...>` of the app's routes is bounded; must run before routes are added."""
    app.url_map.converters["int"] = RecordIdConverter
