"""Spreadsheet exports of what a list shows: the same scoped, filtered rows, safe to open.

Every cell the portal writes to a spreadsheet goes through `export_cell` (no control
character, no formula). Every CSV goes through `csv_write`: the CSV Norwegian Excel reads,
`;` between cells, every cell quoted, decimal comma, dates as dd.mm.åååå, UTF-8 with a BOM.
Every list's .xlsx goes through `xlsx_write`: a bold header that stays when scrolling, real
date and number cells shown as Norwegians write them, and columns as wide as what they hold.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.text import text_clean

# What makes a spreadsheet read a cell as a formula (OWASP's list), and the full-width forms
# that some spreadsheet programs take for the same. import-export's own escaping strips only "=".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A program that splits a line on these without heeding the quotes (Norwegian Excel splits on
# ";") would start a new cell after one: `x;=1+1;` holds a formula cell there.
CSV_SEPARATORS = (";", ",")
CSV_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"  # with a BOM: Excel then reads æøå as UTF-8

# Number formats are stored in the file in Excel's own notation, whatever the reader's
# language; a Norwegian Excel or LibreOffice shows these as dd.mm.åååå and # ##0,00.
XLSX_DATE = "dd.mm.yyyy"
XLSX_DATETIME = "dd.mm.yyyy hh:mm"
XLSX_AMOUNT = "#,##0.00"
XLSX_WIDTH_MIN, XLSX_WIDTH_MAX = 8, 60
BOLD_WIDER = 1.2  # a bold heading takes about a fifth more room than its letters in plain
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def escape_formula(value):
    """Make a cell that a spreadsheet would run as a formula plain text: one that starts with
    a formula character, or holds one right after a separator."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_PREFIXES)
        or any(sep + prefix in value for sep in CSV_SEPARATORS for prefix in FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def export_cell(value):
    """A value as a spreadsheet cell: text without control characters (no .xlsx may hold
    one) and never a formula; numbers and dates as they are."""
    if isinstance(value, Promise):  # a translated word, such as «ja»
        value = str(value)
    if isinstance(value, str):
        return escape_formula(text_clean(value))
    return value


def csv_cell(value) -> str:
    """A value as Norwegian Excel reads it from a CSV: `1500,00` (no thousands separator, so
    that it stays a number), `05.12.2026`, `05.12.2026 14:30` in Norwegian time."""
    value = export_cell(value)  # before the number becomes text: "-1500,00" is no formula
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{_date_text(value)} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, datetime.date):
        return _date_text(value)
    return str(value)


def _date_text(value: datetime.date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def csv_write(rows) -> str:
    """Rows as the portal's CSV: `;`, every cell quoted, each cell through `csv_cell`.
    Encode it with CSV_ENCODING."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def sheet_title(title) -> str:
    """A sheet's name as Excel allows it: 31 characters, none of []:*?/\\."""
    return str(title).translate(SHEET_TITLE_FORBIDDEN)[:31] or "Ark1"


def xlsx_write(*, title, headings, rows) -> bytes:
    """One sheet named `title`: the headings bold and frozen above the rows, dates and
    amounts as real cells in Norwegian formats, each column as wide as its widest cell."""
    rows = [[_xlsx_value(cell) for cell in row] for row in rows]
    headings = [export_cell(str(heading)) for heading in headings]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for index, width in enumerate(_widths(headings, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, heading, font=bold) for heading in headings])
    for row in rows:
        sheet.append([_formatted(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    value = export_cell(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)  # a spreadsheet knows no time zones: Norwegian time
    return value


def _styled(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _formatted(sheet, value):
    if isinstance(value, datetime.datetime):
        return _styled(sheet, value, number_format=XLSX_DATETIME)
    if isinstance(value, datetime.date):
        return _styled(sheet, value, number_format=XLSX_DATE)
    if isinstance(value, Decimal | float):
        return _styled(sheet, value, number_format=XLSX_AMOUNT)
    return value


def _shown_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    return max(map(len, str(value).splitlines() or [""]))


def _widths(headings, rows) -> list[int]:
    widest = [round(len(heading) * BOLD_WIDER) for heading in headings]
    for row in rows:
        for index, value in enumerate(row):
            widest[index] = max(widest[index], _shown_width(value))
    return [min(max(width + 2, XLSX_WIDTH_MIN), XLSX_WIDTH_MAX) for width in widest]


def _dataset_rows(dataset):
    if dataset.headers:
        yield dataset.headers
    yield from dataset


class NorwegianCSV(CSV):
    """import-export's CSV format, written by `csv_write`."""

    choice_label = _("CSV for Excel (;)")

    def export_data(self, dataset, **kwargs):
        return csv_write(_dataset_rows(dataset))


class SafeXLSX(XLSX):
    """import-export's .xlsx format, written by `xlsx_write`: one stored ESC must not fail the
    file, no text becomes a formula, and the sheet is named after its list («Ansatte»)."""

    choice_label = _("Excel (.xlsx)")

    def export_data(self, dataset, **kwargs):
        return xlsx_write(title=dataset.title, headings=dataset.headers or [], rows=dataset)


class Column(fields.Field):
    """A read-only export column with a translated heading."""

    def __init__(self, heading, attribute=None, dehydrate_method=None, widget=None):
        super().__init__(
            attribute=attribute,
            column_name=heading,
            readonly=True,
            dehydrate_method=dehydrate_method,
            widget=widget,
        )


def field_heading(model, name):
    """A model field's verbose name as a heading ("invoice date" → "Fakturadato")."""
    return capfirst(model._meta.get_field(name).verbose_name)


def date_column(heading, attribute):
    """A date: a real date cell in .xlsx, dd.mm.åååå in .csv."""
    return Column(heading, attribute, widget=widgets.DateWidget(format="%d.%m.%Y"))


class SafeExportResource(resources.ModelResource):
    """The headings translated at export time; the cells are made safe by the formats
    (`SafeXLSX`, `NorwegianCSV`). `progress(rows)` hears of each row exported (an export run
    as a job)."""

    def __init__(self, progress=None, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress
        self.exported = 0

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        if self.progress is not None:
            self.exported += 1
            self.progress(self.exported)
        return row

    def get_export_headers(self, selected_fields=None):
        return [str(field.column_name) for field in self.get_export_fields(selected_fields)]
