"""Times on long lists: each day is formatted once, not once per row (the county's concern list
spent a third of its template in Babel), and the text is Flask-Babel's own."""
from datetime import datetime

from babel import dates as babel_dates
from flask_babel import force_locale, format_datetime

from webapp.models import Concern

from .safeguarding_steps import raise_concern


def test_the_county_list_formats_each_day_once_not_each_concern(app, county, login_as, clock, monkeypatch):
    kids = county.kids
    for teacher, child in [("head1", kids.zhang_san), ("head1", kids.li_si), ("head2", kids.wang_wu),
                           ("head2", kids.zhao_liu)]:
        for urgency in ("normal", "soon"):
            assert raise_concern(login_as(teacher), child, urgency=urgency).status_code == 200
    # Eight concerns over two days: the first yesterday, the others a minute apart today.
    for number, concern in enumerate(Concern.select().order_by(Concern.id)):
        received = datetime(2026, 11, 17, 1, 0) if number == 0 else datetime(2026, 11, 18, 1, number)
        Concern.update(received_at=received).where(Concern.id == concern.id).execute()
    reader = login_as("county")
    days = []
    real_format_date = babel_dates.format_date
    monkeypatch.setattr(babel_dates, "format_date", lambda *a, **k: days.append(a[0]) or real_format_date(*a, **k))
    page = reader.get("/concerns/").get_data(as_text=True)
    assert "2026/11/18 09:01" in page and "2026/11/17 09:00" in page  # Asia/Shanghai
    assert len(days) <= 2


def test_a_time_reads_as_flask_babel_writes_it_in_both_languages(app):
    values = [datetime(2026, 11, 17, 15, 59, 30), datetime(2026, 11, 17, 16, 0), datetime(2026, 12, 31, 23, 59, 59)]
    with app.test_request_context():
        shown = app.jinja_env.filters["local_datetime"]
        for language in ("zh_Hans_CN", "en"):
            with force_locale(language):
                for fmt in ("short", "medium", "long", "full", "yyyy-MM-dd HH:mm"):
                    for value in values:
                        assert shown(value, fmt) == format_datetime(value, fmt), (language, fmt, value)
                assert shown(None) == ""
