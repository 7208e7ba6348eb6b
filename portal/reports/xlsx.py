"""A report's table as an .xlsx workbook: numbers as numbers, months as dates, and no text
cell a spreadsheet would run as a formula, nor a control character (`export_cell`)."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font

from imports.exports import export_cell, sheet_title

from .base import Kind, Report, ReportResult
from .period import Period

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NUMBER_FORMATS = {
    Kind.MONTH: "mm.yyyy",
    Kind.COUNT: "0",
    Kind.NOK: '#,##0.00 "kr"',
    Kind.PERCENT: "0%",
}


def report_filename(report: Report, period: Period) -> str:
    return f"rapport-{report.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.xlsx"


def report_workbook(result: ReportResult) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(result.report.title)
    table = result.table
    sheet.append([export_cell(heading) for heading in table.headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        _append(sheet, table.columns, row)
    if table.total is not None:
        for cell in _append(sheet, table.columns, table.total):
            cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(str(column.heading)) + 4)
    sheet.freeze_panes = "B2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet, columns, row) -> list[Cell]:
    """The row's cells, appended. They are made here rather than looked up after: finding the
    last row of a sheet costs openpyxl a pass over every cell."""
    values: list[object] = []
    for column, value in zip(columns, row, strict=True):
        if value is None:
            values.append(None)
        elif column.kind is Kind.PERCENT:
            values.append(value / 100)
        elif column.kind is Kind.TEXT or isinstance(value, str) or not _is_plain(value):
            values.append(export_cell(str(value)))
        else:
            values.append(value)
    cells = [Cell(sheet, value=value) for value in values]
    for column, cell in zip(columns, cells, strict=True):
        if column.kind in NUMBER_FORMATS and not isinstance(cell.value, str):
            cell.number_format = NUMBER_FORMATS[column.kind]
    sheet.append(cells)
    return cells


def _is_plain(value) -> bool:
    """A value openpyxl writes as a number or a date."""
    return isinstance(value, int | float | Decimal | datetime.date)
