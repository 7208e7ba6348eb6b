"""A day of hr.bergen, HR of Testbedriften for the department Bergen TEST only, on the demo as
`load_demo` makes it: Info, the Bergen order with its appointments and who came, no invoices
(HR is not given them), two colleagues booked on an appointment chosen for them, two new
employees from a CSV file, the list exported, and Rapporter with Bergen's figures only."""

import re

import pytest
from playwright.sync_api import expect

from portal.demo_enrich import BERGEN_ORDER, HR_BERGEN
from portal.models import Appointment, Employee, Order

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


def test_a_day_of_the_hr_user_of_one_department(page, login, screenshot, tmp_path):
    order = Order.objects.get(number=BERGEN_ORDER)
    past, upcoming = Appointment.objects.filter(order=order).order_by("starts_at")

    # Info: Bergen's appointments and the notifications waiting (the appointments added, and
    # kam's answer on the order).
    login(page, HR_BERGEN)
    notifications = page.locator("#notifications")
    expect(notifications.get_by_test_id("notification")).to_have_count(2)
    expect(notifications).to_contain_text(f"Ny melding på bestilling {BERGEN_ORDER}")
    expect(page.locator("#nav-sidebar-apps").get_by_role("link", name="Fakturaer")).to_have_count(0)
    shots(page, screenshot, "day-hr-bergen-1-info")

    # The orders are Bergen's only; the Bergen order with its appointments and who came.
    open_from_sidebar(page, "Bestilling", r"/portal/order/$")
    results = page.locator("#result_list")
    expect(results.locator("tbody tr")).to_have_count(1)
    results.get_by_role("link", name=str(BERGEN_ORDER), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    body = page.locator("body")
    expect(body).to_contain_text("Anton Duck (Møtt)")
    expect(body).to_contain_text("Skrue McDuck (Ikke møtt)")
    expect(body).not_to_contain_text("2026-12010")  # no invoices for HR
    shots(page, screenshot, "day-hr-bergen-2-order")
    page.locator(f"a[href='/portal/appointment/{past.pk}/change/']").first.click()
    expect(page.locator("body")).to_contain_text("Gjennomført")
    shots(page, screenshot, "day-hr-bergen-3-attendance")

    # Two colleagues booked on the upcoming appointment, chosen from the order page.
    page.goto(f"/portal/order/{order.pk}/change/")
    page.locator(f"a[href='/portal/appointment/{upcoming.pk}/change/']").first.click()
    book_in_dialog(page, upcoming.pk, "Hanne Solberg")
    book_in_dialog(page, upcoming.pk, "Sigrid Nilsen")
    expect(page.locator("body")).to_contain_text("Øyvind Larsen")
    shots(page, screenshot, "day-hr-bergen-4-booked")
    assert upcoming.bookings.count() == 3

    # Two new employees of Bergen from a small CSV file.
    open_from_sidebar(page, "Ansatte", r"/portal/employee/$")
    import_csv(
        page,
        tmp_path,
        [
            ("Eirik", "Dale", "eirik.dale@testikkeibruk.no", "90022334", "", "Mann", "Bergen TEST"),
            ("Marte", "Lie", "marte.lie@testikkeibruk.no", "90022335", "", "Kvinne",
             "Bergen TEST"),
        ],
    )  # fmt: skip
    shots(page, screenshot, "day-hr-bergen-5-import-preview")
    confirm_import(page, "Marte Lie")
    assert Employee.objects.get(email="marte.lie@testikkeibruk.no").department.name == "Bergen TEST"

    # The list exported: Bergen's employees, no one of the main department.
    names = {(row[0], row[1]) for row in export_employees(page, tmp_path)}
    assert {("Eirik", "Dale"), ("Anton", "Duck"), ("Hanne", "Solberg")} <= names
    assert ("Donald", "Duck") not in names

    # Rapporter: Bergen's order and health checks, no invoice report.
    page.goto("/")
    open_from_sidebar(page, "Rapporter", r"/rapporter/$")
    assert report_total(page, "bestillinger") == "1"
    assert report_total(page, "helsekontroll") not in ("", "0 %")
    expect(page.get_by_test_id("report-fakturaer")).to_have_count(0)
    shots(page, screenshot, "day-hr-bergen-6-reports")
