"""WCAG 2.1 AA, as axe-core checks it (tags wcag2a, wcag2aa, wcag21a, wcag21aa), on every page
a customer reaches and on staff's main pages, at 1366 px and, for a few, at 375 px.

One context per role, each visiting its pages in turn; every page's violations are collected
and the test fails once with all of them (`tests/browser/helpers.py`: `axe_violations`,
`format_violations`; the journeys call `assert_accessible`).
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from portal.models import Appointment, Employee, Exposure, ExposureType, Order, ProductGroup
from portal.services.exposures import exposure_create
from tests.browser.helpers import axe_violations, format_violations, require_axe
from tests.factories import AppointmentFactory, BookingFactory

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


class Audit:
    """The pages visited and the violations found on them."""

    def __init__(self, page):
        self.page = page
        self.checked: list[str] = []
        self.found: list[str] = []

    def check(self, where: str) -> None:
        where = f"{where} ({self.page.url}, {self.page.viewport_size['width']} px)"
        self.checked.append(where)
        if violations := axe_violations(self.page):
            self.found.append(format_violations(violations, where))

    def visit(self, path: str, where: str) -> None:
        self.page.goto(path)
        self.page.wait_for_load_state("load")
        self.check(where)

    def first_object(self, where: str) -> None:
        """The list's first row, opened by its link."""
        link = self.page.locator("#result_list tbody a[href$='/change/']").first
        link.click()
        self.page.wait_for_load_state("load")
        expect(self.page).to_have_url(re.compile(r"/change/$"))
        self.check(where)

    def assert_none(self) -> None:
        assert self.checked
        assert not self.found, "\n\n".join(self.found)


def _appointment_with_a_booking() -> Appointment:
    """A future appointment of Testbedriften's order 290467 with Donald booked, so that the
    appointment lists, pages and booking dialogs have a row to show."""
    appointment: Appointment = AppointmentFactory.create(
        order=Order.objects.get(number=290467), location="Bergen, Strandkaien 2", capacity=3
    )
    BookingFactory(appointment=appointment, employee=Employee.objects.get(first_name="Donald"))
    return appointment


def _exposure_of_donald() -> Exposure:
    """Donald exposed to noise for two years: the due list has a row, overdue."""
    hearing = ProductGroup.objects.create(name="Hørselskontroll")
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=hearing, first_check_months=6, interval_months=36
    )
    return exposure_create(
        actor=get_user_model().objects.get(username="testweb"),
        employee=Employee.objects.get(first_name="Donald"),
        exposure_type=noise,
        starts_on=timezone.localdate() - datetime.timedelta(days=730),
        note="Platehall 2",
    )


def test_every_page_a_customer_reaches_is_accessible(page, login, logout):
    require_axe()
    appointment = _appointment_with_a_booking()
    exposure = _exposure_of_donald()
    audit = Audit(page)
    page.set_viewport_size(WIDE)

    audit.visit("/login/", "login (logged out)")
    audit.visit("/passord/glemt/", "forgotten password (logged out)")
    login(page, "testweb")
    audit.check("Info")

    audit.visit("/portal/order/", "Bestilling")
    audit.first_object("an order")
    audit.visit("/portal/order/new/", "Ny bestilling")
    audit.visit("/portal/order/export/", "orders: export")
    audit.visit("/portal/appointment/", "Timeavtaler")
    audit.visit(f"/portal/appointment/{appointment.pk}/change/", "an appointment")
    page.locator(f'a[href$="/portal/appointment/{appointment.pk}/book-employee/"]').first.click()
    expect(page.locator("#dialog")).to_be_visible()
    audit.check("«Book ansatt» dialog")

    audit.visit("/portal/employee/", "Ansatte")
    for name in ("Dolly", "Anton"):
        employee = Employee.objects.get(first_name=name)
        page.locator(f"input.action-select[value='{employee.pk}']").check()
    page.locator("select[name=action]").select_option("book_on_appointments")
    page.locator("#changelist-actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/appointment/book/$"))
    audit.check("«Book på timeavtaler»")
    page.locator(f"input[name=order][value='{appointment.order_id}']").check()
    page.get_by_test_id("book-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/portal/appointment/book/{appointment.order_id}/$"))
    audit.check("«Book på timeavtaler»: the grid")
    audit.visit(
        f"/portal/appointment/book/{appointment.order_id}/invitations/",
        "«La de ansatte velge selv»: who has chosen",
    )
    audit.visit("/portal/employee/", "Ansatte")
    audit.first_object("an employee")
    audit.visit("/portal/employee/new/", "Ny ansatt")
    audit.visit("/portal/employee/import/", "employees: import")
    audit.visit("/portal/employee/export/", "employees: export")
    audit.visit("/portal/surveillancedue/", "Helseovervåking")
    audit.visit("/portal/surveillancedue/export/", "Helseovervåking: export")
    audit.visit(f"/portal/exposure/add/?employee={exposure.employee_id}", "Legg til eksponering")
    audit.visit(f"/portal/exposure/{exposure.pk}/change/", "an exposure")

    audit.visit("/rapporter/", "Rapporter")
    audit.visit("/portal/invoice/", "Fakturaer")
    audit.first_object("an invoice")
    audit.visit("/portal/invoice/export/", "invoices: export")

    audit.visit("/tilganger/", "Brukere og tilganger")
    audit.visit("/tilganger/inviter/", "Inviter kollega")

    audit.visit("/password_change/", "change password")
    audit.visit("/konto/tofaktor/", "two-factor sign-in")

    # A phone: the header, a folded and an unfolded search panel, a page with tables.
    page.set_viewport_size(PHONE)
    audit.visit("/", "Info")
    audit.visit("/portal/order/", "Bestilling")
    page.get_by_test_id("search-panel-toggle").click()
    expect(page.locator("#search-panel-form")).to_be_visible()
    audit.check("Bestilling, search panel unfolded")
    audit.first_object("an order")
    audit.visit("/rapporter/", "Rapporter")
    audit.visit(f"/portal/appointment/{appointment.pk}/change/", "an appointment")
    audit.visit("/portal/surveillancedue/", "Helseovervåking")
    audit.visit("/tilganger/", "Brukere og tilganger")
    logout(page)
    audit.check("logged out")

    audit.assert_none()


def test_staffs_main_pages_are_accessible(page, login):
    require_axe()
    appointment = _appointment_with_a_booking()
    _exposure_of_donald()
    audit = Audit(page)
    page.set_viewport_size(WIDE)

    login(page, "kam")
    audit.check("Info")
    audit.visit("/portal/order/", "orders")
    audit.first_object("an order")
    audit.visit("/portal/appointment/", "appointments")
    audit.visit(f"/portal/appointment/{appointment.pk}/change/", "an appointment")
    audit.visit("/portal/invoice/", "invoices")
    audit.first_object("an invoice")
    audit.visit("/portal/customer/", "customers")
    audit.first_object("a customer")
    audit.visit("/portal/employee/", "employees")
    audit.first_object("an employee")
    audit.visit("/rapporter/", "reports")
    audit.visit("/portal/surveillancedue/", "Helseovervåking")
    audit.visit("/portal/exposuretype/", "exposure types")
    audit.first_object("an exposure type")

    page.set_viewport_size(PHONE)
    audit.visit("/portal/order/", "orders")
    audit.first_object("an order")

    audit.assert_none()
