"""The numbers of the screening the county may change: the instruments' thresholds and the
follow-up deadlines (《实施方案》四、8 leaves them to the county). Each edit is audited and kept
as a change, which the round pages show."""
from datetime import UTC, datetime, time, timedelta

from .. import audit
from ..clock import LOCAL_TZ, to_local
from ..models import ScreeningSetting, ScreeningSettingChange
from . import instruments

# Deadlines of a 测评预警 in school days (Monday–Friday) from the day it is raised; a critical
# answer is due the same day. And how many weeks after a 关注 result a re-screening is offered.
DEADLINE_DEFAULTS = {"due.high": 1, "due.key": 3, "due.attention": 7, "rescreen.weeks": 6}
LIMITS = {"due": (0, 30), "rescreen": (1, 52), "threshold": (0, 90)}


def defaults():
    return {**instruments.default_settings(), **DEADLINE_DEFAULTS}


def current():
    """{name: value} in force: the county's values over the defaults (one query)."""
    values = defaults()
    values.update({s.name: s.value for s in ScreeningSetting.select()})
    return values


def limits_of(name):
    return LIMITS.get(name.split(".")[0], LIMITS["threshold"])


def change(name, value, user):
    """Set one value; audited and kept as a change. Returns False when nothing changed."""
    old = current()[name]
    if old == value:
        return False
    ScreeningSetting.insert(name=name, value=value).on_conflict(
        conflict_target=[ScreeningSetting.name], update={ScreeningSetting.value: value}).execute()
    ScreeningSettingChange.create(name=name, old_value=old, new_value=value, changed_by=user)
    audit.record("screening_setting", object_type="ScreeningSetting", setting=name, old=old, new=value)
    return True


def add_school_days(day, count):
    """The school day `count` school days after `day` (Saturday and Sunday skipped)."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_at(raised_at, level, critical, values):
    """When a warning's follow-up interview is due: the end of the county's day (naive UTC)."""
    day = to_local(raised_at).date()
    if not critical:
        day = add_school_days(day, values.get(f"due.{level}", DEADLINE_DEFAULTS.get(f"due.{level}", 7)))
    end = datetime.combine(day, time(23, 59), tzinfo=LOCAL_TZ)
    return end.astimezone(UTC).replace(tzinfo=None)
