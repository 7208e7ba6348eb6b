"""The employee export: the rows the list shows the user, never a national id, and no cell a
spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from permissions.capabilities import Role
from permissions.services import grant_create
from portal import services
from portal.models import Employee
from tests.factories import EmployeeFactory, StaffFactory, UserFactory
from tests.imports.nid import KARI, KARI_BORN

pytestmark = pytest.mark.django_db

EXPORT = "/portal/employee/export/"
XLSX, CSV = "0", "1"


def export(client, file_format=XLSX, query="") -> list[list]:
    response = client.post(f"{EXPORT}?{query}", {"format": file_format})
    assert response.status_code == 200, response.status_code
    if file_format == XLSX:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads æøå right
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def emails(rows) -> set[str]:
    return {row[2] for row in rows[1:]}


@pytest.fixture
def exporting(cast, client_en):
    def _as(user):
        client_en.force_login(user)
        return client_en

    return _as


def test_the_export_has_the_import_columns_and_reads_back(exporting, cast, preview):
    rows = export(exporting(cast.testweb))
    assert rows[0] == [
        "First name", "Last name", "E-mail", "Mobile", "Date of birth", "Gender",
        "Company/department", "Active",
    ]  # fmt: skip
    donald = next(row for row in rows if row[0] == "Donald")
    assert donald[2:] == [
        "Duck@testikkeibruk.no", "123 45 678", donald[4], "Male", "Testbedriften AS", "yes"
    ]  # fmt: skip
    assert donald[4].date().isoformat() == "2018-09-13"  # a real date cell

    content = exporting(cast.testweb).post(EXPORT, {"format": XLSX}).content
    plan = preview("", content=content)  # the export is an import file: nothing changes
    assert plan.ok
    assert plan.unchanged == len(rows) - 1


def test_only_the_users_own_rows(exporting, cast):
    testweb = emails(export(exporting(cast.testweb)))
    assert "duck@testikkeibruk.no" in {e.lower() for e in testweb}
    assert not any("eksempel-industri" in e for e in testweb)

    annen = emails(export(exporting(cast.annen), CSV))
    assert annen == {"ola.nordmann@eksempel-industri.no", "kari.nordmann@eksempel-industri.no"}

    bergen = emails(export(exporting(cast.bergen_hr)))
    assert bergen == {"anton@testikkeibruk.no", "skrue@testikkeibruk.no"}


def test_only_the_rows_the_search_panel_shows(exporting, cast):
    client = exporting(cast.testweb)
    assert emails(export(client, query="text=Donald")) == {"Duck@testikkeibruk.no"}
    assert emails(export(client, CSV, query=f"department={cast.tb_bergen.pk}")) == {
        "anton@testikkeibruk.no",
        "skrue@testikkeibruk.no",
    }
    donald = Employee.objects.get(first_name="Donald")
    services.employee_deactivate(employee=donald, actor=cast.testweb)
    assert "Duck@testikkeibruk.no" not in emails(export(client))  # active only, as the list
    assert emails(export(client, query="active=deactivated")) == {"Duck@testikkeibruk.no"}


def test_staff_see_the_customer_column(exporting, cast):
    rows = export(exporting(cast.kam))
    assert rows[0][-1] == "Customer"
    assert {row[-1] for row in rows[1:]} == {"Testbedriften AS", "Eksempel Industri AS"}


def test_never_the_national_id(exporting, cast):
    donald = Employee.objects.get(first_name="Donald")
    services.employee_update(
        employee=donald, actor=cast.testweb, national_id=KARI, birth_date=KARI_BORN
    )
    for user in (cast.testweb, cast.kam):
        for file_format in (XLSX, CSV):
            response = exporting(user).post(EXPORT, {"format": file_format})
            text = response.content.decode("utf-8-sig", errors="replace")
            if file_format == XLSX:
                rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(
                    values_only=True
                )
                text = "\n".join(" ".join(str(c) for c in row) for row in rows)
            assert KARI not in text
            assert donald.national_id_encrypted not in text
            assert "national" not in text.lower()
            assert "fødselsnummer" not in text.lower()


@pytest.mark.parametrize("file_format", [XLSX, CSV])
def test_formula_cells_are_escaped(exporting, cast, file_format):
    EmployeeFactory(
        department=cast.tb_bergen,
        first_name='=HYPERLINK("http://evil.example","Klikk")',
        last_name="+SUM(1;2)",
        email="formel@testbedriften.no",
        mobile="+4670123456",
    )
    EmployeeFactory(department=cast.tb_bergen, first_name="@Kari", last_name="-1+2", email="a@b.no")
    EmployeeFactory(department=cast.tb_bergen, first_name="\tTab", last_name="\rCr", email="c@d.no")
    rows = export(exporting(cast.testweb), file_format)
    cells = [cell for row in rows[1:] for cell in row if isinstance(cell, str)]
    assert '\'=HYPERLINK("http://evil.example","Klikk")' in cells
    assert "'+SUM(1;2)" in cells
    assert "'+4670123456" in cells
    assert "'@Kari" in cells
    assert "'-1+2" in cells
    assert "'\tTab" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if file_format == XLSX:
        response = exporting(cast.testweb).post(EXPORT, {"format": XLSX})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_is_refused_without_the_capability(exporting, cast):
    orderer = UserFactory(username="bestiller2")
    grant_create(user=orderer, customer=cast.testbedriften, role=Role.ORDERER)
    assert exporting(orderer).post(EXPORT, {"format": XLSX}).status_code == 403

    # Staff who may see every employee, but have not been given export_employee.

    viewer = StaffFactory(username="seer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_employee"))
    assert exporting(viewer).get("/portal/employee/").status_code == 200
    assert exporting(viewer).post(EXPORT, {"format": XLSX}).status_code == 403


def test_the_sheet_is_named_after_the_list(client, cast):
    client.force_login(cast.testweb)  # in Norwegian, as the portal speaks by default

    response = client.post(EXPORT, {"format": XLSX})

    assert load_workbook(io.BytesIO(response.content)).active.title == "Ansatte"
