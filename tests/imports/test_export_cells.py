"""What is already stored never breaks a file: a control character (ESC, BEL) stored before the
forms refused it, or text a spreadsheet would run as a formula, in every export the portal
writes. CSV is the Norwegian one: `;`, every cell quoted, UTF-8 with a BOM."""

import csv
import io

import pytest
from openpyxl import load_workbook

from imports.exports import csv_write, escape_formula, export_cell
from portal.calendar import ics_escape, ics_param
from portal.models import Department, Employee, Invoice, Order, ProductGroup

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"
ESC, BEL = "\x1b", "\x07"
# Each list's export, the row to spoil (queryset.update: no form, no service) and the text
# the sheet then shows.
LISTS = {
    "employees": (
        "/portal/employee/export/",
        Employee.objects.filter(first_name="Donald"),
        {"first_name": f"Don{ESC}ald"},
        "Donald",
    ),
    "orders": (
        "/portal/order/export/",
        Order.objects.all(),
        {"description": f"He{BEL}i{ESC}"},
        "Hei",
    ),
    "invoices": (
        "/portal/invoice/export/",
        Department.objects.filter(name="Testbedriften AS"),
        {"name": f"Testbedriften{ESC} AS"},
        "Testbedriften AS",
    ),
}


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def cells(rows) -> list:
    return [cell for row in rows for cell in row]


@pytest.mark.parametrize("user", ["testweb", "kam"])
@pytest.mark.parametrize("file_format", [XLSX, CSV])
@pytest.mark.parametrize("name", list(LISTS))
def test_a_stored_control_character_never_fails_an_export(login, demo, user, file_format, name):
    url, rows, spoiled, shown = LISTS[name]
    assert rows.all().update(**spoiled)

    response = login(user).post(url, {"format": file_format, "resource": "0"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = read_xlsx(response.content) if file_format == XLSX else read_csv(response.content)
    text = " ".join(str(cell) for cell in cells(rows))
    assert ESC not in text
    assert BEL not in text
    assert shown in cells(rows)


@pytest.mark.parametrize("file_format", [XLSX, CSV])
def test_formulas_are_text_after_a_separator_too(login, demo, file_format):
    Employee.objects.filter(first_name="Donald").update(
        first_name="x;=1+1;", last_name='=HYPERLINK("http://evil.example";"Klikk")'
    )

    response = login("testweb").post("/portal/employee/export/", {"format": file_format})

    rows = read_xlsx(response.content) if file_format == XLSX else read_csv(response.content)
    donald = next(row for row in rows if str(row[0]).startswith("'x"))
    assert donald[:2] == ["'x;=1+1;", '\'=HYPERLINK("http://evil.example";"Klikk")']


def test_the_csv_is_norwegian_every_cell_quoted(login, demo):
    response = login("testweb").post("/portal/employee/export/", {"format": CSV})

    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")[:-1]
    assert lines[0].startswith('"Fornavn";"Etternavn";')
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    assert '"Fødselsdato"' in lines[0]  # UTF-8 with the BOM: Excel reads æøå right
    assert read_csv(response.content)[0][:2] == ["Fornavn", "Etternavn"]


def test_one_cell_rule():
    assert escape_formula("x;=1+1;") == "'x;=1+1;"
    assert escape_formula("a,+b") == "'a,+b"
    assert escape_formula("=1") == "'=1"
    assert escape_formula("Ås; Bergen") == "Ås; Bergen"
    assert escape_formula(-100) == -100  # numbers are numbers
    assert export_cell(f"Hei{ESC} på{BEL} deg\n") == "Hei på deg\n"
    assert csv_write([["a;b", None, "=1"]]) == '"a;b";"";"\'=1"\r\n'


def test_a_stored_control_character_never_fails_a_report(login, demo):
    ProductGroup.objects.filter(name="Helsekontroll (HK)").update(name=f"Helse{ESC}kontroll=")
    Order.objects.update(description=f"{BEL}")

    response = login("kam").get(
        "/rapporter/?export=bestillinger&from_month=2020-01&to_month=2021-12"
    )

    assert response.status_code == 200
    text = " ".join(str(cell) for cell in cells(read_xlsx(response.content)))
    assert "Helsekontroll=" in text
    assert ESC not in text


def test_the_import_template_writes_a_department_name_as_text(login, demo):
    """The template's example names the department of a customer with one."""
    Department.objects.filter(name="Eksempel Industri AS").update(name=f"=Av{ESC}d")

    response = login("annen").get("/portal/employee/import/template/")

    assert response.status_code == 200
    rows = read_xlsx(response.content)
    assert "'=Avd" in rows[1]


def test_a_stored_control_character_never_fails_the_invoice_pdf(login, demo):
    invoice = Invoice.objects.filter(payer__customer__name="Testbedriften AS").first()
    Department.objects.filter(pk=invoice.payer_id).update(name=f"Testbedriften{ESC} AS")

    response = login("testweb").get(f"/portal/invoice/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_norwegian_csv_reads_back_as_an_import_file(login, demo, preview):
    """The CSV export, as the Excel export, is a file the employee import takes back."""
    content = login("testweb").post("/portal/employee/export/", {"format": CSV}).content

    plan = preview("", content=content)

    assert plan.ok
    assert plan.unchanged == len(read_csv(content)) - 1


def test_the_calendar_file_never_holds_a_control_character():
    assert ics_escape(f"Sal{ESC} 2;{BEL} inngang B\n") == "Sal 2\\; inngang B\\n"
    assert ics_param(f"Ola{ESC} Nord\r\nmann") == "Ola Nord  mann"
