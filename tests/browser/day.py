"""What the day's journeys (test_journey_day_*.py) share: the full demo as `load_demo` makes it,
a shot of each page at a desktop's and a phone's width, checked by axe-core at both, and the
steps every role takes."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.demo_enrich import demo_enrich

from .helpers import assert_accessible

DESKTOP, PHONE = 1366, 375


@pytest.fixture
def full_demo(demo_world):
    """The demo as `manage.py load_demo` leaves it: the seed (the browser tests' `demo_world`)
    and its living part dated from today."""
    demo_enrich()


def shots(page, screenshot, name):
    """`name-1366.png` and `name-375.png`: the page as a desktop and a phone show it, each
    without a violation of WCAG 2.1 A/AA that axe-core finds."""
    at_both_widths(page, name, screenshot)


def at_both_widths(page, name, screenshot=None):
    """axe-core on the page as it is now, at a desktop's and a phone's width (and a shot of
    each, given `screenshot`); the viewport is put back as it was."""
    viewport = page.viewport_size
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        if screenshot:
            screenshot(page, f"{name}-{width}")
        assert_accessible(page, where=f"{name} ({page.url}, {width} px)")
    if viewport:
        page.set_viewport_size(viewport)


def open_from_sidebar(page, name, url_pattern):
    """The sidebar's link `name`; the page it opens, checked by axe-core at both widths."""
    page.locator("#nav-sidebar-apps").get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(url_pattern))
    at_both_widths(page, f"sidebar {name}")


def book_in_dialog(page, appointment_pk, employee_name):
    """«Book ansatt» on the appointment's page: type the name, choose it, book."""
    page.locator(f'a[href$="/portal/appointment/{appointment_pk}/book-employee/"]').first.click()
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    at_both_widths(page, "book-dialog")
    dialog.locator("select[name=employee] + .select2").click()
    page.locator(".select2-search__field").fill(employee_name.split(" ")[0])
    option = page.locator(".select2-results__option", has_text=employee_name)
    expect(option).to_be_visible()
    assert_accessible(page, where=f"book-dialog, the employees found ({page.url})")
    option.click()
    dialog.locator("button[type=submit]").click()
    expect(page.locator("#dialog")).to_have_count(0)
    expect(page.locator("body")).to_contain_text(employee_name)


def import_csv(page, tmp_path, rows):
    """Upload a small CSV as Norwegian Excel writes it, check the preview, confirm."""
    lines = ["Fornavn;Etternavn;E-post;Mobil;Fødselsdato;Kjønn;Bedrift/avdeling"]
    lines += [";".join(row) for row in rows]
    path = tmp_path / "nye-ansatte.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    page.locator('a[href="/portal/employee/import/"]').click()
    expect(page).to_have_url(re.compile(r"/portal/employee/import/$"))
    at_both_widths(page, "employee-import")
    page.locator("input[name=import_file]").set_input_files(path)
    page.get_by_test_id("import-upload").click()
    expect(page.get_by_test_id("import-created")).to_have_text(str(len(rows)))
    return path


def confirm_import(page, name):
    """The preview's «Bekreft import»: back on the employee list, with its message and `name`."""
    page.get_by_test_id("import-confirm").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/$"))
    expect(page.locator("#result_list").get_by_role("link", name=name)).to_be_visible()
    at_both_widths(page, "employee-list-imported")


def export_employees(page, tmp_path):
    """The employee list's «Eksporter», as .xlsx; the rows of the file."""
    page.locator('a[href^="/portal/employee/export/"]').click()
    expect(page).to_have_url(re.compile(r"/portal/employee/export/"))
    at_both_widths(page, "employee-export")
    page.get_by_label("Excel (.xlsx)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned").click()
    path = tmp_path / "ansatte.xlsx"
    download.value.save_as(path)
    return list(load_workbook(path).active.iter_rows(values_only=True))


def report_total(page, slug) -> str:
    """The last cell of a report table's total row («Totalt»)."""
    table = page.get_by_test_id(f"report-{slug}").get_by_test_id("report-table")
    return table.locator("tfoot td, tfoot th").last.inner_text().strip()
