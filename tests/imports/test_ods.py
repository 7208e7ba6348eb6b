""".ods imports: a LibreOffice-made .ods reads as the .xlsx LibreOffice made of the same rows,
and is held to the same checks (size, zip bomb, DOCTYPE, element count, cell length).

libreoffice_rows.ods and .xlsx are made from libreoffice_rows.csv by LibreOffice Calc 7
(Debian's libreoffice-calc), Norwegian locale, so that the dates are date cells:
    soffice --headless --infilter="CSV:59,34,76,1,,1044" --convert-to ods libreoffice_rows.csv
    soffice --headless --infilter="CSV:59,34,76,1,,1044" --convert-to xlsx libreoffice_rows.csv
corrupt.ods is the first 6,000 bytes of libreoffice_rows.ods.
"""

import datetime
import io
import zipfile

import pytest

from imports.ods import ODS_MIMETYPE
from imports.parsing import FileRefused, Limits, read_rows
from tests.imports.conftest import created, errors_of, read
from tests.imports.nid import KARI, PER

pytestmark = pytest.mark.django_db

LIMITS = Limits(max_bytes=1024 * 1024, max_rows=100, max_unpacked_bytes=4 * 1024 * 1024)
CONTENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    '<office:body><office:spreadsheet><table:table table:name="Ark1">'
)
CONTENT_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods(rows_xml: str, *, head: str = CONTENT_HEAD, extra: dict | None = None) -> bytes:
    """A minimal .ods as the standard lays it out: the mimetype first, stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", head + rows_xml + CONTENT_TAIL)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def cell(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def rows_of(content: bytes) -> list:
    return list(read_rows(content, limits=LIMITS))


def refusal(content: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        rows_of(content)
    return refused.value.message


def test_libreoffice_ods_and_xlsx_of_the_same_rows_import_to_the_same_result(preview):
    from_ods, from_xlsx = preview("libreoffice_rows.ods"), preview("libreoffice_rows.xlsx")

    assert from_ods.ok, errors_of(from_ods)
    assert created(from_ods) == created(from_xlsx) == [
        (2, "Kari", "Nordmann", "kari.calc@testbedriften.no", "91234580",
         datetime.date(1990, 12, 13), "female", "Testbedriften AS", KARI),
        (3, "Per", "Ås", "per.calc@testbedriften.no", "91234581",
         datetime.date(1988, 3, 5), "male", "Bergen TEST", PER),  # its leading 0 restored
        (4, "Åse", "Ærø-Løkke", "ase.calc@testbedriften.no", "", None, "",
         "Testbedriften AS", None),
    ]  # fmt: skip
    assert from_ods.fingerprint() == from_xlsx.fingerprint()


def test_the_ods_cells_come_as_the_xlsx_reader_gives_them():
    rows = rows_of(read("libreoffice_rows.ods"))

    assert rows[1][1][3:5] == (91234580, datetime.date(1990, 12, 13))  # a number, a date


def test_repeated_cells_and_rows_are_cut_not_multiplied():
    # given LibreOffice's way of writing the empty rest of a sheet: a million rows of 1,024
    empty = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    content = ods(f"<table:table-row>{cell('Fornavn')}{cell('Etternavn')}</table:table-row>{empty}")

    rows = rows_of(content)

    assert rows == [(1, ("Fornavn", "Etternavn"))]  # the empty rows end the data


def test_spaces_written_as_elements_are_spaces():
    spaced = cell('Anne<text:s text:c="2"/>Marie')
    content = ods(f"<table:table-row>{spaced}</table:table-row>")

    assert rows_of(content) == [(1, ("Anne  Marie",))]


def test_an_ods_with_a_doctype_is_refused():
    head = CONTENT_HEAD.replace("?>", '?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)

    assert "DOCTYPE" in refusal(ods("<table:table-row/>", head=head))


def test_an_ods_that_unpacks_to_more_than_the_limit_is_refused():
    content = ods("<table:table-row/>", extra={"Pictures/big.xml": b"0" * (5 * 1024 * 1024)})

    assert "unpacks to more than" in refusal(content)


def test_an_ods_of_too_many_elements_is_refused():
    # given a small file of many elements (a self-closing one counts twice, as for .xlsx)
    spaces = "<text:s/>" * 360_000

    assert "far more cells" in refusal(ods(f"<table:table-row>{cell(spaces)}</table:table-row>"))


def test_a_cell_too_long_names_its_row_and_column():
    content = ods(f"<table:table-row>{cell('x')}{cell('y' * 2000)}</table:table-row>")

    assert refusal(content).startswith("Row 1, column B holds 2\xa0000 characters.")


def test_a_corrupt_ods_is_refused_as_an_ods_to_save_again():
    assert refusal(read("corrupt.ods")) == (
        "The file could not be read as an OpenDocument spreadsheet (.ods). Open it in "
        "LibreOffice Calc and save it again, or save it as an Excel workbook (.xlsx)."
    )


def test_an_ods_whose_xml_breaks_off_is_refused_as_an_ods():
    content = ods("<table:table-row>" + cell("Fornavn"))  # the row is never closed

    assert "could not be read as an OpenDocument spreadsheet" in refusal(content)


def test_a_password_protected_ods_says_so():
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
        "</manifest:file-entry></manifest:manifest>"
    )
    content = ods("<table:table-row/>", extra={"META-INF/manifest.xml": manifest})

    assert refusal(content) == (
        "The spreadsheet is protected by a password. Open it in LibreOffice Calc, save it "
        "without a password, and upload it again."
    )
