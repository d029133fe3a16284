"""Finding a child by name, pinyin initials ("zs") or full pinyin ("zhangsan")."""
import re

from peewee import OP, Expression

from ..models import Child

_LATIN = re.compile(r"^[a-z]+$")


def normalise(text):
    # Spaces and LIKE's wildcards go: no name holds them, and a typed "%" must not match all.
    return re.sub(r"[\s%_\\]+", "", (text or "")).lower()[:40]


def search_terms(text):
    """What the user typed, as (kind, low, high) for `narrow`: ("", None, None) for nothing;
    ("prefix", p, p + "{") for pinyin or initials starting with p; ("name", "%t%", None) for
    a name holding t."""
    needle = normalise(text)
    if not needle:
        return "", None, None
    if _LATIN.match(needle):
        # A prefix as a range ("zs" <= x < "zs{"; "{" sorts right after "z"), so both databases
        # answer from the indexes; LIKE 'zs%' is case-insensitive in SQLite and cannot.
        return "prefix", needle, needle + "{"
    return "name", f"%{needle}%", None


def narrow(query, kind, low, high):
    """Narrow a children query by search terms (`search_terms`); no kind leaves it as it is."""
    if kind == "prefix":
        return query.where(
            ((Child.name_initials >= low) & (Child.name_initials < high))
            | ((Child.name_pinyin >= low) & (Child.name_pinyin < high))
        )
    if kind == "name":
        return query.where(Expression(Child.name, OP.ILIKE, low))
    return query


def search_children(query, text):
    """Narrow a children query by what the user typed; empty text leaves it as it is."""
    return narrow(query, *search_terms(text))
