"""The Ansatte tab, as the seed tells it: testweb finds Donald Duck by free text, edits his
mobile, registers his national id and sees it masked, adds a new employee, deactivates one and
finds them again with the Status filter. Screenshots in var/screenshots/employees-*.png."""

import re

from playwright.sync_api import expect

from audit.models import AuditEvent
from portal.models import Employee

from .helpers import search

NUMBER = "13091850189"  # Donald's birth date, 13.09.2018
MASK = "***********"


def _open_employees(page):
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Ansatte").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/(\?.*)?$"))
    return page.locator("#result_list")


def _names(results) -> set[str]:
    return {t.strip() for t in results.locator("tbody tr .field-name").all_inner_texts()}


def _no_digits_of_the_number(page):
    html = page.content()
    runs = [NUMBER] + [NUMBER[i : i + 6] for i in range(len(NUMBER) - 5)]
    assert [run for run in runs if run in html] == []


def test_testweb_keeps_the_employee_register(page, login, screenshot):
    # testweb finds Donald Duck by free text ...
    login(page, "testweb")
    results = _open_employees(page)
    search(page, "Finn ansatte", Fritekst="donald duck")
    expect(results.get_by_role("link", name="Donald Duck")).to_be_visible()
    assert _names(results) == {"Donald Duck"}
    screenshot(page, "employees-01-find-donald")

    # ... opens him: his page, to read, with «Deaktiver» and «Rediger» ...
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    results.get_by_role("link", name="Donald Duck").click()
    expect(page).to_have_url(re.compile(rf"/portal/employee/{donald.pk}/change/(\?.*)?$"))
    expect(page.get_by_text("Duck@testikkeibruk.no")).to_be_visible()
    expect(page.get_by_label("E-post")).to_have_count(0)
    expect(page.locator("a", has_text="Deaktiver").first).to_be_visible()
    screenshot(page, "employees-02-donald")

    # ... edits his mobile and enters his national id after «Rediger» ...
    page.locator("a", has_text="Rediger").first.click()
    expect(page.get_by_label("E-post")).to_have_value("Duck@testikkeibruk.no")
    expect(
        page.get_by_text("Blankt betyr at det ikke er registrert noe nummer ennå.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Lagre og fortsett å redigere")).to_have_count(0)
    page.get_by_label("Mobilnummer").fill("+47 987 65 432")
    page.get_by_label("Fødselsnummer (11 siffer)").fill(NUMBER)
    screenshot(page, "employees-03-donald-edited")
    page.get_by_role("button", name="Lagre", exact=True).click()

    # ... and reads his page again, the number masked.
    expect(page).to_have_url(re.compile(rf"/portal/employee/{donald.pk}/change/$"))
    expect(page.get_by_text("Ansatt Donald Duck er lagret.")).to_be_visible()
    expect(page.get_by_text(MASK)).to_be_visible()
    expect(page.get_by_text("987 65 432")).to_be_visible()
    expect(page.locator("#employee-history")).to_contain_text("fødselsnummer")
    _no_digits_of_the_number(page)
    screenshot(page, "employees-04-donald-saved-masked")
    donald.refresh_from_db()
    assert (donald.mobile, donald.reveal_national_id()) == ("98765432", NUMBER)

    # testweb adds a new employee with «Ny ansatt».
    _open_employees(page)
    page.get_by_role("link", name="Ny ansatt").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/add/$"))
    page.get_by_label("Fornavn").fill("Fetter")
    page.get_by_label("Etternavn").fill("Anton")
    page.get_by_label("E-post").fill("fetter.anton@testikkeibruk.no")
    page.get_by_label("Mobilnummer").fill("0047 912 34 567")
    page.get_by_label("Fødselsdato").fill("01.02.1990")
    page.get_by_label("Kjønn").select_option(label="Mann")
    page.get_by_label("Bedrift/avdeling").select_option(label="Bergen TEST")
    screenshot(page, "employees-05-new-employee")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portal/employee/(\?.*)?$"))
    expect(page.get_by_text("Ansatt Fetter Anton er lagt til.")).to_be_visible()
    fetter = Employee.objects.get(first_name="Fetter", last_name="Anton")
    assert (fetter.mobile, fetter.department.name) == ("91234567", "Bergen TEST")
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name="Fetter Anton")).to_be_visible()
    screenshot(page, "employees-06-new-employee-saved")

    # ... and deactivates him through the «Deaktiver» dialog.
    results.get_by_role("link", name="Fetter Anton").click()
    expect(page).to_have_url(re.compile(rf"/portal/employee/{fetter.pk}/change/(\?.*)?$"))
    page.locator("a", has_text="Deaktiver").first.click()
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Deaktiver ansatt")
    screenshot(page, "employees-07-deactivate-dialog")
    dialog.get_by_role("button", name="Deaktiver").click()
    expect(page.get_by_text("Fetter Anton er deaktivert.")).to_be_visible()
    expect(page.locator("a", has_text="Aktiver igjen").first).to_be_visible()
    screenshot(page, "employees-08-deactivated")
    fetter.refresh_from_db()
    assert fetter.is_active is False
    assert fetter.deactivated_by.username == "testweb"
    assert AuditEvent.objects.filter(action="deactivated", object_id=str(fetter.pk)).exists()

    # He is gone from the list, and found again with the Status filter «Deaktiverte».
    results = _open_employees(page)
    expect(results.get_by_role("link", name="Fetter Anton")).to_have_count(0)
    search(page, "Finn ansatte", Fritekst="Fetter", Status="Deaktiverte")
    expect(page).to_have_url(re.compile(r"active=deactivated"))
    expect(results.get_by_role("link", name="Fetter Anton")).to_be_visible()
    assert _names(results) == {"Fetter Anton"}
    screenshot(page, "employees-09-found-with-status-filter")
