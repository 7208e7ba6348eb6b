"""Appointments and bookings, end to end: kam makes a day of health checks for Testbedriften's
order 290467; testweb books three employees with «Book på timeavtaler» (confirming the grid's
suggestion), sees their times on
the order page, and takes one off again.

Pages are found by their addresses and form names rather than by button texts, so the
journey holds whichever language the catalogue gives the new texts.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from portal.models import Appointment, Booking, Employee, Order
from portal.models.appointments import Attendance

THREE = ["Anton Duck", "Dolly Duck", "Donald Duck"]


def _dialog_submit(page, action_href_end):
    """An action opens its dialog; the dialog's own button posts."""
    page.locator(f'a[href$="{action_href_end}"]').first.click()
    dialog = page.locator("#dialog")
    expect(dialog).to_be_visible()
    return dialog


def test_kam_makes_a_series_and_testweb_books_three_and_takes_one_off(
    page, login, logout, screenshot, mailoutbox
):
    order = Order.objects.get(number=290467)
    day = timezone.localdate() + datetime.timedelta(days=14)

    # kam opens the appointments (the «Bestilling» tab's second tab) and makes a series.
    login(page, "kam")
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Bestilling").click()
    page.locator("#tabs-items a[href='/portal/appointment/']").click()
    expect(page).to_have_url(re.compile(r"/portal/appointment/$"))
    page.locator("a[href='/portal/appointment/series/']").click()
    form = page.get_by_test_id("series-form")
    form.locator("input[name=order]").fill("290467")
    form.locator("input[name=first_date]").fill(day.isoformat())
    form.locator("input[name=start]").fill("08:00")
    form.locator("input[name=end]").fill("09:40")
    form.locator("input[name=every_minutes]").fill("20")
    form.locator("input[name=lunch_start]").fill("08:40")
    form.locator("input[name=lunch_end]").fill("09:00")
    form.locator("input[name=location]").fill("Bergen, Strandkaien 2")
    form.locator("input[name=capacity]").fill("1")
    form.locator("input[name=closes_hours_before]").fill("24")
    form.locator("textarea[name=instructions]").fill("Ta med gyldig legitimasjon.")
    screenshot(page, "bookings-1-kam-series")
    form.locator("button[type=submit]").click()

    # ... and lands on the order, whose page lists the new appointments (lunch left out).
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    appointments = list(Appointment.objects.filter(order=order).order_by("starts_at"))
    assert [timezone.localtime(a.starts_at).strftime("%H:%M") for a in appointments] == [
        "08:00",
        "08:20",
        "09:00",
        "09:20",
    ]
    for appointment in appointments:
        expect(page.locator("body")).to_contain_text(appointment.time_range)
    screenshot(page, "bookings-2-kam-order-with-appointments")
    logout(page)

    # testweb selects three employees and books them with «Book på timeavtaler».
    login(page, "testweb")
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Ansatte").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/"))
    for name in THREE:
        first, last = name.split(" ")
        employee = Employee.objects.get(first_name=first, last_name=last)
        page.locator(f"input.action-select[value='{employee.pk}']").check()
    page.locator("select[name=action]").select_option("book_on_appointments")
    screenshot(page, "bookings-3-testweb-select-employees")
    page.locator("#changelist-actions button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/portal/appointment/book/$"))
    expect(page.get_by_test_id("selected-employees")).to_contain_text("Donald Duck")
    page.locator(f"input[name=order][value='{order.pk}']").check()
    screenshot(page, "bookings-4-testweb-choose-order")
    page.get_by_test_id("book-form").locator("button[type=submit]").click()

    # The grid suggests each a time (all at the one place: earliest first, in name order);
    # testweb confirms it as it is.
    expect(page).to_have_url(re.compile(rf"/portal/appointment/book/{order.pk}/$"))
    for name, appointment in zip(THREE, appointments, strict=False):
        row = page.get_by_test_id("book-grid-row").filter(has_text=name)
        expect(row.locator("select")).to_have_value(str(appointment.pk))
    screenshot(page, "bookings-4b-testweb-grid")
    page.get_by_test_id("book-confirm").click()

    # The result page says who got which time, earliest first in name order.
    expect(page).to_have_url(re.compile(r"/portal/appointment/book/result/$"))
    result = page.get_by_test_id("book-result")
    for name, appointment in zip(THREE, appointments, strict=False):
        expect(result.locator("tr", has_text=name)).to_contain_text(appointment.time_range)
    screenshot(page, "bookings-5-testweb-result")
    # each employee is told, and testweb gets one summary of the three
    assert sorted(m.to[0] for m in mailoutbox) == [
        "Duck@testikkeibruk.no",
        "anton@testikkeibruk.no",
        "dolly@testikkeibruk.no",
        "testweb@testikkeibruk.no",
    ]

    # The order page shows their times.
    page.locator(f"a[href='/portal/order/{order.pk}/change/']").first.click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    body = page.locator("body")
    for name in THREE:
        expect(body).to_contain_text(name)
    screenshot(page, "bookings-6-testweb-order-page")

    # testweb takes Dolly off again, from her appointment's page.
    dolly = Booking.objects.get(employee__first_name="Dolly", attendance=Attendance.BOOKED)
    page.locator(f"a[href='/portal/appointment/{dolly.appointment_id}/change/']").click()
    expect(page.get_by_test_id("booking-deadline")).to_have_count(0)  # only in the dialog
    dialog = _dialog_submit(page, f"/portal/appointment/{dolly.appointment_id}/unbook-employee/")
    expect(dialog.get_by_test_id("booking-deadline")).to_have_text(
        timezone.localtime(dolly.appointment.booking_deadline).strftime("%d.%m.%Y %H:%M")
    )
    dialog.locator("select[name=booking]").select_option(str(dolly.pk))
    screenshot(page, "bookings-7-testweb-take-off-dialog")
    dialog.locator("button[type=submit]").click()

    # The page reloads without the button: nobody is left to take off.
    expect(page.locator("#dialog")).to_have_count(0)
    expect(page.locator('a[href$="/unbook-employee/"]')).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/portal/appointment/{dolly.appointment_id}/change/$"))
    dolly.refresh_from_db()
    assert dolly.attendance == Attendance.CANCELLED
    page.goto(f"/portal/order/{order.pk}/change/")
    body = page.locator("body")
    expect(body).to_contain_text("Anton Duck")
    expect(body).to_contain_text("Donald Duck")
    expect(body).not_to_contain_text("Dolly Duck")
    screenshot(page, "bookings-8-testweb-one-taken-off")
    assert mailoutbox[-1].to == ["dolly@testikkeibruk.no"]


def test_hr_books_an_employee_found_by_typing_in_the_dialog(page, login, screenshot):
    """«Book ansatt» on an appointment: the employee is typed, not scrolled for among every
    employee of the customer; the dialog books the one chosen."""
    order = Order.objects.get(number=290467)
    starts = timezone.now() + datetime.timedelta(days=10)
    appointment = Appointment.objects.create(
        order=order,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=1),
        location="Bergen, Strandkaien 2",
        capacity=2,
    )
    anton = Employee.objects.get(first_name="Anton", last_name="Duck")
    login(page, "testweb")
    page.goto(f"/portal/appointment/{appointment.pk}/change/")

    dialog = _dialog_submit(page, f"/portal/appointment/{appointment.pk}/book-employee/")
    dialog.locator("select[name=employee] + .select2").click()
    page.locator(".select2-search__field").fill("anton")
    choice = page.locator(".select2-results__option", has_text="Anton Duck")
    expect(choice).to_have_text(f"Anton Duck – {anton.department.name}")
    screenshot(page, "bookings-8-testweb-book-employee-typed")
    choice.click()
    dialog.locator("button[type=submit]").click()

    expect(page.locator("#dialog")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("Anton Duck")
    assert appointment.bookings.get().employee == anton
