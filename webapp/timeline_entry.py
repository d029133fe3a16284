"""One line of a child's chronology. On its own, below chronology.py and every capability's
timeline, so the timelines build entries without importing the module that gathers them."""
from datetime import datetime
from typing import NamedTuple


class Entry(NamedTuple):
    when: datetime
    kind: str  # a code the template turns into words and an icon
    title: str
    detail: str = ""
    url: str | None = None
    badge: str = ""
