"""Finding a village by the name written in an import file: "一村" or, when two townships
have one, "渠江街道/一村"."""
import re

from flask_babel import lazy_gettext as _l

from ..models import Township, Village

SEPARATOR = re.compile(r"\s*[/／]\s*")


class VillageFinder:
    """All villages loaded once, so a file of a thousand rows costs one query."""

    def __init__(self):
        self.by_name, self.by_full_name = {}, {}
        for village in Village.select(Village, Township).join(Township):
            self.by_name.setdefault(village.name, []).append(village)
            self.by_full_name[(village.township.name, village.name)] = village

    def find(self, text):
        """(village, None), or (None, message) where the message takes the line and the value."""
        unknown = _l("Line %(line)s: there is no village “%(value)s”.")
        parts = SEPARATOR.split(text.strip())
        if len(parts) == 2:
            village = self.by_full_name.get(tuple(parts))
            return (village, None) if village else (None, unknown)
        matches = self.by_name.get(text.strip(), [])
        if len(matches) == 1:
            return matches[0], None
        if not matches:
            return None, unknown
        return None, _l(
            "Line %(line)s: several townships have a village “%(value)s”; write township/village."
        )
