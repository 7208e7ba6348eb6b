"""Export of the invoice list as it is filtered, to .xlsx and .csv, amounts as numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

XLSX, CSV = "0", "1"  # the export form's formats, in ScopedExportMixin's order
HEADINGS = [
    "Fakturanummer",
    "Fakturadato",
    "Forfallsdato",
    "Betaler",
    "Total",
    "Utestående",
    "Status",
    "KID",
]
SEED = {"2017-118350", "2017-118352", "2017-118359", "2018-118371", "2018-118376"}


def export(client, file_format, **filters):
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    response = client.post(
        f"/portal/invoice/export/?{query}", {"format": file_format, "resource": "0"}
    )
    assert response.status_code == 200, response
    return response


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True)), sheet


@pytest.mark.django_db
def test_the_filtered_list_exports_to_xlsx_with_numbers_and_dates(client, login, invoice):
    """Given testweb's invoices, when they export the overdue ones to .xlsx, then the sheet
    holds exactly those rows, amounts as number cells and dates as date cells."""
    login("testweb")

    response = export(client, XLSX, status="overdue")

    assert response["Content-Disposition"].startswith('attachment; filename="fakturaer-')
    rows, sheet = xlsx_rows(response)
    assert list(rows[0]) == HEADINGS
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == SEED | {"2024-500001"}
    _number, invoice_date, due_date, payer, total, outstanding, status, kid = by_number[
        "2024-500001"
    ]
    assert invoice_date.date() == datetime.date(2024, 3, 1)
    assert due_date.date() == datetime.date(2024, 3, 21)
    assert payer == "Testbedriften AS"
    assert Decimal(str(total)) == Decimal("4250.00")
    assert Decimal(str(outstanding)) == Decimal("1250.50")
    assert status == "Forfalt"
    assert kid == "1234567897"
    amount_cells = list(next(sheet.iter_rows(min_row=2, max_row=2)))[4:6]
    assert [cell.data_type for cell in amount_cells] == ["n", "n"]


@pytest.mark.django_db
def test_csv_amounts_are_numbers_with_a_decimal_comma(client, login, invoice):
    """As Norwegian Excel reads a number: a decimal comma and no thousands separator."""
    login("testweb")

    response = export(client, CSV, number="2024-500001")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        HEADINGS,
        [
            "2024-500001",
            "01.03.2024",
            "21.03.2024",
            "Testbedriften AS",
            "4250,00",
            "1250,50",
            "Forfalt",
            "1234567897",
        ],
    ]


@pytest.mark.django_db
def test_a_customer_exports_only_their_own_invoices(demo, client, login):
    login("annen")

    rows, _sheet = xlsx_rows(export(client, XLSX))

    assert {row[0] for row in rows[1:]} == {"2021-119001", "2021-119007"}
    assert "Kunde" not in rows[0]


@pytest.mark.django_db
def test_staff_export_every_customer_with_a_customer_column(demo, client, login):
    login("kam")

    rows, _sheet = xlsx_rows(export(client, XLSX, status="overdue"))

    assert rows[0][-1] == "Kunde"
    assert {row[0] for row in rows[1:]} == SEED | {"2021-119001", "2021-119007"}
    assert {row[-1] for row in rows[1:]} == {"Testbedriften AS", "Eksempel Industri AS"}


@pytest.mark.django_db
def test_an_hr_user_cannot_export_invoices(client, login, cast):
    login(cast.hr)

    response = client.post("/portal/invoice/export/", {"format": XLSX, "resource": "0"})

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_formula_in_a_name_is_not_run(client, login, cast, invoice):
    payer = invoice.payer
    payer.name = '=HYPERLINK("http://x")'
    payer.save()
    login("testweb")

    rows, _sheet = xlsx_rows(export(client, XLSX, number="2024-500001"))

    assert rows[1][3] == '\'=HYPERLINK("http://x")'
