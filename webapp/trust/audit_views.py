"""`/audit/`: the county searches the append-only audit log and exports what it found."""
from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from .. import audit
from ..access import allow
from ..bounds import LARGEST_ID, page_number
from ..clock import LOCAL_TZ, to_local, today
from ..db import one_page
from ..forms import AppForm, in_date_window
from ..models import AuditEvent
from ..web import render
from ..xlsx import safe_cell, workbook_response
from . import probing
from .audit_labels import action_label

bp = Blueprint("audit_log", __name__, url_prefix="/audit")
PER_PAGE = 100
EXPORT_LIMIT = 100_000


class AuditSearchForm(AppForm):
    class Meta:
        csrf = False  # a read-only search by GET; it changes nothing

    username = StringField(_l("Username"), validators=[Optional(), Length(max=40)])
    child = IntegerField(_l("Child id"), validators=[Optional(), NumberRange(
        min=1, max=LARGEST_ID, message=_l("A child id is a number such as 105."))])
    action = SelectField(_l("Action"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional(), in_date_window])
    until = DateField(_l("To"), validators=[Optional(), in_date_window])


def _utc_start(day):
    """The UTC moment a local (Asia/Shanghai) day starts."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _search(form):
    query = AuditEvent.select()
    if form.username.data:
        query = query.where(AuditEvent.username == form.username.data.strip())
    if form.child.data:
        query = query.where(AuditEvent.child_id == form.child.data)
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.since.data:
        query = query.where(AuditEvent.at >= _utc_start(form.since.data))
    if form.until.data:
        query = query.where(AuditEvent.at < _utc_start(form.until.data + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _form():
    form = AuditSearchForm(request.args)
    actions = [a for (a,) in AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action).tuples()]
    form.action.choices = [SelectChoice("", "—")] + [SelectChoice(a, action_label(a)) for a in actions]
    form.validate()
    return form


@bp.route("/")
@allow("county")
def index():
    return _page(_form())


def _page(form):
    """The search page; a filter it cannot use (a date outside the window, a made-up child id)
    is shown with its message, and nothing is searched (422)."""
    page = request.args.get("page", 1, type=page_number)
    rows = list(one_page(_search(form), page, PER_PAGE)) if not form.errors else []
    return render("audit/index.html", form=form, events=rows[:PER_PAGE], page=page,
                  has_more=len(rows) > PER_PAGE, today=today(), probing=probing.warnings(),
                  query_string=request.query_string.decode("ascii", "ignore")), 422 if form.errors else 200


@bp.route("/export.xlsx")
@allow("county")
def export():
    form = _form()
    if form.errors:
        return _page(form)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(["时间", "用户", "操作", "对象", "对象编号", "儿童编号", "地址", "详情"])
    count = 0
    for event in _search(form).limit(EXPORT_LIMIT).iterator():
        sheet.append([
            to_local(event.at).replace(tzinfo=None), safe_cell(event.username), safe_cell(event.action),
            safe_cell(event.object_type), event.object_id, event.child_id, safe_cell(event.address),
            safe_cell(event.detail),
        ])
        count += 1
    audit.record("export_audit", rows=count)
    return workbook_response(workbook, f"audit-{today().isoformat()}.xlsx")
