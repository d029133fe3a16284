"""What teachers read of the committee's work: `/peer/reports/` (weeks × classes), one week's
report `/peer/reports/<id>` with the head teacher's 确认, and the peer-support log `/peer/support/`.
Only the class's head teacher and the school's counsellors and principal (access.PEER_READERS)."""
from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from .. import audit
from ..access import PEER_READERS, allow, can, get_in_scope, require, visible_peer_support, visible_weekly_reports
from ..clock import today, utcnow
from ..models import Child, PeerSupport, ReportMention, SchoolClass, User, WeeklyReport
from ..web import render
from . import bp, rules, service
from .forms import ConfirmForm
from .overview import reporting_classes

WEEKS_SHOWN = 4
SUPPORT_SHOWN = 50


@bp.route("/reports/")
@allow(*PEER_READERS)
def reports():
    day = today()
    mondays = [rules.week_start(day) - timedelta(weeks=n) for n in range(WEEKS_SHOWN)]
    classes, found = reporting_classes(current_user, mondays)
    weeks = [
        {"monday": monday, "sunday": rules.week_end(monday), "rows": [
            {"school_class": c, "report": found.get((c.id, monday)),
             "missing": rules.report_missing(c.grade, monday, (c.id, monday) in found, day)}
            for c in classes
        ]}
        for monday in mondays
    ]
    return render("peer/reports.html", weeks=weeks)


def _part_or_404(report_id):
    part = get_in_scope(visible_weekly_reports(current_user), report_id)
    return require(current_user, "read_weekly_report", part)


@bp.route("/reports/<int:report_id>")
@allow(*PEER_READERS)
def report(report_id, form=None, status=200):
    """The whole week of one class: the report, its supplements, every named classmate."""
    part = _part_or_404(report_id)
    confirmer = User.alias()
    parts = list(
        service.week_parts(part.school_class_id, part.week_start).select(WeeklyReport, User, confirmer)
        .join(User, JOIN.LEFT_OUTER, on=(WeeklyReport.author == User.id))
        .switch(WeeklyReport)
        .join(confirmer, JOIN.LEFT_OUTER, on=(WeeklyReport.confirmed_by == confirmer.id))
    )
    mentions = {}
    for mention in (
        ReportMention.select(ReportMention, Child).join(Child)
        .where(ReportMention.report.in_([p.id for p in parts])).order_by(ReportMention.id)
    ):
        mentions.setdefault(mention.report_id, []).append(mention)
    # Named last week too: the two-weeks rule made it a concern even if both mentions were mild.
    last_week = {
        row.child_id for row in ReportMention.select(ReportMention.child).join(WeeklyReport).where(
            (WeeklyReport.school_class == part.school_class_id)
            & (WeeklyReport.week_start == rules.previous_week(part.week_start))
        )
    }
    user = current_user._get_current_object()
    service.mark_seen(parts, utcnow())
    audit.record("read_weekly_report", part, class_id=part.school_class_id)
    may_confirm = can(user, "confirm_weekly_report", part) and any(p.confirmed_at is None for p in parts)
    return render(
        "peer/report.html", part=part, parts=parts, mentions=mentions, school_class=part.school_class,
        sunday=rules.week_end(part.week_start), may_confirm=may_confirm, form=form or ConfirmForm(),
        raises_concern=rules.raises_concern, last_week=last_week,
    ), status


@bp.route("/reports/<int:report_id>/confirm", methods=["POST"])
@allow("head_teacher")
def confirm(report_id):
    part = _part_or_404(report_id)
    require(current_user, "confirm_weekly_report", part)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return report(report_id, form=form, status=422)
    service.confirm_week(part, current_user._get_current_object(), (form.remark.data or "").strip(), utcnow())
    flash(_("Confirmed. The committee members see that their report was taken care of."))
    if request.form.get("back") == "home":
        return redirect(url_for("home.index"))
    return redirect(url_for("peer.report", report_id=part.id))


@bp.route("/support/")
@allow(*PEER_READERS)
def support():
    """The newest peer-support entries of the classes in scope; opening the list counts as seen."""
    helped = Child.alias()
    entries = list(
        visible_peer_support(current_user).select(PeerSupport, SchoolClass, helped, User)
        .join(SchoolClass, on=(PeerSupport.school_class == SchoolClass.id))
        .switch(PeerSupport)
        .join(helped, JOIN.LEFT_OUTER, on=(PeerSupport.child == helped.id))
        .switch(PeerSupport)
        .join(User, JOIN.LEFT_OUTER, on=(PeerSupport.author == User.id))
        .order_by(PeerSupport.received_at.desc())
        .limit(SUPPORT_SHOWN)
    )
    service.mark_support_seen(entries, utcnow())
    audit.record("read_peer_support", count=len(entries))
    return render("peer/support_list.html", entries=entries)
