"""The county's requirements: rows it edits (count, period, in use), the plan's defaults until
its first change, each with the § of 《实施方案》 it comes from."""
from peewee import IntegrityError

from ..db import db
from ..models import Requirement
from . import rules


def _default_rows():
    return [Requirement(position=n, active=True, **d._asdict()) for n, d in enumerate(rules.DEFAULTS)]


def all_requirements():
    """Every requirement, in use or not, in the plan's order; the defaults until the first change."""
    rows = list(Requirement.select().order_by(Requirement.position, Requirement.id))
    return rows or _default_rows()


def active_requirements():
    return [r for r in all_requirements() if r.active]


def seed():
    """Store the defaults, so that they can be changed (once; a concurrent seed is harmless)."""
    if Requirement.select().exists():
        return
    try:
        with db.atomic():
            Requirement.insert_many([{**d._asdict(), "position": n} for n, d in enumerate(rules.DEFAULTS)]).execute()
    except IntegrityError:
        pass
