"""testweb imports a LibreOffice .ods, then a CSV whose dates have slashes: the preview says how
each ambiguous date was read («tolket som … – kontroller»), and the confirm saves them so."""

import datetime
import re

from playwright.sync_api import expect

from portal.models import Employee
from tests.browser.helpers import assert_accessible
from tests.imports.conftest import FILES

SLASHED = (
    "Fornavn;Etternavn;E-post;Fødselsdato;Bedrift/avdeling\n"
    "Fetter;Anton;fetter.anton@testbedriften.no;01/03/1990;Testbedriften AS\n"
)


def test_testweb_imports_an_ods_and_checks_the_dates_read_two_ways(
    page, login, screenshot, tmp_path
):
    login(page, "testweb")
    page.goto(page.url.split("/portal")[0] + "/portal/employee/import/")
    expect(page).to_have_url(re.compile(r"/portal/employee/import/$"))

    # A LibreOffice .ods: a preview, not «Ugyldig forespørsel».
    page.locator("input[name=import_file]").set_input_files(FILES / "libreoffice_rows.ods")
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-created")).to_have_text("3")
    page.get_by_test_id("import-confirm").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/$"))
    assert Employee.objects.filter(email__endswith=".calc@testbedriften.no").count() == 3

    # A date with slashes: read day first, shown to check, and saved as shown.
    slashed = tmp_path / "ansatte.csv"
    slashed.write_text(SLASHED, encoding="utf-8")
    page.goto(page.url.split("/portal")[0] + "/portal/employee/import/")
    page.locator("input[name=import_file]").set_input_files(slashed)
    page.get_by_test_id("import-upload").click()
    warning = page.get_by_test_id("import-warning")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("tolket som 01.03.1990 – kontroller")
    assert_accessible(page, "the preview with a date to check")
    screenshot(page, "import-date-to-check")
    page.get_by_test_id("import-confirm").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/$"))
    fetter = Employee.objects.get(email="fetter.anton@testbedriften.no")
    assert fetter.birth_date == datetime.date(1990, 3, 1)
