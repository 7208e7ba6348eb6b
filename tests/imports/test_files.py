"""Real files, as HR has them: each one previewed for testweb (Administrator of Testbedriften AS).

Each file under files/ was written once by make_files.py; the expectations are written out here.
"""

import datetime
import io
import time
import zipfile

import pytest

from portal.models import Employee
from tests.imports.conftest import created, errors_of, read
from tests.imports.nid import KARI, LISE, PER

pytestmark = pytest.mark.django_db


def test_a_filled_in_template_from_excel(preview):
    """Real date cells, a mobile number that lost its +, a national id that lost its leading
    zero, a department by org. number and one in other letter case, an id with a space."""
    plan = preview("template_filled.xlsx")
    assert plan.ok, errors_of(plan)
    assert created(plan) == [
        (2, "Kari", "Hansen", "kari.hansen@testbedriften.no", "91234567",
         datetime.date(1990, 12, 13), "female", "Bergen TEST", KARI),
        (3, "Per", "Olsen", "Per.Olsen@Testbedriften.no", "91234568",
         datetime.date(1988, 3, 5), "male", "Testbedriften AS", PER),
        (4, "Lise", "Berg", "lise.berg@testbedriften.no", "91234569",
         datetime.date(1975, 2, 1), "female", "Testbedriften AS", LISE),
    ]  # fmt: skip


def test_norwegian_excel_csv_windows_1252_with_semicolons(preview):
    plan = preview("norwegian_excel.csv")
    assert plan.ok, errors_of(plan)
    assert created(plan) == [
        (2, "Bjørn", "Ærø", "bjorn.aero@testbedriften.no", "91234570",
         datetime.date(1985, 5, 17), "male", "Bergen TEST", None),
        (3, "Åse", "Løkkeberg", "ase.lokkeberg@testbedriften.no", "91234571",
         datetime.date(1990, 12, 13), "female", "Testbedriften AS", KARI),
    ]  # fmt: skip


def test_utf8_with_a_byte_order_mark(preview):
    assert read("utf8_bom.csv").startswith(b"\xef\xbb\xbf")
    plan = preview("utf8_bom.csv")
    assert plan.ok, errors_of(plan)
    assert created(plan) == [
        (2, "Øystein", "Ås", "oystein.as@testbedriften.no", "91234572",
         datetime.date(1970, 6, 30), "male", "Testbedriften AS", None),
    ]  # fmt: skip


def test_utf8_without_bom_comma_separated_with_english_headings(preview):
    plan = preview("utf8_comma.csv")
    assert plan.ok, errors_of(plan)
    assert created(plan) == [
        (2, "Jon", "Berg, jr.", "jon.berg@testbedriften.no", "91234573",
         datetime.date(1992, 10, 1), "male", "Bergen TEST", None),
        (3, "Siri", "Dahl", "siri.dahl@testbedriften.no", "", None, "female", "Bergen TEST",
         None),
    ]  # fmt: skip


def test_excels_unicode_text_utf16_with_tabs(preview):
    plan = preview("unicode_text.txt")
    assert plan.ok, errors_of(plan)
    assert [(r.first_name, r.last_name) for r in plan.creates] == [("Ørjan", "Ås")]


def test_stray_spaces_and_empty_trailing_rows(preview):
    plan = preview("stray_spaces.csv")
    assert plan.ok, errors_of(plan)
    assert created(plan) == [
        (2, "Trine", "Moe", "trine.moe@testbedriften.no", "91234574",
         datetime.date(1980, 12, 24), "female", "Bergen TEST", None),
    ]  # fmt: skip
    assert plan.rows == 1


def test_a_title_line_above_the_column_names(preview):
    plan = preview("title_row.xlsx")
    assert plan.ok, errors_of(plan)
    assert [(r.row, r.email) for r in plan.creates] == [(3, "mona.lund@testbedriften.no")]


def test_duplicate_rows_are_errors_naming_both_rows(preview):
    plan = preview("duplicates.csv")
    assert errors_of(plan) == [
        (4, "E-post", "ANNE.LIE@testbedriften.no",
         "Rows 2 and 4 have the same e-mail address."),
        (5, "Fødselsnummer", "", "Rows 3 and 5 have the same national identity number."),
    ]  # fmt: skip
    assert not plan.ok


def test_every_kind_of_row_error_names_row_column_and_value(preview):
    plan = preview("bad_rows.xlsx")
    assert errors_of(plan) == [
        (3, "E-post", "ikke-en-epost", "This is not an e-mail address."),
        (4, "Mobil", "12345", "A Norwegian mobile number has 8 digits."),
        (5, "Fødselsdato", "31.02.1990",
         "This is not a date. Write it as dd.mm.åååå, for example 17.05.1985."),
        (6, "Fødselsdato", "01.01.2999", "The date of birth is in the future."),
        (7, "Fødselsnummer", "", "The national identity number's check digits are wrong."),
        (8, "Fødselsnummer", "",
         "The national identity number has 10 digits. Excel may have dropped a leading zero, "
         "but with it the number is still not valid."),
        (9, "Bedrift/avdeling", "Eksempel Industri AS",
         "“Eksempel Industri AS” is not one of the companies/departments you may import into. "
         "Write one of: Bergen TEST, Testbedriften AS."),
        (10, "Bedrift/avdeling", "Finnes ikke AS",
         "“Finnes ikke AS” is not one of the companies/departments you may import into. "
         "Write one of: Bergen TEST, Testbedriften AS."),
        (11, "Kjønn", "ukjent", "Write Mann, Kvinne or Annet (or leave it empty)."),
        (12, "Fornavn", "", "This column is required."),
        (13, "Fornavn", "12345", "A name has letters."),
    ]  # fmt: skip
    assert [r.row for r in plan.creates] == [2]  # the good row, which is not written either
    assert not plan.ok


def test_a_bad_aktiv_value(preview):
    assert errors_of(preview("bad_aktiv.csv")) == [
        (2, "Aktiv", "kanskje", "Write ja or nei (or leave it empty).")
    ]


def test_excel_shortened_national_ids_are_explained(preview):
    [(row, column, value, message)] = errors_of(preview("excel_shortened.csv"))
    assert (row, column, value) == (2, "Fødselsnummer", "")
    assert message.startswith("Excel has shortened the number")


@pytest.mark.parametrize("name", ["huge_number.csv", "huge_number.xlsx"])
def test_1e1000000_does_not_hang_a_number_column(name, preview):
    start = time.perf_counter()
    plan = preview(name)
    assert time.perf_counter() - start < 5
    columns = [column for _row, column, _value, _message in errors_of(plan)]
    assert "Mobil" in columns
    assert "Fødselsnummer" in columns
    assert not plan.ok


def test_a_formula_is_never_evaluated(preview):
    """openpyxl stores no computed value; read with data_only the cell is empty."""
    assert errors_of(preview("formula.xlsx")) == [(2, "Fornavn", "", "This column is required.")]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("header_only.xlsx", "The file has the column names but no employees below them."),
        ("picture.xlsx",
         "This is a picture, not a spreadsheet. Upload the spreadsheet itself (.xlsx, .ods or "
         "CSV)."),
        ("old_excel.xls",
         "This is an old Excel file (.xls) or a password-protected workbook. Save it in Excel "
         "as an Excel workbook (.xlsx) or as CSV, without a password, and upload that."),
        ("no_header.csv",
         "The file has no row with the column names (Fornavn, Etternavn, E-post, …) at the top. "
         "Download the template to see them."),
        ("missing_column.csv",
         "The file lacks the column E-post. Download the template to see the columns."),
        ("zip_bomb.xlsx",
         "The workbook unpacks to more than 50.0\xa0MB. Save only the sheet with the employees, "
         "without pictures, in a new workbook."),
        ("entity.xlsx",
         "The workbook contains XML declarations (DOCTYPE) that are not allowed."),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_imported_gets_one_message(name, message, preview):
    plan = preview(name)
    assert plan.file_error == message
    assert not plan.errors
    assert not plan.creates
    assert not plan.ok


def test_the_zip_bomb_is_refused_before_it_is_unpacked(preview, monkeypatch):
    def unpacked(*args, **kwargs):
        raise AssertionError("a member of the bomb was opened")

    monkeypatch.setattr(zipfile.ZipFile, "read", unpacked)
    assert "unpacks to more than" in preview("zip_bomb.xlsx").file_error


def test_the_size_limit(preview, settings):
    settings.IMPORTS_MAX_FILE_SIZE = 1000
    plan = preview("template_filled.xlsx")
    assert plan.file_error == "The file is larger than 1000\xa0bytes. Split it into smaller files."


def test_the_row_limit(preview, settings):
    settings.IMPORTS_MAX_ROWS = 2
    plan = preview("template_filled.xlsx")
    assert plan.file_error == (
        "The file has more than 2 rows. Split it into files of at most 2 rows."
    )
    settings.IMPORTS_MAX_ROWS = 3
    assert preview("template_filled.xlsx").ok


def test_a_column_twice_is_one_message(preview):
    content = b"Fornavn;Etternavn;E-post;Epost\r\nKari;Hansen;a@b.no;c@d.no\r\n"
    plan = preview("", content=content)
    assert plan.file_error == "Some columns appear twice: E-post / Epost. Keep one of each."


def test_other_columns_are_left_out_and_named(preview):
    content = (
        b"Ansattnummer;Fornavn;Etternavn;E-post;Bedrift/avdeling;Stilling\r\n"
        b"17;Kari;Hansen;kari.h@testbedriften.no;Bergen TEST;Sykepleier\r\n"
    )
    plan = preview("", content=content)
    assert plan.ok
    assert plan.ignored_columns == ["Ansattnummer", "Stilling"]


def test_nothing_is_written_by_a_preview(preview):
    before = Employee.objects.count()
    for name in ("template_filled.xlsx", "norwegian_excel.csv", "bad_rows.xlsx"):
        preview(name)
    assert Employee.objects.count() == before


def test_excels_sep_hint_on_the_first_line(preview):
    content = (
        b"sep=,\r\nFornavn,Etternavn,E-post,Bedrift/avdeling\r\nKari,Hansen,k@tb.no,Bergen TEST\r\n"
    )
    plan = preview("", content=content)
    assert plan.ok
    assert [(r.row, r.email) for r in plan.creates] == [(2, "k@tb.no")]


@pytest.mark.parametrize(
    "part",
    [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml",
        "xl/styles.xml",
        "xl/theme/theme1.xml",
        "docProps/core.xml",
    ],
)
def test_a_doctype_in_any_part_is_refused_before_openpyxl_parses_it(part, preview):
    """What defusedxml would guard against (entities), refused up front in every part: so
    openpyxl may parse with the C parser (tests/imports/test_hostile_files.py)."""
    source = zipfile.ZipFile(io.BytesIO(read("header_only.xlsx")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                text = data.decode()
                declaration = text[: text.index("?>") + 2] if text.startswith("<?xml") else ""
                doctype = '<!DOCTYPE x [<!ENTITY e "e">]>'
                data = (declaration + doctype + text[len(declaration) :]).encode()
            target.writestr(info.filename, data)
    plan = preview("", content=buffer.getvalue())
    assert plan.file_error == (
        "The workbook contains XML declarations (DOCTYPE) that are not allowed."
    )


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8"])
def test_a_doctype_is_found_in_any_encoding(encoding, preview):
    """UTF-16 without a byte order mark hides "<!DOCTYPE" from a naive byte search."""

    source = zipfile.ZipFile(io.BytesIO(read("header_only.xlsx")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode().split("?>", 1)[-1]
                data = (
                    f'<?xml version="1.0" encoding="{encoding.upper()[:6]}"?>'
                    '<!DOCTYPE x [<!ENTITY e "e">]>' + text
                ).encode(encoding)
            target.writestr(info.filename, data)
    plan = preview("", content=buffer.getvalue())
    assert plan.file_error == (
        "The workbook contains XML declarations (DOCTYPE) that are not allowed."
    )
