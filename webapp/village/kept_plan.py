"""A village's duty plan of the day, kept beside its dashboard tally (migration 0010).

The child worker's home and duty page show her villages' plan: every left-behind child's
duties, worked out from a year of check-ins and activities (≈3 ms for a village of ninety
children, on every visit). The dashboards' village tally is computed from that same plan, and
the triggers of migration 0007 delete it on any write to a record the plan reads (a check-in, an
activity, a file, a child, a duty rule); so the plan is kept in the tally's detail and read back
while the tally stands. The copy holds children's names: any write to a child deletes her
village's tally, and the tick forgets earlier days.
"""
import json
from datetime import date, datetime

from .. import tallies
from ..dashboard.metrics import village_duty_figures
from ..models import Village
from . import rules
from .duties import Plan, Registered, plan_for


def _text(value):
    return value.isoformat() if value is not None else None


def _details(plan):
    """{village id: its part of `plan`, as JSON}, in one pass over the plan (a county's plan
    holds tens of thousands of children)."""
    rules_kept = [list(rule) for rule in plan.rules]
    rule_index = {rule: n for n, rule in enumerate(plan.rules)}
    parts = {v: {"rules": rules_kept, "children": [], "duties": []} for v in plan.villages}
    for c in plan.children.values():
        parts[c.village_id]["children"].append([c.id, c.name, c.village_id, c.school_id, _text(c.created_at),
                                                c.file_id, _text(c.confirmed_on), c.school_text, _text(c.filed_at)])
    for d in plan.duties:
        village = plan.children[d.target].village_id if d.rule.per == "child" else d.target
        parts[village]["duties"].append([rule_index[d.rule], d.target, d.state, d.done, _text(d.due_by)])
    return {v: json.dumps(part, ensure_ascii=False) for v, part in parts.items()}


def village_day(village_ids, day):
    """{village id: tallies.Kept(figures, plan)}: each village's dashboard figures
    (metrics.duties_by_village) and its plan, from one computation."""
    plan = plan_for(Village.select().where(Village.id.in_(list(village_ids))).order_by(Village.name), day)
    figures, details = village_duty_figures(plan), _details(plan)
    return {v: tallies.Kept(figures[v], details[v]) for v in plan.villages}


def _when(value, kind):
    return kind.fromisoformat(value) if value is not None else None


def plan_of(villages, day):
    """plan_for(villages, day), read from the villages' tallies (computed and kept if missing)."""
    villages = {v.id: v for v in villages}
    found, children, duties = None, {}, []
    for detail in tallies.details("village", list(villages), day, village_day).values():
        kept = json.loads(detail)
        found = found or [rules.Rule(*rule) for rule in kept["rules"]]
        for c in kept["children"]:
            children[c[0]] = Registered(*c[:4], _when(c[4], datetime), c[5], _when(c[6], date), c[7],
                                        _when(c[8], datetime))
        duties += [rules.Duty(found[n], target, state, done, _when(due_by, date))
                   for n, target, state, done, due_by in kept["duties"]]
    return Plan(found or [], children, villages, duties)
