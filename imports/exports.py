"""Spreadsheet exports of what a list shows: the same scoped, filtered rows, safe to open.

Every cell the portal writes to a spreadsheet goes through `export_cell` (no control
character, no formula), and every CSV through `csv_write`: the CSV Norwegian Excel reads,
`;` between cells, every cell quoted, UTF-8 with a BOM.
"""

import csv
import io
import warnings

import tablib
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from portal.text import text_clean

# What makes a spreadsheet read a cell as a formula (OWASP's list), and the full-width forms
# that some spreadsheet programs take for the same. import-export's own escaping strips only "=".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A program that splits a line on these without heeding the quotes (Norwegian Excel splits on
# ";") would start a new cell after one: `x;=1+1;` holds a formula cell there.
CSV_SEPARATORS = (";", ",")
CSV_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"  # with a BOM: Excel then reads æøå as UTF-8


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
    if isinstance(value, str):
        return escape_formula(text_clean(value))
    return value


def csv_write(rows) -> str:
    """Rows as the portal's CSV: `;`, every cell quoted, each cell through `export_cell`.
    Encode it with CSV_ENCODING."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=CSV_SEPARATOR, quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    for row in rows:
        writer.writerow(["" if cell is None else export_cell(cell) for cell in row])
    return buffer.getvalue()


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
    """import-export's .xlsx format with every cell through `export_cell`: one stored ESC must
    not fail the file, and no text becomes a formula."""

    choice_label = _("Excel (.xlsx)")

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(
            *([export_cell(cell) for cell in row] for row in dataset),
            headers=[export_cell(heading) for heading in dataset.headers or []] or None,
            title=dataset.title,  # the sheet's name: the list's («Ansatte»), not tablib's own
        )
        with warnings.catch_warnings():  # openpyxl's own deprecation warnings
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            return safe.export(self.get_title(), **kwargs)


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
