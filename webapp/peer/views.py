"""The committee member's pages: `/peer/weekly`, `/peer/support/new`, `/peer/concern/new`, `/peer/mine`.
Pupils write here and see only their own entries' status; they never browse anybody's records."""
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import allow
from ..clock import today
from ..models import SUPPORT_TOPICS, ReportMention, WeeklyReport
from ..pwa import offline_page
from ..web import render
from . import bp, rules, service, views_staff  # noqa: F401 - the teachers' routes
from .forms import MAX_MENTIONS, NilForm, PeerConcernForm, SupportForm, WeeklyForm, parse_week
from .overview import classmate_list, pupil_submissions, week_label

bp.add_app_template_global(week_label)


def _pupil():
    """The signed-in committee member and her class (a member without a class has nowhere to report)."""
    user = current_user._get_current_object()
    child = user.child
    if child is None or child.school_class_id is None:
        abort(404)
    return user, child.school_class


def _offer(field, kids, empty_label):
    field.choices = [SelectChoice("", empty_label)] + [SelectChoice(kid.id, kid.name) for kid in kids]


def _week_asked(form_monday):
    """The week on the form; on first showing, this week (or last week when the pupil chose it)."""
    if form_monday is not None:
        return form_monday
    this_week = rules.week_start(today())
    return rules.previous_week(this_week) if request.args.get("week") == "last" else this_week


@bp.route("/weekly", methods=["GET", "POST"])
@allow("committee")
@offline_page
def weekly():
    user, school_class = _pupil()
    action = request.form.get("action") if request.method == "POST" else None
    if action == "nil" and not _has_content(request.form):
        return _nil_report(user, school_class)
    if action in ("send", "nil"):
        # A replay (the phone's outbox, a double tap) finds its entry before any check: the week
        # may have changed since (her own report is now "the week's"), the answer must not.
        repeat = service.earlier_report(request.form.get("client_uuid", ""), user)
        if repeat is not None:
            return _saved_report(repeat, False)
    kids = classmate_list(user)
    form = WeeklyForm(classmate_ids=[kid.id for kid in kids])
    monday = _week_asked(form.monday() if form.is_submitted() else None)
    main = service.week_parts(school_class.id, monday).where(WeeklyReport.part == 0).first()
    form.supplement = main is not None
    form.week.data = form.week.data or monday.isoformat()
    for row in form.mentions:
        _offer(row.form.child, kids, _("Choose a classmate"))
    status = 200
    if action == "add":
        if len(form.mentions) < MAX_MENTIONS:
            form.mentions.append_entry()
            _offer(form.mentions[-1].form.child, kids, _("Choose a classmate"))
    elif action == "nil":
        # "Nothing special" although she wrote something: never drop what she wrote.
        form.form_errors.append(_("You have written something, so please press “Send” at the bottom."))
        status = 422
    elif form.validate_on_submit():
        children = {kid.id: kid for kid in kids}
        mentions = [dict(mention, child=children[mention["child"]]) for mention in form.named()]
        report, created = service.submit_weekly(
            user, school_class, form.monday(), False, form.mood.data, (form.events.data or "").strip(), mentions,
            form.device_time(), form.client_uuid.data,
        )
        return _saved_report(report, created)
    elif form.is_submitted():
        status = 422
    this_week = rules.week_start(today())
    last_missing = monday == this_week and not service.week_parts(
        school_class.id, rules.previous_week(this_week)).exists()
    return render(
        "peer/weekly.html", form=form, main=main, monday=monday, this_week=this_week, last_missing=last_missing,
        school_class=school_class, max_mentions=MAX_MENTIONS,
    ), status


def _has_content(data):
    """Anything typed or chosen on the weekly form beyond its defaults."""
    return bool(data.get("mood") or (data.get("events") or "").strip() or any(
        value.strip() for name, value in data.items(multi=True)
        if name.startswith("mentions-") and name.endswith(("-child", "-noticed"))
    ))


def _nil_report(user, school_class):
    """本周无特殊情况 in one tap. Nothing was typed, so a refusal has no input to keep: the page
    says why and leads back to the report."""
    form = NilForm()
    repeat = service.earlier_report(form.client_uuid.data or "", user)
    if repeat is not None:
        return _saved_report(repeat, False)
    if not form.validate_on_submit():
        return _refused(_("Something was missing. Please go back and tap the button again."))
    monday = parse_week(form.week.data)
    problem = "bad" if monday is None else rules.week_problem(monday, today())
    if problem == "future":
        return _refused(_("That week has not started yet. You can only report on this week or last week."))
    if problem:
        return _refused(_("That week is too long ago. You can only report on this week or last week."))
    main = service.week_parts(school_class.id, monday).where(WeeklyReport.part == 0).first()
    if main is not None:
        return render("peer/already.html", main=main, is_last_week=monday != rules.week_start(today()))
    report, created = service.submit_weekly(user, school_class, monday, True, None, "", [], form.device_time(),
                                            form.client_uuid.data)
    return _saved_report(report, created)


def _refused(message):
    return render("peer/message.html", title=_("Weekly class report"), message=message), 422


def _saved_report(report, created):
    urgent = report.mentions.where(ReportMention.urgency == "urgent").exists()
    return render("peer/saved.html", kind="supplement" if report.part else "weekly", created=created,
                  became_supplement=created and report.part > 0, urgent=urgent, report=report)


@bp.route("/support/new", methods=["GET", "POST"])
@allow("committee")
@offline_page
def support_new():
    user, school_class = _pupil()
    kids = classmate_list(user)
    form = SupportForm(classmate_ids=[kid.id for kid in kids])
    _offer(form.child, kids, _("I'd rather not say"))
    if form.validate_on_submit():
        child = next((kid for kid in kids if kid.id == form.child.data), None)
        topics = [code for code in SUPPORT_TOPICS if code in form.topics.data]
        entry, created = service.log_support(
            user, school_class, child, topics, (form.about.data or "").strip(), form.done.data.strip(),
            bool(form.tell_teacher.data), form.device_time(), form.client_uuid.data,
        )
        return render("peer/saved.html", kind="support", created=created, became_supplement=False, urgent=False)
    status = 422 if form.is_submitted() else 200
    return render("peer/support.html", form=form), status


@bp.route("/concern/new", methods=["GET", "POST"])
@allow("committee")
@offline_page
def concern_new():
    """Two steps when it is 紧急: first "tell the nearest teacher now", then the final 发送."""
    user, _class = _pupil()
    kids = classmate_list(user)
    form = PeerConcernForm(classmate_ids=[kid.id for kid in kids])
    _offer(form.child, kids, _("Choose a classmate"))
    if form.is_submitted() and request.form.get("action") == "edit":
        form.confirmed.data = ""
        return render("peer/concern.html", form=form)
    if form.validate_on_submit():
        if form.urgency.data == "urgent" and form.confirmed.data != "yes":
            return render("peer/concern_urgent.html", form=form)
        child = next(kid for kid in kids if kid.id == form.child.data)
        concern, created = service.raise_peer_concern(
            user, child, form.urgency.data, form.description.data.strip(), form.device_time(), form.client_uuid.data,
        )
        return render("peer/saved.html", kind="concern", created=created, became_supplement=False,
                      urgent=concern.urgency == "urgent")
    status = 422 if form.is_submitted() else 200
    return render("peer/concern.html", form=form), status


@bp.route("/mine")
@allow("committee")
@offline_page
def mine():
    user = current_user._get_current_object()
    return render("peer/mine.html", items=pupil_submissions(user))
