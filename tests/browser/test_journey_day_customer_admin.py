"""A day of testweb, Testbedriften's customer administrator, on the demo as `load_demo` makes
it: Info with what waits, an order with its appointments and who came, the order's invoice,
two employees booked on an appointment chosen for them, two new employees from a CSV file,
the employee list exported, and Rapporter with this year's figures."""

import re

import pytest
from playwright.sync_api import expect

from portal.demo_enrich import APPROVED_ORDER, AWAITING_CUSTOMER_ORDER, DELIVERED_ORDER
from portal.models import Appointment, Employee, Invoice, Order
from portal.models.appointments import Attendance

from .day import (
    book_in_dialog,
    confirm_import,
    export_employees,
    full_demo,  # noqa: F401 – the fixture, used by name
    import_csv,
    open_from_sidebar,
    report_total,
    shots,
)

pytestmark = pytest.mark.usefixtures("full_demo")


def test_a_day_of_the_customer_administrator(page, login, screenshot, tmp_path):
    delivered = Order.objects.get(number=DELIVERED_ORDER)
    past = (
        Appointment.objects.filter(order=delivered, bookings__attendance=Attendance.NO_SHOW)
        .distinct()
        .order_by("-starts_at")
        .first()
    )
    invoice = Invoice.objects.filter(order=delivered, is_credit_note=False).get()

    # Info: what waits for testweb.
    login(page, "testweb")
    notifications = page.locator("#notifications")
    # an order to approve, an invoice, and kam's answers on two orders
    expect(notifications.get_by_test_id("notification")).to_have_count(4)
    expect(notifications).to_contain_text("venter på din godkjenning")
    expect(notifications).to_contain_text(f"Ny melding på bestilling {AWAITING_CUSTOMER_ORDER}")
    shots(page, screenshot, "day-testweb-1-info")

    # An order with its appointments, and who came to the one that has passed.
    open_from_sidebar(page, "Bestilling", r"/portal/order/$")
    page.locator("#result_list").get_by_role("link", name=str(DELIVERED_ORDER), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{delivered.pk}/change/$"))
    expect(page.locator("body")).to_contain_text("Ikke møtt")
    shots(page, screenshot, "day-testweb-2-order")
    page.locator(f"a[href='/portal/appointment/{past.pk}/change/']").first.click()
    body = page.locator("body")
    expect(body).to_contain_text("Møtt")
    expect(body).to_contain_text("Ikke møtt")
    expect(body).to_contain_text("Gjennomført")
    shots(page, screenshot, "day-testweb-3-attendance")

    # The order's invoice, with its lines linked back to the order.
    page.goto(f"/portal/order/{delivered.pk}/change/")
    page.get_by_role("link", name=invoice.number, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/portal/invoice/{invoice.pk}/change/$"))
    expect(page.locator("body")).to_contain_text("Betalt")
    expect(page.get_by_role("link", name=re.compile(str(DELIVERED_ORDER))).first).to_be_visible()
    shots(page, screenshot, "day-testweb-4-invoice")

    # Two employees booked on the appointment chosen: the approved order's empty one.
    approved = Order.objects.get(number=APPROVED_ORDER)
    chosen = Appointment.objects.filter(order=approved, bookings=None, capacity=8).get()
    page.goto(f"/portal/order/{approved.pk}/change/")
    expect(page.locator("body")).to_contain_text("Fullt")
    shots(page, screenshot, "day-testweb-5-order-to-book")
    page.locator(f"a[href='/portal/appointment/{chosen.pk}/change/']").first.click()
    expect(page.get_by_test_id("inline-empty")).to_be_visible()
    book_in_dialog(page, chosen.pk, "Magnus Olsen")
    book_in_dialog(page, chosen.pk, "Hanne Solberg")
    shots(page, screenshot, "day-testweb-6-booked")
    assert sorted(b.employee.first_name for b in chosen.bookings.all()) == ["Hanne", "Magnus"]

    # Two new employees from a small CSV file.
    open_from_sidebar(page, "Ansatte", r"/portal/employee/$")
    import_csv(
        page,
        tmp_path,
        [
            ("Astrid", "Vik", "astrid.vik@testikkeibruk.no", "90011223", "", "Kvinne",
             "Testbedriften AS"),
            ("Jonas", "Moe", "jonas.moe@testikkeibruk.no", "90011224", "", "Mann", "Bergen TEST"),
        ],
    )  # fmt: skip
    shots(page, screenshot, "day-testweb-7-import-preview")
    confirm_import(page, "Jonas Moe")
    assert Employee.objects.get(email="jonas.moe@testikkeibruk.no").department.name == "Bergen TEST"

    # The employee list, exported.
    rows = export_employees(page, tmp_path)
    names = {(row[0], row[1]) for row in rows}
    assert {("Astrid", "Vik"), ("Magnus", "Olsen"), ("Donald", "Duck")} <= names
    assert ("Ola", "Nordmann") not in names  # the other customer's

    # Rapporter opens on the last twelve months, with figures in every report.
    page.goto("/")
    open_from_sidebar(page, "Rapporter", r"/rapporter/$")
    expect(page.get_by_test_id("report-period-note")).to_have_count(0)
    for slug in ("bestillinger", "helsekontroll", "fakturaer"):
        assert report_total(page, slug) not in ("", "0", "0,00 kr"), slug
    shots(page, screenshot, "day-testweb-8-reports")
