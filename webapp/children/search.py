"""Finding a child by name, pinyin initials ("zs") or full pinyin ("zhangsan")."""
import re

from peewee import OP, SQL, Expression, NodeList, Table, fn

from ..db import is_sqlite
from ..models import Child

_LATIN = re.compile(r"^[a-z]+$")
# SQLite: each child's one- and two-character name pieces, kept by migration 0037's triggers.
_PIECES = Table("child_name_gram", ("gram", "child_id"))


def normalise(text):
    # Spaces and LIKE's wildcards go: no name holds them, and a typed "%" must not match all.
    return re.sub(r"[\s%_\\]+", "", (text or "")).lower()[:40]


def search_terms(text):
    """What the user typed, as (kind, low, high) for `narrow`: ("", None, None) for nothing;
    ("prefix", p, p + "{") for pinyin or initials starting with p; ("name", "%t%", t) for
    a name holding t."""
    needle = normalise(text)
    if not needle:
        return "", None, None
    if _LATIN.match(needle):
        # A prefix as a range ("zs" <= x < "zs{"; "{" sorts right after "z"), so both databases
        # answer from the indexes; LIKE 'zs%' is case-insensitive in SQLite and cannot.
        return "prefix", needle, needle + "{"
    return "name", f"%{needle}%", needle


def narrow(query, kind, low, high):
    """Narrow a children query by search terms (`search_terms`); no kind leaves it as it is."""
    if kind == "prefix":
        return query.where(
            ((Child.name_initials >= low) & (Child.name_initials < high))
            | ((Child.name_pinyin >= low) & (Child.name_pinyin < high))
        )
    if kind == "name":
        holding = Expression(Child.name, OP.ILIKE, low)
        if is_sqlite():
            # The children whose name holds the text's first piece (two characters, or the one
            # typed), from the table of pieces; LIKE then checks those few, not every child.
            first = _PIECES.select(_PIECES.child_id).where(_PIECES.gram == fn.substr(high, 1, 2))
            return query.where(holding & Child.id.in_(first))
        # PostgreSQL first takes from the index of names' one- and two-character pieces
        # (migration 0037) the names holding every piece of the text, then checks those few;
        # ILIKE alone reads every child, and a trigram index cannot serve two characters.
        pieces = Expression(fn.child_name_grams(Child.name), "@>", fn.child_name_grams(high))
        return query.where(holding & pieces)
    return query


def in_pinyin_order(scope, text):
    """The ids of the children of `scope` (a children query) that match `text`, by pinyin then
    id: what a page of the list is cut from, before its children are read in full (sorting
    thousands of whole rows with their class and village cost more than finding them)."""
    kind, low, high = search_terms(text)
    if kind == "prefix" and not is_sqlite():
        # PostgreSQL answers the two ranges OR-ed by walking the pinyin index from "a" until
        # enough rows match, expecting matches spread evenly (≈170,000 rows read for "wang");
        # as a union of the two index ranges it reads only the matches. SQLite does the
        # opposite: it merges the OR-ed ranges well and sorts a UNION slowly. The initials'
        # range leaves out what the pinyin's holds, so UNION ALL joins them without comparing
        # every row to drop the doubles ("wang", the county: 5.7 -> 2.3 ms).
        by_initials = (Child.name_initials >= low) & (Child.name_initials < high)
        by_pinyin = (Child.name_pinyin >= low) & (Child.name_pinyin < high)
        columns = (Child.id, Child.name_pinyin)
        matches = (scope.select(*columns).where(by_initials & ~by_pinyin)
                   + scope.select(*columns).where(by_pinyin)).alias("matches")
        return matches.select_from(matches.c.id).order_by(matches.c.name_pinyin, matches.c.id)
    if kind == "name" and is_sqlite():
        # SQLite would walk the pinyin index in order, testing children one by one until enough
        # names match (every child of the county for a rare name: about 0.5 s) rather than
        # fetch the few the pieces name and sort them; "+" keeps that index out of the order.
        unindexed = NodeList((SQL("+"), Child.name_pinyin), glue="")
        return narrow(scope, kind, low, high).select(Child.id).order_by(unindexed, Child.id)
    return narrow(scope, kind, low, high).select(Child.id).order_by(Child.name_pinyin, Child.id)
