"""`excel_workbook`: a file the import reads back cell for cell, laid out as Excel lays it out."""

import datetime
import io
import zipfile

from openpyxl import load_workbook

from devtools.excel_files import excel_workbook
from imports.refusals import Limits
from imports.xlsx import xlsx_rows

ROWS = [
    ("Fornavn", "Etternavn", "Fødselsdato", "Mobil"),
    ("Åse", "Berg & Sønn", datetime.date(1980, 2, 29), 91234567),
    ("Per", "Berg & Sønn", datetime.date(2001, 12, 31), None),
]


def test_reads_back_through_the_import_reader_with_dates_as_dates():
    limits = Limits(max_bytes=1 << 20, max_rows=10, max_unpacked_bytes=1 << 20)

    rows = [values for _number, values in xlsx_rows(excel_workbook(ROWS), limits)]

    assert rows[0] == ROWS[0]
    # openpyxl reads a date cell as a datetime at midnight, as the import expects; a row ends
    # at its last cell (Per has no mobile number)
    assert [(*row[:2], row[2].date(), *row[3:]) for row in rows[1:]] == [ROWS[1], ROWS[2][:3]]


def test_text_is_shared_and_the_sheet_states_its_dimension():
    archive = zipfile.ZipFile(io.BytesIO(excel_workbook(ROWS)))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    shared = archive.read("xl/sharedStrings.xml").decode()

    assert '<dimension ref="A1:D3"/>' in sheet
    assert 't="inlineStr"' not in sheet
    assert shared.count("<si>") == 7  # «Berg & Sønn» once, though two cells hold it
    assert "Berg &amp; Sønn" in shared
    assert load_workbook(io.BytesIO(excel_workbook(ROWS)), read_only=True).active.max_row == 3
