"""Fakturaer, as the seed tells it: testweb finds the overdue invoices, opens 2017-118350,
downloads its PDF and exports the list. Screenshots in var/screenshots/invoices-*.png."""

import re
from io import BytesIO

from django.utils import translation
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from .helpers import listed_numbers, search

SEED_INVOICES = {"2017-118350", "2017-118352", "2017-118359", "2018-118371", "2018-118376"}


def nb(msgid: str) -> str:
    """A label as the Norwegian page shows it (the catalogue's, once it has it)."""
    with translation.override("nb"):
        return translation.gettext(msgid)


def test_testweb_finds_overdue_invoices_downloads_a_pdf_and_exports_the_list(
    page, login, screenshot
):
    login(page, "testweb")
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Fakturaer").click()
    expect(page).to_have_url(re.compile(r"/portal/invoice/$"))
    results = page.locator("#result_list")
    for heading in ("Fakturanummer", "Fakturadato", "Forfallsdato", "Betaler", "Total"):
        expect(results.locator("thead")).to_contain_text(heading)
    expect(results.locator("thead")).to_contain_text("Utestående")

    # Søk etter faktura: Status «Forfalt».
    search(page, "Søk etter faktura", Status="Forfalt")
    expect(page).to_have_url(re.compile(r"status=overdue"))
    expect(results.get_by_role("link", name="2017-118350", exact=True)).to_be_visible()
    assert listed_numbers(results) == SEED_INVOICES
    row = results.locator("tbody tr", has=page.get_by_role("link", name="2017-118350"))
    expect(row.locator("td.field-invoice_date")).to_have_text("31.12.2017")
    expect(row.locator("td.field-total_display")).to_have_text("1\xa0500,00\xa0kr")
    expect(row.locator("td.field-status_display")).to_contain_text("Forfalt")
    assert row.locator("td.field-total_display").evaluate(
        "cell => getComputedStyle(cell).textAlign"
    ) in ("right", "end")
    expect(page.locator("body")).not_to_contain_text("Eksempel Industri")
    screenshot(page, "invoices-01-testweb-overdue")

    # Opens 2017-118350 and downloads its PDF.
    results.get_by_role("link", name="2017-118350", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portal/invoice/\d+/change/"))
    body = page.locator("body")
    for text in ("2017-118350", "Testbedriften AS", "31.12.2017", "20.01.2018", "Forfalt"):
        expect(body).to_contain_text(text)
    expect(body).to_contain_text("Abonnement bedriftshelsetjeneste")
    screenshot(page, "invoices-02-testweb-invoice")

    pdf_link = page.locator('a[href$="/pdf/"]')
    expect(pdf_link).to_contain_text(nb("Download PDF"))
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == "faktura-2017-118350.pdf"
    with open(download.path(), "rb") as file:
        reader = PdfReader(BytesIO(file.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "2017-118350" in text
    assert "Total 1 500,00 kr" in text
    assert "Abonnement bedriftshelsetjeneste" in text

    # Back to the filtered list, and its export.
    page.go_back()  # the download left the invoice page where it was
    expect(page).to_have_url(re.compile(r"status=overdue"))
    page.locator('a[href^="/portal/invoice/export/"]').click()
    expect(page).to_have_url(re.compile(r"/portal/invoice/export/\?.*status=overdue"))
    page.get_by_label("Excel (.xlsx)").check()
    screenshot(page, "invoices-03-testweb-export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Last ned").click()
    download = download_info.value
    assert re.fullmatch(r"fakturaer-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as file:
        rows = list(load_workbook(BytesIO(file.read())).active.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Fakturanummer",
        "Fakturadato",
        "Forfallsdato",
        "Betaler",
        "Total",
        "Utestående",
        "Status",
    )
    assert {row[0] for row in rows[1:]} == SEED_INVOICES
    totals = {row[0]: row[4] for row in rows[1:]}
    assert totals["2017-118350"] == 1500
    assert isinstance(totals["2017-118350"], int | float)


def _workbook(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _upload(page, path):
    page.locator("input[type=file][name=import_file]").set_input_files(str(path))
    page.locator("form[enctype='multipart/form-data'] [type=submit]").click()


def test_kam_imports_payments_and_the_invoice_is_paid(page, login, screenshot, tmp_path):
    """The KA/KAM imports the accounting system's payments: a file with mistakes is refused row
    by row; the corrected one is previewed, confirmed, and 2017-118350 is Betalt."""
    wrong = _workbook(
        tmp_path / "feil.xlsx",
        [
            ["Fakturanummer", "Utestående", "KID"],
            ["2017-118350", "null", ""],
            ["2017-118352", "0", "1234567890"],
        ],
    )
    right = _workbook(
        tmp_path / "innbetalinger.xlsx", [["Fakturanummer", "Utestående"], ["2017-118350", 0]]
    )

    login(page, "kam")
    page.goto("/portal/invoice/")
    page.locator('a[href="/portal/invoice/import/"]').click()
    expect(page.locator("#invoice-import-help")).to_be_visible()

    _upload(page, wrong)
    errors = page.locator("table.import-preview")
    expect(errors).to_contain_text("Utestående")
    expect(errors).to_contain_text("KID")
    expect(errors.locator("tbody")).to_have_count(2)  # one per wrong row, with its number
    expect(page.locator("form[action$='/import/confirm/']")).to_have_count(0)
    screenshot(page, "invoices-04-kam-import-errors")

    _upload(page, right)
    preview = page.locator("table.import-preview-table")
    expect(preview).to_contain_text("2017-118350")
    expect(preview).to_contain_text("Testbedriften AS")
    expect(preview).to_contain_text("1\xa0500,00\xa0kr → 0,00\xa0kr")
    screenshot(page, "invoices-05-kam-import-preview")
    page.locator("form[action$='/import/confirm/'] [type=submit]").click()

    expect(page).to_have_url(re.compile(r"/portal/invoice/$"))
    row = page.locator(
        "#result_list tbody tr", has=page.get_by_role("link", name="2017-118350", exact=True)
    )
    expect(row.locator("td.field-status_display")).to_contain_text("Betalt")
    screenshot(page, "invoices-06-kam-after-import")
