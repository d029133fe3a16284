"""Finding a child by name, pinyin initials ("zs") or full pinyin ("zhangsan")."""
import re

from ..models import Child

_LATIN = re.compile(r"^[a-z]+$")


def normalise(text):
    return re.sub(r"\s+", "", (text or "")).lower()[:40]


def search_children(query, text):
    """Narrow a children query by what the user typed; empty text leaves it as it is."""
    needle = normalise(text)
    if not needle:
        return query
    if _LATIN.match(needle):
        # A prefix as a range ("zs" <= x < "zs{"; "{" sorts right after "z"), so both databases
        # answer from the indexes; LIKE 'zs%' is case-insensitive in SQLite and cannot.
        end = needle + "{"
        return query.where(
            ((Child.name_initials >= needle) & (Child.name_initials < end))
            | ((Child.name_pinyin >= needle) & (Child.name_pinyin < end))
        )
    return query.where(Child.name.contains(needle))
