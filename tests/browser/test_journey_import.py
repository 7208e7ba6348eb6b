"""testweb imports employees from the template: one bad row is shown, fixed, confirmed; the new
employees are in the list, and the list exports to a workbook."""

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.models import Employee

from .helpers import assert_accessible


def _fill(template_path, target_path, *, second_email):
    """The downloaded template with two employees in it (the example row replaced)."""
    workbook = load_workbook(template_path)
    sheet = workbook.active
    headings = [cell.value for cell in sheet[1]]
    rows = [
        {"Fornavn": "Nina", "Etternavn": "Nyansatt", "E-post": "nina.nyansatt@testbedriften.no",
         "Mobil": "912 34 500", "Kjønn": "Kvinne", "Bedrift/avdeling": "Bergen TEST"},
        {"Fornavn": "Ole", "Etternavn": "Feilsen", "E-post": second_email,
         "Mobil": "+47 912 34 501", "Kjønn": "Mann", "Bedrift/avdeling": "Testbedriften AS"},
    ]  # fmt: skip
    for offset, row in enumerate(rows):
        for column, heading in enumerate(headings, start=1):
            sheet.cell(row=2 + offset, column=column).value = row.get(heading)
    workbook.save(target_path)
    return target_path


def test_testweb_imports_employees_from_the_template_and_exports_the_list(
    page, login, screenshot, tmp_path
):
    login(page, "testweb")
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Ansatte").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/$"))

    # The list's Import button, then the template.
    page.locator('a[href="/portal/employee/import/"]').click()
    expect(page).to_have_url(re.compile(r"/portal/employee/import/$"))
    with page.expect_download() as download:
        page.get_by_test_id("import-template").click()
    template = tmp_path / "mal.xlsx"
    download.value.save_as(template)
    headings = [cell.value for cell in load_workbook(template).active[1]]
    assert headings[:8] == [
        "Fornavn", "Etternavn", "E-post", "Mobil", "Fødselsdato", "Kjønn", "Bedrift/avdeling",
        "Fødselsnummer",
    ]  # fmt: skip
    screenshot(page, "import-page")
    assert_accessible(page, where="import-page")

    # A file with one bad row: the error names the row, the column and the value.
    bad = _fill(template, tmp_path / "ansatte.xlsx", second_email="ole.feilsen(at)testbedriften")
    page.locator("input[name=import_file]").set_input_files(bad)
    page.get_by_test_id("import-upload").click()
    errors = page.get_by_test_id("import-error")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("E-post")
    expect(errors.first).to_contain_text("ole.feilsen(at)testbedriften")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    screenshot(page, "import-errors")
    assert_accessible(page, where="import-errors")
    assert not Employee.objects.filter(last_name__in=["Nyansatt", "Feilsen"]).exists()

    # Fixed and uploaded again: the preview, then the confirm.
    good = _fill(template, tmp_path / "ansatte.xlsx", second_email="ole.feilsen@testbedriften.no")
    page.locator("input[name=import_file]").set_input_files(good)
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-created")).to_have_text("2")
    expect(page.get_by_test_id("import-new-rows")).to_contain_text("Nina Nyansatt")
    screenshot(page, "import-preview")
    assert_accessible(page, where="import-preview")
    page.get_by_test_id("import-confirm").click()

    expect(page).to_have_url(re.compile(r"/portal/employee/$"))
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name="Nina Nyansatt")).to_be_visible()
    expect(results.get_by_role("link", name="Ole Feilsen")).to_be_visible()
    screenshot(page, "import-done")
    assert_accessible(page, where="import-done")
    ole = Employee.objects.get(email="ole.feilsen@testbedriften.no")
    assert (ole.department.name, ole.mobile) == ("Testbedriften AS", "91234501")

    # The list exports to a workbook with the new employees in it.
    page.locator('a[href^="/portal/employee/export/"]').click()
    expect(page).to_have_url(re.compile(r"/portal/employee/export/"))
    page.get_by_label("Excel (.xlsx)").check()
    screenshot(page, "import-export")
    assert_accessible(page, where="import-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned").click()
    exported = tmp_path / "eksport.xlsx"
    download.value.save_as(exported)
    names = {(row[0], row[1]) for row in load_workbook(exported).active.iter_rows(values_only=True)}
    assert {("Nina", "Nyansatt"), ("Ole", "Feilsen"), ("Donald", "Duck")} <= names
    assert not any("Nordmann" in str(name) for name in names)  # the other customer's
