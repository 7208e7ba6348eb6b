"""The provider's KA/KAM: the header, the portal's tabs, and every customer's orders and
invoices."""

import re

from playwright.sync_api import expect

from portal.models import Department, Employee

from .helpers import listed_numbers, open_orders

# The seed's five tabs in their order, with «Helseovervåking» beside «Ansatte»: (Norwegian
# name, link).
TABS = [
    ("Info", "/"),
    ("Bestilling", "/portal/order/"),
    ("Ansatte", "/portal/employee/"),
    ("Helseovervåking", "/portal/surveillancedue/"),
    ("Rapporter", "/rapporter/"),
    ("Fakturaer", "/portal/invoice/"),
]


def test_kam_sees_the_tabs_the_orders_and_the_invoices(page, login, screenshot):
    login(page, "kam")

    header = page.get_by_test_id("logged-in-as")
    expect(header).to_contain_text("Du er logget inn som:")
    expect(header).to_contain_text("Kari Kundeansvarlig")
    expect(page.locator("[data-testid=logged-in-as] + form [type=submit]")).to_have_text("Logg ut")

    # The portal's own group comes first; staff get the administration sections below it.
    tabs = page.locator("#nav-sidebar-apps ol").first.locator("a")
    expect(tabs).to_have_count(len(TABS))
    hrefs = tabs.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [link for _name, link in TABS]
    for (name, _link), tab in zip(TABS, tabs.all(), strict=True):
        expect(tab).to_contain_text(name)
    screenshot(page, "kam-info")

    results = page.locator("#result_list")

    tabs.nth(1).click()
    expect(page).to_have_url(re.compile(r"/portal/order/$"))
    expect(results.get_by_role("link", name="204334", exact=True)).to_be_visible()
    screenshot(page, "kam-orders")

    tabs.nth(len(TABS) - 1).click()
    expect(page).to_have_url(re.compile(r"/portal/invoice/$"))
    expect(results).to_contain_text("2017-118350")
    screenshot(page, "kam-invoices")


def test_kam_narrows_the_orders_to_a_department_found_by_typing(page, login, screenshot):
    """Staff choose among every customer's departments: typed, not scrolled."""
    trondheim = Department.objects.get(name="Eksempel Industri Trondheim")
    expected = {str(number) for number in trondheim.orders.values_list("number", flat=True)}
    login(page, "kam")
    results = open_orders(page)

    panel = page.locator("#search-panel")
    panel.locator("select[name=department] + .select2").click()
    page.locator(".select2-search__field").fill("trondh")
    choice = page.locator(".select2-results__option")
    expect(choice).to_have_count(1)  # the one department matching "trondh", of every customer
    expect(choice).to_have_text("Eksempel Industri AS – Eksempel Industri Trondheim")
    screenshot(page, "kam-orders-department-autocomplete")
    choice.click()
    panel.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"department={trondheim.pk}"))
    expect(panel.locator("select[name=department] + .select2")).to_contain_text(
        "Eksempel Industri AS – Eksempel Industri Trondheim"
    )
    assert expected
    assert listed_numbers(results) == expected


def test_kam_moves_an_employee_to_a_department_found_by_typing(page, login, screenshot):
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    login(page, "kam")
    page.goto(f"/portal/employee/{donald.pk}/change/")

    page.locator("select[name=department] + .select2").click()
    page.locator(".select2-search__field").fill("berg")
    choice = page.locator(".select2-results__option")
    expect(choice).to_have_count(1)
    expect(choice).to_have_text("Testbedriften AS – Bergen TEST")
    screenshot(page, "kam-employee-department-autocomplete")
    choice.click()
    page.get_by_role("button", name="Lagre", exact=True).click()

    expect(page).to_have_url(re.compile(r"/portal/employee/(\?.*)?$"))
    donald.refresh_from_db()
    assert donald.department.name == "Bergen TEST"


def test_kam_orders_for_a_customer_finding_department_and_contract_by_typing(
    page, login, screenshot
):
    """«Ny bestilling» for staff: every customer's departments and contracts are found by
    typing; the contract chosen fills in its customer reference, as for the customer."""
    login(page, "kam")
    page.goto("/portal/order/add/")
    reference = page.get_by_label("Kundebestillingsreferanse")

    page.locator("select[name=department] + .select2").click()
    page.locator(".select2-search__field").fill("berg")
    page.locator(".select2-results__option", has_text="Bergen TEST").click()
    page.locator("select[name=contract] + .select2").click()
    page.locator(".select2-search__field").fill("testbedr")
    choice = page.locator(".select2-results__option", has_text="Abonnement Testbedriften")
    expect(choice).to_have_text("Testbedriften AS – Abonnement Testbedriften")
    screenshot(page, "kam-new-order-contract-autocomplete")
    choice.click()

    expect(reference).to_have_value("abonnement123")
