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
        return query.where(
            Child.name_initials.startswith(needle) | Child.name_pinyin.startswith(needle)
        )
    return query.where(Child.name.contains(needle))
