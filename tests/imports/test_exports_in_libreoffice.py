"""The lists' exports as a Norwegian opens them: LibreOffice Calc set to Norwegian (nb-NO).

The CSV opens into one column per field, amounts and dates as numbers and dates, æøå intact.
The .xlsx has a bold header that stays when scrolling, and shows its dates and amounts as a
Norwegian writes them: 01.12.2026 and 12 345,50.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from imports.exports import XLSX_AMOUNT, XLSX_DATE
from portal.models import Department
from tests.factories import EmployeeFactory, InvoiceFactory
from tests.libreoffice import CSV_AS_SHOWN, CSV_NORWEGIAN, convert

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"  # the export form's formats, in ScopedExportMixin's order
NBSP = "\N{NO-BREAK SPACE}"  # LibreOffice's Norwegian thousands separator


@pytest.fixture
def lists(demo):
    """Testbedriften's lists with an employee named with æøå, an invoice of five figures and
    a credit note."""
    testbedriften = Department.objects.get(name="Testbedriften AS")
    EmployeeFactory(
        department=testbedriften,
        first_name="Åse",
        last_name="Ødegård-Bjørnæs",
        email="ase.odegard@example.no",
        birth_date=datetime.date(1985, 5, 17),
    )
    InvoiceFactory(
        payer=testbedriften,
        number="2026-700001",
        invoice_date=datetime.date(2026, 12, 1),
        due_date=datetime.date(2026, 12, 15),
        total=Decimal("12345.50"),
        outstanding=Decimal("12345.50"),
    )
    InvoiceFactory(
        payer=testbedriften,
        number="2026-700002",
        invoice_date=datetime.date(2026, 12, 2),
        due_date=datetime.date(2026, 12, 2),
        is_credit_note=True,
        total=Decimal("-1500.00"),
        outstanding=Decimal("0.00"),
    )


def export(login, path: str, file_format: str, tmp_path, name: str):
    response = login("testweb").post(path, {"format": file_format, "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    file = tmp_path / name
    file.write_bytes(response.content)
    return file


def shown_length(cell) -> int:
    """How many characters the cell shows: 01.12.2026, 12 345,50, or its text."""
    if cell.value is None:
        return 0
    if cell.is_date:
        return len("01.12.2026")
    if cell.data_type == "n":
        return len(f"{cell.value:,.2f}")
    return len(str(cell.value))


def by_first_cell(rows) -> dict:
    return {row[0]: row for row in rows}


def test_the_csv_opens_in_norwegian_libreoffice_with_numbers_and_dates(lists, login, tmp_path):
    employees = export(login, "/portal/employee/export/", CSV, tmp_path, "ansatte.csv")
    invoices = export(login, "/portal/invoice/export/", CSV, tmp_path, "fakturaer.csv")

    for file, row_key, expected in [
        (
            employees,
            "Åse",
            {"Etternavn": "Ødegård-Bjørnæs", "Fødselsdato": datetime.date(1985, 5, 17)},
        ),
        (
            invoices,
            "2026-700001",
            {
                "Fakturadato": datetime.date(2026, 12, 1),
                "Total": 12345.5,
                "Utestående": 12345.5,
            },
        ),
        (invoices, "2026-700002", {"Total": -1500, "Utestående": 0}),
    ]:
        headings = next(csv.reader(io.StringIO(file.read_text("utf-8-sig")), delimiter=";"))
        sheet = load_workbook(convert(file, "xlsx", infilter=f"CSV:{CSV_NORWEGIAN}")).active
        rows = list(sheet.iter_rows(values_only=True))

        assert list(rows[0]) == headings  # one column per field, æøå in the headings intact
        assert sheet.max_column == len(headings)
        row = dict(zip(headings, by_first_cell(rows[1:])[row_key], strict=True))
        for heading, value in expected.items():
            cell = row[heading]
            if isinstance(value, datetime.date):  # a date cell reads as midnight of its day
                assert isinstance(cell, datetime.datetime), f"{heading} is not a date"
                cell = cell.date()
            assert cell == value, heading
            assert type(cell) is type(value), f"{heading} is not a number"


def test_the_xlsx_has_a_bold_frozen_header_and_norwegian_formats(lists, login, tmp_path):
    file = export(login, "/portal/invoice/export/", XLSX, tmp_path, "fakturaer.xlsx")
    sheet = load_workbook(file).active

    assert sheet.title == "Fakturaer"
    assert sheet.freeze_panes == "A2"
    headings = [cell.value for cell in sheet[1]]
    assert all(cell.font.bold for cell in sheet[1])
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "2026-700001")
    cells = dict(zip(headings, row, strict=True))
    assert cells["Fakturadato"].is_date
    assert cells["Fakturadato"].number_format == XLSX_DATE
    assert cells["Total"].data_type == "n"
    assert cells["Total"].number_format == XLSX_AMOUNT
    assert cells["Fakturanummer"].data_type == "s"
    for index, heading in enumerate(headings, start=1):
        width = sheet.column_dimensions[cells[heading].column_letter].width
        widest = max(shown_length(row[index - 1]) for row in sheet.iter_rows())
        assert width >= min(widest, 60), f"the column {heading} is narrower than it holds"


def test_norwegian_libreoffice_shows_the_xlsx_as_norwegians_write(lists, login, tmp_path):
    invoices = export(login, "/portal/invoice/export/", XLSX, tmp_path, "fakturaer.xlsx")
    employees = export(login, "/portal/employee/export/", XLSX, tmp_path, "ansatte.xlsx")

    shown = {}
    for file in (invoices, employees):
        text = convert(file, CSV_AS_SHOWN).read_text("utf-8")
        shown.update(by_first_cell(csv.reader(io.StringIO(text), delimiter=";")))

    assert shown["2026-700001"][1:3] == ["01.12.2026", "15.12.2026"]
    assert shown["2026-700001"][4:6] == [f"12{NBSP}345,50", f"12{NBSP}345,50"]
    assert shown["2026-700002"][4:6] == [f"-1{NBSP}500,00", "0,00"]
    assert shown["Åse"][1] == "Ødegård-Bjørnæs"
    assert shown["Åse"][4] == "17.05.1985"
