"""XLSX downloads: cells that cannot turn into formulas, and a workbook sent as an attachment."""
import tempfile

from flask import send_file
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text starting with one of these would become a formula (openpyxl stores "=..." as one,
# and a spreadsheet re-evaluates it when the cell is edited or the sheet saved as CSV).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text as inert text: control characters openpyxl refuses are dropped, and a leading
    formula character gets an apostrophe in front. Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spooled_file():
    """Where a workbook is zipped before it is sent: a temporary file in memory first, on disk
    when large, gone once sent; nothing stays on the server."""
    return tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)


def workbook_response(workbook, filename):
    """Send an openpyxl (write_only) workbook as a download, streamed from a spooled file."""
    spool = spooled_file()
    workbook.save(spool)
    spool.seek(0)
    return file_response(spool, filename)


def file_response(spool, filename):
    """Send an XLSX file already written (an open file at its start) as a download."""
    response = send_file(spool, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=filename)
    # Personal data: no copy in the browser's or a proxy's cache.
    response.headers["Cache-Control"] = "no-store"
    return response
