"""Reading roster files (XLSX or CSV) into numbered rows, parsing their cells, and the
errors reported back. Importers validate every row first and write all rows or none."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

EXCEL_EPOCH = datetime(1899, 12, 30)
MAX_ROWS = 5000
MAX_COLUMNS = 30
BLANK_RUN_LIMIT = 200  # spreadsheets often "use" thousands of empty, formatted rows
YES = {"是", "是的", "有", "y", "yes", "true", "1", "√", "✓", "✔"}
NO = {"否", "不是", "无", "没有", "n", "no", "false", "0", "×", "x"}
BOYS = {"男", "男生", "m", "boy", "male"}
GIRLS = {"女", "女生", "f", "girl", "female"}
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
PHONE_PATTERN = re.compile(r"^[0-9+\- ]*$")
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
# What openpyxl raises for a damaged or foreign file (it has no common base class).
UNREADABLE_XLSX = (
    zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, ValueError, TypeError, OSError,
)


class ImportFileError(Exception):
    """The file as a whole cannot be used (wrong type, unreadable, missing columns)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RowError:
    """One reason one row cannot be imported. The text is a gettext msgid that starts with
    "Line %(line)s:", rendered in the reader's language when shown."""

    def __init__(self, line, message, **params):
        self.line, self.message, self.params = line, message, params

    def __str__(self):
        return str(self.message) % {"line": self.line, **self.params}

    def __repr__(self):
        return f"RowError(line={self.line}, params={self.params})"


@dataclass
class Outcome:
    """What an import did, or would have done: counts, or the errors that stopped it."""

    errors: list = field(default_factory=list)
    file_error: object = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    classes_created: int = 0
    school: object = None

    @property
    def ok(self):
        return not self.errors and self.file_error is None


@dataclass(frozen=True)
class Column:
    """A column of an import file: its Chinese header (data, not UI), key, and the template's notes."""

    header: str
    key: str
    required: bool
    note: str
    example: str

    @property
    def name(self):
        return normalise_header(self.header)


def normalise_header(text):
    """"性别(男/女)", "性别（男/女）" and " 性别* " all mean the column 性别."""
    text = str(text or "")
    for mark in ("(", "（"):
        text = text.split(mark)[0]
    return re.sub(r"[\s*]", "", text)


def read_table(filename, data, columns):
    """The rows of the first sheet as (line number, {key: value}); the header row locates columns."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw = _csv_rows(data)
    else:
        raise ImportFileError(_l("Please upload an .xlsx or .csv file."))
    by_name = {column.name: column.key for column in columns}
    positions, rows, blank_run = None, [], 0
    for line, cells in enumerate(raw, start=1):
        if not any(value not in ("", None) for value in cells):
            blank_run += 1
            if blank_run > BLANK_RUN_LIMIT:
                break
            continue
        blank_run = 0
        if positions is None:
            positions = _header_positions(cells, by_name, columns)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _l("The file has more than %(count)s rows. Please split it.", count=MAX_ROWS)
            )
        rows.append((line, {key: cells[i] if i < len(cells) else "" for key, i in positions.items()}))
    if positions is None:
        raise ImportFileError(_l("The file is empty. Please start from the template."))
    return rows


def _header_positions(cells, by_name, columns):
    positions = {}
    for index, cell in enumerate(cells):
        key = by_name.get(normalise_header(cell))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [column.name for column in columns if column.required and column.key not in positions]
    if missing:
        raise ImportFileError(_l(
            "The first row has no column %(names)s. Please start from the template.",
            names="、".join(missing),
        ))
    return positions


def _xlsx_rows(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield [cell_value(value) for value in row]
        finally:
            workbook.close()
    except UNREADABLE_XLSX as exc:
        raise ImportFileError(
            _l("This file could not be read as XLSX. Please save it again from Excel or WPS.")
        ) from exc


def _csv_rows(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_l("This CSV file is neither UTF-8 nor GB18030 text."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell_value(value) for value in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ImportFileError(_l("This CSV file could not be read: check its quotes.")) from exc


def cell_value(value):
    """A cell as text (trimmed), or as a date when the spreadsheet stored a date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- cells --------------------------------------------------------------------------------

def parse_int(value, low, high):
    text = str(value).strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_sex(value):
    text = str(value).strip().lower()
    if text in BOYS:
        return "m"
    if text in GIRLS:
        return "f"
    return None


def parse_flag(value):
    """True, False, or None when blank; raises ValueError for anything else."""
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


def parse_date(value):
    """A date from a date cell, "2016-05-01", "2016/5/1", "2016年5月1日", "20160501", or the day
    number a spreadsheet shows when a date cell lost its format (42491 is 2016-05-01)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if text.isdigit() and len(text) == 5:
        return (EXCEL_EPOCH + timedelta(days=int(text))).date()
    match = DATE_PATTERN.match(text)
    if match is None and len(text) == 8 and text.isdigit():
        match = re.match(r"(\d{4})(\d{2})(\d{2})", text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def split_list(value):
    return [part for part in LIST_SEPARATORS.split(str(value).strip()) if part]


def is_phone(value):
    return bool(PHONE_PATTERN.match(value))
