"""Importing a school's screening results from the platform it used (XLSX or CSV), with a review
step: `review` reads and matches every row and writes nothing; `confirm` writes the matched rows
in one transaction. Matching: 学籍号, then 身份证后六位, then name + class (+ birth date when
given). Rows of another school's pupils are refused with the reason; importing the same file
again adds nothing (each result's id is derived from round, child, instrument and date)."""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .. import audit, entry_ids
from ..admin.importer import Column, ImportFileError, RowError, parse_date, read_table
from ..clock import today, utcnow
from ..db import db
from ..models import Child, LeftBehindFile, School, SchoolClass, ScreeningResult, StudentNumber
from . import instruments, service, settings

SUBSCALE_COLUMNS = tuple(Column(s["name"], f"sub_{s['code']}", False, "0–15 的整数", "")
                         for s in instruments.get("mht").subscales)
COLUMNS = (
    Column("学籍号", "number", False, "学籍号或身份证后六位至少填一个;都没有时按姓名+班级匹配", "G510725201605010012"),
    Column("身份证后六位", "id6", False, "", "010012"),
    Column("姓名", "name", True, "", "张小花"),
    Column("班级", "class_name", True, "如 4-1 或 4年级1班", "4-1"),
    Column("出生日期", "birth_date", False, "同名时用来区分", "2016-05-01"),
    Column("学校", "school", False, "可不填;填了须是本校", ""),
    Column("量表", "instrument", True, "MHT、PHQ-9 或 GAD-7", "MHT"),
    Column("总分", "total", True, "整数", "38"),
    *SUBSCALE_COLUMNS,
    Column("测评日期", "taken_on", True, "如 2026-11-10", "2026-11-10"),
)
NOTES = ("每行一名学生的一个量表结果。导入前会先列出对不上或有重名的行,确认后才写入;同一文件再导入不会重复。",)
CLASS_PATTERN = re.compile(r"^\s*(\d{1,2})\D+(\d{1,2})\D*$")
BATCH = 500


@dataclass
class Row:
    line: int
    name: str
    class_name: str
    instrument: object
    total: int
    subscales: dict
    taken_on: object
    number: str = ""
    child: object = None
    status: str = ""  # new, unchanged, unmatched, ambiguous, refused
    reason: str = ""
    client_uuid: str = ""


@dataclass
class Review:
    """What a file holds and would do: rows by status, or the errors that stop it whole."""

    file_error: object = None
    errors: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    def of(self, status):
        return [row for row in self.rows if row.status == status]

    @property
    def ok(self):
        return self.file_error is None and not self.errors


def _instrument_of(text):
    key = re.sub(r"[\s\-_]", "", str(text)).lower()
    for instrument in instruments.all_instruments("zh"):
        if key in (instrument.code, instrument.short.replace("-", "").lower()) or str(text).strip() == instrument.name:
            return instrument
    return None


def _int(value):
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _parse(line, raw, screening_round, errors):
    def error(message, **params):
        errors.append(RowError(line, message, **params))

    instrument = _instrument_of(raw["instrument"])
    if instrument is None or instrument.code not in screening_round.instrument_list:
        error(_l("Line %(line)s: the instrument “%(value)s” is not one of this round's."), value=raw["instrument"])
        return None
    total = _int(raw["total"])
    subscales = {}
    for sub in instrument.subscales:
        cell = str(raw.get(f"sub_{sub['code']}", "")).strip()
        if cell:
            subscales[sub["code"]] = _int(cell) if _int(cell) is not None else -1
    problem = "total_range" if total is None else instruments.check_scores(instrument, total, subscales)
    if problem == "subscale_sum":
        error(_l("Line %(line)s: the total is not the sum of the subscale scores."))
    elif problem:
        error(_l("Line %(line)s: a score is not a whole number within the instrument's range."))
    taken_on = parse_date(raw["taken_on"])
    if taken_on is None or not (screening_round.opens_on <= taken_on <= min(screening_round.closes_on, today())):
        error(_l("Line %(line)s: the date “%(value)s” is not a day of this round's window, up to today."),
              value=raw["taken_on"])
    name = str(raw["name"]).strip()
    if not name or len(name) > 40:
        error(_l("Line %(line)s: the name is missing."))
    if problem or taken_on is None or not name:
        return None
    row = Row(line, name, str(raw["class_name"]).strip(), instrument, total, subscales, taken_on,
              number=str(raw.get("number", "")).strip())
    row.id6 = str(raw.get("id6", "")).strip().upper()
    row.birth_date = parse_date(raw.get("birth_date", "")) if str(raw.get("birth_date", "")).strip() else None
    row.school_name = str(raw.get("school", "")).strip()
    return row


def review(school, screening_round, filename, data):
    """Read and match every row; write nothing."""
    outcome = Review()
    try:
        raws = read_table(filename, data, COLUMNS)
    except ImportFileError as error:
        outcome.file_error = error.message
        return outcome
    if not raws:
        outcome.file_error = _l("The file has no rows below the column names.")
        return outcome
    rows = [row for row in (_parse(line, raw, screening_round, outcome.errors) for line, raw in raws) if row]
    if outcome.errors:
        return outcome
    _match(school, screening_round, rows)
    seen = {}
    for row in rows:
        if row.child is None:
            continue
        row.client_uuid = entry_ids.derived_id("screening_import", screening_round.id, row.child.id,
                                               row.instrument.code, row.taken_on)
        if row.client_uuid in seen:
            row.status, row.reason = "refused", _l("the same pupil, instrument and date as line %(other)s") % {
                "other": seen[row.client_uuid]}
            continue
        seen[row.client_uuid] = row.line
    stored = _existing(list(seen))
    for row in rows:
        if row.child is not None and not row.status:
            row.status = "unchanged" if row.client_uuid in stored else "new"
    outcome.rows = rows
    return outcome


def _existing(uuids):
    found = set()
    for start in range(0, len(uuids), BATCH):
        chunk = uuids[start:start + BATCH]
        found.update(u for (u,) in ScreeningResult.select(ScreeningResult.client_uuid)
                     .where(ScreeningResult.client_uuid.in_(chunk)).tuples())
    return found


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), BATCH):
        yield values[start:start + BATCH]


def _match(school, screening_round, rows):
    """Each row's child, or why not (a handful of queries whatever the number of rows)."""
    pupils = list(Child.select(Child, SchoolClass).join(SchoolClass, on=(Child.school_class == SchoolClass.id))
                  .where((SchoolClass.school == school.id) & (SchoolClass.school_year == screening_round.school_year)))
    by_id = {c.id: c for c in pupils}
    by_class = {}
    for child in pupils:
        by_class.setdefault((child.school_class.grade, child.school_class.number, child.name), []).append(child)
    numbers = {}
    for chunk in _chunks({r.number for r in rows if r.number}):
        numbers.update({n: (cid, sid) for n, cid, sid in StudentNumber.select(
            StudentNumber.number, Child.id, Child.school).join(Child).where(StudentNumber.number.in_(chunk)).tuples()})
    id6 = {}
    if any(getattr(r, "id6", "") for r in rows):
        for card, cid in (LeftBehindFile.select(LeftBehindFile.id_card, LeftBehindFile.child)
                          .where(LeftBehindFile.child.in_(list(by_id)) & (LeftBehindFile.id_card != "")).tuples()):
            id6.setdefault(card[-6:].upper(), []).append(cid)
    elsewhere = {}
    for chunk in _chunks({r.name for r in rows}):
        for name, birth, sid in (Child.select(Child.name, Child.birth_date, Child.school)
                                 .where(Child.name.in_(chunk) & (Child.school != school.id)).tuples()):
            elsewhere.setdefault(name, []).append((birth, sid))
    names_here = {child.name for child in pupils}
    for row in rows:
        _match_row(row, school, by_id, by_class, numbers, id6, elsewhere, names_here)


def _match_row(row, school, by_id, by_class, numbers, id6, elsewhere, names_here):
    if row.school_name and row.school_name != school.name:
        row.status, row.reason = "refused", _l("the row is for another school (%(name)s)") % {"name": row.school_name}
        return
    if row.number in numbers:
        child_id, school_id = numbers[row.number]
        if child_id in by_id:
            row.child = by_id[child_id]
            return
        row.status, row.reason = "refused", _l("this student number belongs to a pupil of another school")
        return
    if row.id6 and len(id6.get(row.id6, [])) == 1:
        row.child = by_id[id6[row.id6][0]]
        return
    match = CLASS_PATTERN.match(row.class_name)
    candidates = by_class.get((int(match.group(1)), int(match.group(2)), row.name), []) if match else []
    if row.birth_date:
        candidates = [c for c in candidates if c.birth_date == row.birth_date]
    if len(candidates) == 1:
        row.child = candidates[0]
    elif candidates:
        row.status, row.reason = "ambiguous", _l("%(count)s pupils of this name in this class: add the student "
                                                 "number or the birth date") % {"count": len(candidates)}
    elif row.name not in names_here and any(row.birth_date in (None, birth)
                                            for birth, _sid in elsewhere.get(row.name, [])):
        row.status, row.reason = "refused", _l("no pupil of this name here; a pupil of this name is at another school")
    else:
        row.status, row.reason = "unmatched", _l("no pupil of this name in class %(name)s this school year") % {
            "name": row.class_name}


def confirm(school, screening_round, filename, data, user):
    """Review again (the children may have changed meanwhile) and write the new matched rows in
    one transaction: results, the 学籍号 they taught us, and their warnings. Returns the review."""
    outcome = review(school, screening_round, filename, data)
    if not outcome.ok:
        return outcome
    values = settings.current()
    fresh = outcome.of("new")
    now = utcnow()
    with db.atomic():
        records = []
        for row in fresh:
            total, level, critical = service.result_values(row.instrument, row.child, row.total, row.subscales,
                                                           None, values)
            row.level = level
            records.append({
                "round": screening_round.id, "child": row.child.id, "school": school.id,
                "school_class": row.child.school_class_id, "instrument": row.instrument.code, "total": total,
                "subscales": _json(row.subscales), "answers": "", "level": level, "critical": critical,
                "source": "import", "taken_on": row.taken_on, "entered_by": user.id, "entered_at": now,
                "client_uuid": row.client_uuid,
            })
        for chunk in _chunks(records):
            ScreeningResult.insert_many(chunk).execute()
        _remember_numbers([row for row in outcome.rows if row.child is not None and row.number])
        flagged = {row.client_uuid: row for row in fresh if row.level in service.WARNING_LEVELS}
        for chunk in _chunks(flagged):
            for result in ScreeningResult.select().where(ScreeningResult.client_uuid.in_(chunk)):
                service.raise_warning(result, flagged[result.client_uuid].child, user, values, now)
        audit.record("screening_import", School(id=school.id), round=screening_round.id, created=len(fresh),
                     unchanged=len(outcome.of("unchanged")), skipped=len(outcome.rows) - len(outcome.of("new"))
                     - len(outcome.of("unchanged")), warnings=len(flagged))
    return outcome


def _remember_numbers(rows):
    known = set()
    for chunk in _chunks({row.child.id for row in rows}):
        known.update(cid for (cid,) in StudentNumber.select(StudentNumber.child).where(
            StudentNumber.child.in_(chunk)).tuples())
    taken = set()
    for chunk in _chunks({row.number for row in rows}):
        taken.update(n for (n,) in StudentNumber.select(StudentNumber.number).where(
            StudentNumber.number.in_(chunk)).tuples())
    new = {}
    for row in rows:
        if row.child.id not in known and row.number not in taken and row.number not in new.values():
            new[row.child.id] = row.number
    for chunk in _chunks(new.items()):
        StudentNumber.insert_many([{"child": cid, "number": number} for cid, number in chunk]).execute()


def _json(value):
    import json

    return json.dumps(value, ensure_ascii=False)
