"""`/checkins/rules`: the county sets the child workers' duty plan (what, per child or village, how often)."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError
from wtforms import BooleanField, HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from .. import audit
from ..access import allow
from ..concerns.forms import choices
from ..db import db
from ..forms import AppForm
from ..labels import DUTY_KIND_LABELS, DUTY_PER_LABELS, FREQUENCY_LABELS
from ..models import DutyRule
from ..web import render
from . import rules

bp = Blueprint("duty_rules", __name__, url_prefix="/checkins/rules")


class RuleForm(AppForm):
    key = HiddenField()  # kind:per:frequency of the rule being changed; empty for a new one
    kind = SelectField(_l("Duty"), choices=choices(DUTY_KIND_LABELS), validators=[DataRequired()])
    per = SelectField(_l("For"), choices=choices(DUTY_PER_LABELS), validators=[DataRequired()])
    frequency = SelectField(_l("How often"), choices=choices(FREQUENCY_LABELS), validators=[DataRequired()])
    count = IntegerField(_l("How many times"), default=1, validators=[
        InputRequired(message=_l("Please give a number from 1 to 31.")),
        NumberRange(min=1, max=31, message=_l("Please give a number from 1 to 31.")),
    ])
    active = BooleanField(_l("In use"), default=True)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # The file is kept once per child; everything else recurs.
        if (self.kind.data == "file") != (self.frequency.data == "once"):
            self.frequency.errors.append(_("The file is kept once; other duties need a week, month or term."))
            return False
        if self.kind.data == "file" and self.per.data != "child":
            self.per.errors.append(_("A file is kept for each child."))
            return False
        return valid


def all_rules():
    """Every rule, in use or not; the defaults (not yet stored) until the first change."""
    rows = list(DutyRule.select().order_by(DutyRule.id))
    if rows:
        return rows
    return [DutyRule(kind=r.kind, per=r.per, frequency=r.frequency, count=r.count, active=True)
            for r in rules.DEFAULT_RULES]


def _seed():
    """Store the defaults, so that they can be changed (once; a concurrent seed is harmless)."""
    if DutyRule.select().exists():
        return
    try:
        with db.atomic():
            DutyRule.insert_many([{"kind": r.kind, "per": r.per, "frequency": r.frequency, "count": r.count}
                                  for r in rules.DEFAULT_RULES]).execute()
    except IntegrityError:
        pass


def _page(status=200, failed=None, failed_prefix=None):
    """The plan, one small form per rule; the form that failed is shown with its errors."""
    forms = []
    for index, rule in enumerate(all_rules()):
        prefix = f"r{index}"
        forms.append((prefix, failed if prefix == failed_prefix else RuleForm(
            formdata=None, obj=rule, key=f"{rule.kind}:{rule.per}:{rule.frequency}", prefix=prefix)))
    new_form = failed if failed_prefix == "new" else RuleForm(formdata=None, prefix="new")
    return render("village/rules.html", forms=forms, new_form=new_form), status


@bp.route("/")
@allow("county")
def index():
    return _page()


@bp.route("/", methods=["POST"])
@allow("county")
def save():
    """Change a rule (its key names it) or add one (prefix "new")."""
    prefix = request.form.get("prefix", "new")
    if prefix != "new" and not (prefix[:1] == "r" and prefix[1:].isdigit()):
        abort(404)
    form = RuleForm(prefix=prefix)
    if not form.validate_on_submit():
        return _page(422, form, prefix)
    _seed()
    values = {"kind": form.kind.data, "per": form.per.data, "frequency": form.frequency.data,
              "count": form.count.data, "active": bool(form.active.data)}
    try:
        with db.atomic():
            if prefix == "new":
                rule = DutyRule.create(**values)
            else:
                kind, per, frequency = (form.key.data or "::").split(":")[:3]
                rule = DutyRule.get_or_none((DutyRule.kind == kind) & (DutyRule.per == per)
                                            & (DutyRule.frequency == frequency))
                if rule is None:
                    abort(404)
                DutyRule.update(**values).where(DutyRule.id == rule.id).execute()
    except IntegrityError:
        form.kind.errors = [_("This duty is already in the plan; change that line instead.")]
        return _page(422, form, prefix)
    audit.record("save_duty_rule", rule, **values)
    flash(_("Saved."))
    return redirect(url_for("duty_rules.index"))
