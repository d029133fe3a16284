"""The key groups on the child (重点群体): 三类人群 of 《实施方案》四、11 — 心理健康问题学生,
问题家庭学生, 留守学生 — and 有精神病史学生, with the national guidance's 单亲 and 困境.

Where each comes from, so none is a copy that can drift:
- 留守, 单亲, 困境, 问题家庭: columns of the child. 留守 is also what the left-behind register
  says: a database trigger (migration 0021) tags the child whenever a file is filed or moved.
- 心理健康问题: derived, asked in the query: the child has an open 一生一策 case. (A screening
  warning joins this condition when screening lands.)
- 精神病史: derived from its own row (models.PsychiatricHistory), which only psychology
  teachers write.
Who may see which is access.key_groups_seen; this module only says what each means.
"""
from functools import reduce
from operator import or_

from ..models import Case, Child, PsychiatricHistory

# Display order: the plan's three groups, then its 精神病史, then the national guidance's tags.
GROUPS = ("mental_health", "problem_family", "left_behind", "psychiatric_history", "single_parent", "in_difficulty")
STORED = ("left_behind", "single_parent", "in_difficulty", "problem_family")  # columns of Child
DERIVED = ("mental_health", "psychiatric_history")


# Asked as "id IN (the few children with one)", not as a lookup per child: the open cases and the
# histories are thousands where the children are hundreds of thousands, so both databases
# gather them once (SQLite an ephemeral index, PostgreSQL a hashed subplan).
def on_open_case():
    return Child.id.in_(Case.select(Case.child).where(Case.status == "open"))


def has_psychiatric_history():
    return Child.id.in_(PsychiatricHistory.select(PsychiatricHistory.child))


def condition(group):
    """The SQL condition "the child of the outer query is in `group`"."""
    if group == "mental_health":
        return on_open_case()
    if group == "psychiatric_history":
        return has_psychiatric_history()
    return getattr(Child, group)


def in_any_key_group():
    """The home-visit rule's key group (visits.rules.in_key_group, in SQL): every group counts,
    精神病史 included, whoever looks."""
    return reduce(or_, [condition(group) for group in GROUPS])


def with_derived(query, groups):
    """`query` (of children) with a column per derived group of `groups`, as `kg_<group>`."""
    columns = [condition(group).alias(f"kg_{group}") for group in groups if group in DERIVED]
    return query.select_extend(*columns) if columns else query


def groups_of(child, seen, case_ids=None, history_ids=None):
    """The groups of `seen` (what the viewer may see) the child is in. Derived groups come from
    `with_derived` columns, or from the sets of ids given (`case_ids`, `history_ids`)."""
    found = []
    for group in seen:
        if group in STORED:
            member = getattr(child, group, False)
        elif group == "mental_health" and case_ids is not None:
            member = child.id in case_ids
        elif group == "psychiatric_history" and history_ids is not None:
            member = child.id in history_ids
        else:
            member = getattr(child, f"kg_{group}", False)
        if member:
            found.append(group)
    return found
