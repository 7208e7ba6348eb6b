"""Small files made to be a lot of work: each is refused (or read) in well under a second or
two, with a message that says what is wrong and where, and nothing is written."""

import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from devtools import hostile_files
from imports import xlsx
from imports.parsing import FileRefused, Limits, read_rows
from portal.models import Employee
from tests.imports.conftest import errors_of

pytestmark = pytest.mark.django_db

TOO_LONG = (
    "Row 2, column A holds 1\xa0048\xa0576 characters. No cell of an import is longer than "
    "1\xa0000 characters: check the cell, or that this is the right file."
)


def timed(preview, content):
    start = time.perf_counter()
    plan = preview("", content=content)
    return plan, time.perf_counter() - start


def test_a_shared_string_bomb_is_refused_at_its_first_cell_at_once(preview):
    """One shared string of a megabyte, in every cell of 100 rows: 7 kB that took 22 s."""
    content = hostile_files.shared_string_bomb(chars=2**20, rows=100)
    before = Employee.objects.count()

    plan, seconds = timed(preview, content)

    assert plan.file_error == TOO_LONG
    assert seconds < 2
    assert not plan.creates
    assert not plan.errors
    assert Employee.objects.count() == before


def test_a_long_cell_anywhere_names_its_row_and_column(preview):
    """Column D (Mobil) of row 3; a cleaner never sees it."""
    content = hostile_files.workbook(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Kari</t></is></c></row>'
        f'<row r="3"><c r="D3" t="inlineStr"><is><t>{"9" * 1001}</t></is></c></row>'
    )
    assert preview("", content=content).file_error == (
        "Row 3, column D holds 1\xa0001 characters. No cell of an import is longer than "
        "1\xa0000 characters: check the cell, or that this is the right file."
    )


def test_a_cell_of_the_longest_length_allowed_is_read(preview):
    content = hostile_files.csv_file([["K" * 1000, "Hansen", "kari@testbedriften.no"]])
    plan = preview("", content=content)
    assert not plan.file_error
    assert errors_of(plan)[0][:2] == (2, "Fornavn")  # the cleaner's own 100-character rule


def test_a_csv_cell_is_held_to_the_same_length(preview):
    content = hostile_files.csv_long_cell(chars=100_000)
    plan, seconds = timed(preview, content)
    assert plan.file_error.startswith("Row 2, column A holds 100\xa0000 characters.")
    assert seconds < 2


def test_a_csv_cell_beyond_the_csv_modules_own_limit_names_its_row(preview):
    plan = preview("", content=hostile_files.csv_long_cell(chars=4 * 2**20))
    assert plan.file_error == (
        "Row 2 holds a cell of more than 131\xa0072 characters. No cell of an import is that "
        "long: check the cell, or that this is the right file."
    )


def test_the_text_of_all_cells_together_is_bounded(preview, settings):
    settings.IMPORTS_MAX_TEXT_CHARS = 500
    content = hostile_files.shared_string_bomb(chars=900, rows=10)
    assert preview("", content=content).file_error == (
        "The file holds more than 500 characters of text, far more than any list of "
        "employees. Split it into smaller files."
    )


def test_a_shared_strings_table_too_large_is_refused_before_openpyxl_reads_it(preview, monkeypatch):
    """openpyxl would read the whole table into memory first: 40 MB in 40 kB of zip."""

    def load(*args, **kwargs):
        raise AssertionError("openpyxl opened the workbook")

    monkeypatch.setattr(xlsx, "load_workbook", load)
    plan = preview("", content=hostile_files.shared_string_bomb(chars=40 * 2**20, rows=10))
    assert plan.file_error == (
        "The text of the workbook unpacks to more than 16.0\xa0MB, far more than any list of "
        "employees. Copy only the cells to import into a new workbook, or split it into "
        "smaller files."
    )


def test_the_shared_strings_table_is_found_by_its_content_type(settings):
    """Renamed in the package, it is still the table openpyxl reads."""
    content = hostile_files.shared_string_bomb(chars=5000, rows=1)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename).replace(b"sharedStrings.xml", b"tekst.xml")
            target.writestr(info.filename.replace("sharedStrings.xml", "tekst.xml"), data)
    limits = Limits(max_bytes=10**7, max_rows=100, max_unpacked_bytes=10**8)
    with pytest.raises(FileRefused, match="The text of the workbook unpacks to more than"):
        read_rows(
            buffer.getvalue(), limits=Limits(**{**vars(limits), "max_shared_strings_bytes": 4000})
        )


def test_millions_of_empty_cells_are_refused_before_they_are_parsed(preview):
    """800,000 empty cells in 5 kB: openpyxl would take many seconds over them."""
    plan, seconds = timed(preview, hostile_files.empty_cells_bomb(cells=800_000))
    assert plan.file_error.startswith(
        "The workbook holds far more cells and formatting than the largest file the import accepts."
    )
    assert seconds < 2


def test_gaps_between_row_numbers_count_as_rows(preview, settings):
    settings.IMPORTS_MAX_ROWS = 100
    plan = preview("", content=hostile_files.gap_rows_bomb(rows=5, gap=5000))
    assert plan.file_error == (
        "The file has more than 10\xa0100 rows, counting the empty rows between them. Delete "
        "the empty rows, or split the file into smaller files."
    )


def test_a_dimension_that_says_a1_hides_no_rows(preview):
    """openpyxl trusts <dimension>; the import reads every row there is."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(hostile_files.HEADERS))
    sheet.append(["Kari", "Hansen", "kari.dim@testbedriften.no", None, None, None, "Bergen TEST"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    lying = io.BytesIO()
    with zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, found = re.subn(
                    rb'<dimension ref="A1:[A-Z]+2"\s*/>', b'<dimension ref="A1"/>', data
                )
                assert found == 1
            target.writestr(info.filename, data)
    plan = preview("", content=lying.getvalue())
    assert plan.ok, errors_of(plan)
    assert [r.email for r in plan.creates] == ["kari.dim@testbedriften.no"]


def test_a_workbook_with_only_a_chart_sheet_says_so():
    """No worksheet to read: one message, not a stack trace."""
    content = hostile_files.workbook("")
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"relationships/worksheet", b"relationships/chartsheet")
            target.writestr(info.filename, data)
    limits = Limits(max_bytes=10**7, max_rows=100, max_unpacked_bytes=10**8)
    with pytest.raises(FileRefused) as refused:
        list(read_rows(buffer.getvalue(), limits=limits))
    assert refused.value.message in (
        "The workbook has no sheet with rows and columns.",
        "The file could not be read as an Excel workbook. Open it in Excel and save it again.",
    )


def test_the_reader_is_openpyxls_public_one():
    """No private parser: a future openpyxl changes nothing here unnoticed."""
    source = Path(xlsx.__file__).read_text()
    assert "_reader" not in source
    assert "WorkSheetParser" not in source


def test_openpyxl_parses_with_the_c_parser_once_the_doctype_check_has_run():
    """The DOCTYPE check (tests/imports/test_files.py) stands in for defusedxml, whose
    pure-Python parser would read a large file three to four times slower."""
    assert openpyxl.DEFUSEDXML is False
