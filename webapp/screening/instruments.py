"""Instruments as data: each instruments/<code>.json holds the items, options, scores, subscales,
default thresholds and the rule from a result to a risk level; this module only reads and applies
them. Plain functions of plain values, tested without HTTP."""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import has_request_context
from flask_babel import get_locale

HERE = Path(__file__).resolve().parent / "instruments"
ORDER = ("phq9", "gad7", "mht")
LEVELS = ("general", "attention", "key", "high")  # the app's risk levels: 一般 / 关注 / 重点 / 高危


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short: str
    source: str
    administered: bool
    audiences: tuple
    intro: str
    options: tuple
    items: tuple
    total_max: int
    subscales: tuple
    bands: tuple
    thresholds: dict
    subscale_thresholds: dict
    level_rule: str

    @property
    def critical_items(self):
        """Positions (0-based) of the items where an answer from `critical_from` up needs same-day contact."""
        return tuple(i for i, item in enumerate(self.items) if "critical_from" in item)

    def band(self, total):
        label = self.bands[0]["label"]
        for band in self.bands:
            if total >= band["from"]:
                label = band["label"]
        return label

    def setting_names(self):
        """The thresholds the county may change, as setting names ("phq9.key", "mht.sub.attention")."""
        return [f"{self.code}.{level}" for level in self.thresholds] + [
            f"{self.code}.sub.{level}" for level in self.subscale_thresholds]


@cache
def _load(code, lang="zh"):
    """The instrument in Chinese (its standard version, what pupils and teachers answer) or, for a
    reader who chose English, with the English of its original ("en" in the file)."""
    data = json.loads((HERE / f"{code}.json").read_text(encoding="utf-8"))
    en = data.get("en", {}) if lang == "en" else {}
    options = [dict(o, label=label) for o, label in zip(data.get("options", ()), en["options"], strict=True)] \
        if en.get("options") else data.get("options", ())
    items = [dict(i, text=text) for i, text in zip(data.get("items", ()), en["items"], strict=True)] \
        if en.get("items") else data.get("items", ())
    subscales = [dict(s, name=name) for s, name in zip(data.get("subscales", ()), en["subscales"], strict=True)] \
        if en.get("subscales") else data.get("subscales", ())
    bands = [dict(b, label=label) for b, label in zip(data["bands"], en["bands"], strict=True)] \
        if en.get("bands") else data["bands"]
    return Instrument(
        code=data["code"], name=en.get("name", data["name"]), short=data["short"], source=data["source"],
        administered=data["administered"], audiences=tuple(data["audiences"]),
        intro=en.get("intro", data.get("intro", "")), options=tuple(options), items=tuple(items),
        total_max=data["total_max"], subscales=tuple(subscales), bands=tuple(bands),
        thresholds=dict(data["thresholds"]), subscale_thresholds=dict(data.get("subscale_thresholds", {})),
        level_rule=en.get("level_rule", data["level_rule"]),
    )


def reader_lang():
    """"en" for a reader who chose English, else "zh" (and outside a request)."""
    if not has_request_context():
        return "zh"
    return "en" if str(get_locale() or "").startswith("en") else "zh"


def get(code, lang=None):
    """The instrument of that code (in the reader's language unless `lang`), or None."""
    return _load(code, lang or reader_lang()) if code in ORDER else None


def all_instruments(lang=None):
    return [get(code, lang) for code in ORDER]


def default_settings():
    """{setting name: default value} of every instrument's thresholds."""
    values = {}
    for instrument in all_instruments():
        values.update({f"{instrument.code}.{k}": v for k, v in instrument.thresholds.items()})
        values.update({f"{instrument.code}.sub.{k}": v for k, v in instrument.subscale_thresholds.items()})
    return values


def thresholds_of(instrument, settings):
    """(total thresholds, subscale thresholds) in force: the county's settings over the defaults."""
    total = {k: settings.get(f"{instrument.code}.{k}", v) for k, v in instrument.thresholds.items()}
    sub = {k: settings.get(f"{instrument.code}.sub.{k}", v) for k, v in instrument.subscale_thresholds.items()}
    return total, sub


def _higher(a, b):
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def level_for(instrument, total, subscales=None, settings=None):
    """The risk level of a result: the highest level whose total threshold is reached, raised to
    at least the level of any subscale threshold reached (MHT: a subscale ≥ 8 means 关注)."""
    total_thresholds, sub_thresholds = thresholds_of(instrument, settings or {})
    level = "general"
    for name, threshold in total_thresholds.items():
        if total >= threshold:
            level = _higher(name, level)
    for name, threshold in sub_thresholds.items():
        if any(score >= threshold for score in (subscales or {}).values()):
            level = _higher(name, level)
    return level


def score_answers(instrument, answers):
    """(total, critical) of a list of option scores, one per item. Raises ValueError when an item is
    unanswered or a score is not one of the options'."""
    allowed = {option["score"] for option in instrument.options}
    if len(answers) != len(instrument.items) or any(a not in allowed for a in answers):
        raise ValueError("every item needs one of its options")
    critical = any(answers[i] >= instrument.items[i]["critical_from"] for i in instrument.critical_items)
    return sum(answers), critical


def check_scores(instrument, total, subscales):
    """A reason the scores cannot be right (a gettext-free code), or None: totals and subscales
    within their ranges, and for an instrument with subscales the total is their sum."""
    if not 0 <= total <= instrument.total_max:
        return "total_range"
    if instrument.subscales:
        for sub in instrument.subscales:
            score = subscales.get(sub["code"])
            if score is None:
                continue
            if not 0 <= score <= sub["max"]:
                return "subscale_range"
        if len(subscales) == len(instrument.subscales) and sum(subscales.values()) != total:
            return "subscale_sum"
    return None
