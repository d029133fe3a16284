"""Spreadsheets we hand out: import templates. Any cell we fill from data is neutralised so a
spreadsheet program never runs it as a formula."""
import io

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = {"phone", "guardian_phone", "password", "number", "classes"}
# The template's words are data for the county's spreadsheet users, so they are Chinese here.
SHEET_TITLE = "名单"
ROLES_TITLE = "可用的角色"
SCHOOLS_TITLE = "学校名称"
COMMON_NOTES = (
    "请在第一张表“名单”里填写,第一行是列名,不要改动;从第二行起每行一条。",
    "红色列名为必填。整份文件要么全部导入,要么一行也不导入:有错误时页面会列出每一行的行号和原因。",
    "同一份文件再导入一次不会产生重复记录。",
)


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def template_workbook(columns, sheet_title, notes, choices=()):
    """An XLSX with the header row on the first sheet and, on the second, what each column
    takes, an example row, and (optionally) the values that exist, e.g. the county's schools."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B3261E" if column.required else "000000")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
        if column.key in TEXT_COLUMNS:
            # Phone numbers and PINs stay text: a leading 0 survives, no 1.38E+10.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("填写说明")
    for line in notes:
        guide.append([neutralise(line)])
    guide.append([])
    guide.append(["列名", "必填", "怎么填", "示例"])
    for column in columns:
        required = "是" if column.required else ""
        guide.append([column.header, required, column.note, neutralise(column.example)])
    guide.append([])
    guide.append(["示例行(请在第一张表里填写,不要在这里填)"])
    guide.append([column.header for column in columns])
    guide.append([neutralise(column.example) for column in columns])
    for title, values in choices:
        guide.append([])
        guide.append([title])
        for value in values:
            guide.append([neutralise(value)])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["C"].width = 60
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
