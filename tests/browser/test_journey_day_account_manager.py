"""A day of kam, the provider's account manager (KA/KAM), on the demo as `load_demo` makes it:
Info with the notifications waiting, a customer's order with its appointments and who came,
the order's invoice, the appointment list with a full one, a colleague of the customer booked
on a chosen appointment after its deadline, and Rapporter for the customer."""

import re

import pytest
from playwright.sync_api import expect

from portal.demo_enrich import APPROVED_ORDER, DELIVERED_ORDER
from portal.models import Appointment, Customer, Invoice, Order
from portal.models.appointments import Attendance

from .day import (
    book_in_dialog,
    full_demo,  # noqa: F401 – the fixture, used by name
    open_from_sidebar,
    report_total,
    shots,
)

pytestmark = pytest.mark.usefixtures("full_demo")


def test_a_day_of_the_account_manager(page, login, screenshot):
    delivered = Order.objects.get(number=DELIVERED_ORDER)
    past = (
        Appointment.objects.filter(order=delivered, bookings__attendance=Attendance.NO_SHOW)
        .distinct()
        .order_by("-starts_at")
        .first()
    )
    invoice = Invoice.objects.filter(order=delivered, is_credit_note=False).get()

    # Info: the customers' news waiting for kam.
    login(page, "kam")
    notifications = page.locator("#notifications")
    expect(notifications.get_by_test_id("notification")).to_have_count(2)
    expect(notifications).to_contain_text("Ny bestilling 307000 fra Testbedriften AS")
    shots(page, screenshot, "day-kam-1-info")

    # A customer's order, its appointments and who came.
    open_from_sidebar(page, "Bestilling", r"/portal/order/$")
    page.locator("#result_list").get_by_role("link", name=str(DELIVERED_ORDER), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{delivered.pk}/change/$"))
    expect(page.locator("body")).to_contain_text("Lars Johansen (Ikke møtt)")
    shots(page, screenshot, "day-kam-2-order")
    page.locator(f"a[href='/portal/appointment/{past.pk}/change/']").first.click()
    expect(page.locator("body")).to_contain_text("Ikke møtt")
    shots(page, screenshot, "day-kam-3-attendance")

    # The order's invoice.
    page.goto(f"/portal/order/{delivered.pk}/change/")
    page.get_by_role("link", name=invoice.number, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/portal/invoice/{invoice.pk}/change/$"))
    shots(page, screenshot, "day-kam-4-invoice")

    # The appointments: the full one says so.
    page.goto("/portal/appointment/?when=upcoming")
    results = page.locator("#result_list")
    expect(results).to_contain_text("Fullt (0 / 2)")
    expect(results).to_contain_text("Testbedriften AS")
    shots(page, screenshot, "day-kam-5-appointments")

    # Staff may still book after the deadline: a customer's employee on the closed one.
    closed = Appointment.objects.filter(
        order__number=APPROVED_ORDER, location__contains="Bedriftshelse"
    ).get()
    page.goto(f"/portal/appointment/{closed.pk}/change/")
    book_in_dialog(page, closed.pk, "Ingrid Hansen")
    shots(page, screenshot, "day-kam-6-booked-after-deadline")
    assert closed.bookings.filter(employee__first_name="Ingrid").exists()

    # Rapporter for Testbedriften: this year's figures.
    page.goto("/")
    open_from_sidebar(page, "Rapporter", r"/rapporter/$")
    customer = Customer.objects.get(name="Testbedriften AS")
    page.locator("select[name=customer]").select_option(str(customer.pk))
    page.locator("#report-period [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"customer={customer.pk}"))
    for slug in ("bestillinger", "helsekontroll", "fakturaer"):
        assert report_total(page, slug) not in ("", "0", "0 %", "0,00 kr"), slug
    shots(page, screenshot, "day-kam-7-reports")
