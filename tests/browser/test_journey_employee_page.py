"""The employee's own page, end to end: testweb books Donald on an appointment; Donald opens
the link in his booking mail on a phone (375 px wide, no account), says «Jeg kommer», then
«Bytt tid» to another time at the same place, then «Jeg kan ikke komme»; testweb sees each
step on the booking in the portal."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from portal.models import Booking, Employee, Order
from portal.models.appointments import Attendance
from tests.browser.helpers import appointment_at, assert_accessible, phone_context

PLACE = "Bergen, Strandkaien 2"


def _appointment(order, starts, capacity=1):
    return appointment_at(
        order, starts, PLACE, capacity, instructions="Ta med gyldig legitimasjon."
    )


def test_donald_answers_from_his_mail_and_testweb_sees_each_step(
    page, chromium, live_server, login, screenshot, mailoutbox
):
    order = Order.objects.get(number=290467)
    day = timezone.localdate() + datetime.timedelta(days=10)
    eight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    # Two seats at 08:00: the «Book ansatt» dialog's list is not refused as it closes.
    first = _appointment(order, eight, capacity=2)
    later = _appointment(order, eight + datetime.timedelta(hours=1))
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")

    # testweb books Donald on 08:00 with «Book ansatt» on the appointment.
    login(page, "testweb")
    page.goto(f"/portal/appointment/{first.pk}/change/")
    page.locator(f'a[href$="/portal/appointment/{first.pk}/book-employee/"]').first.click()
    dialog = page.locator("#dialog")
    dialog.locator("select[name=employee] + .select2").click()
    page.locator(".select2-search__field").fill("donald")
    page.locator(".select2-results__option", has_text="Donald Duck").click()
    dialog.locator("button[type=submit]").click()
    expect(page.locator("#dialog")).to_have_count(0)
    booking = Booking.objects.get(employee=donald, appointment=first)

    # Donald's mail carries his personal link; he opens it on his phone, not logged in.
    mail = next(m for m in mailoutbox if m.to == [donald.email])
    link = re.search(r"https?://\S+/timeavtale/\S+/", mail.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    phone_browser = phone_context(chromium, live_server)
    phone = phone_browser.new_page()
    try:
        phone.goto(path)
        state = phone.get_by_test_id("booking-state")
        expect(state).to_have_attribute("data-state", "booked")
        expect(phone.get_by_test_id("booking-when")).to_contain_text("08:00–08:20")
        expect(phone.get_by_test_id("booking-where")).to_contain_text(PLACE)
        expect(phone.locator("body")).not_to_contain_text("Donald")
        screenshot(phone, "employee-page-1-from-the-mail")
        assert_accessible(phone, "the employee's page")

        # «Jeg kommer»
        phone.get_by_role("button", name="Jeg kommer").click()
        expect(state).to_have_attribute("data-state", "confirmed")
        screenshot(phone, "employee-page-2-confirmed")
        booking.refresh_from_db()
        assert booking.employee_confirmed_at is not None

        page.goto(f"/portal/appointment/{first.pk}/change/")
        expect(page.locator("body")).to_contain_text("Bekreftet av ansatt")
        screenshot(page, "employee-page-3-testweb-sees-confirmed")

        # «Bytt tid» to 09:00, at the same place
        phone.get_by_role("link", name="Bytt tid").click()
        expect(phone).to_have_url(re.compile(r"/bytt/$"))
        choices = phone.get_by_test_id("move-choices")
        expect(choices).to_contain_text("09:00–09:20")
        screenshot(phone, "employee-page-4-change-time")
        assert_accessible(phone, "the employee's «Bytt tid»")
        choices.locator(f'input[value="{later.pk}"]').check()
        phone.get_by_role("button", name="Bytt til denne tiden").click()
        expect(phone.get_by_test_id("booking-when")).to_contain_text("09:00–09:20")
        screenshot(phone, "employee-page-5-changed")
        booking.refresh_from_db()
        assert booking.appointment == later
        assert booking.calendar_sequence == 1

        page.goto(f"/portal/appointment/{later.pk}/change/")
        expect(page.locator("body")).to_contain_text("Donald Duck")
        page.goto(f"/portal/appointment/{first.pk}/change/")
        expect(page.locator("body")).not_to_contain_text("Donald Duck")

        # «Jeg kan ikke komme», confirmed on the next page
        phone.get_by_role("link", name="Jeg kan ikke komme").click()
        screenshot(phone, "employee-page-6-cannot-come")
        phone.get_by_role("button", name="Ja, avbestill timen").click()
        expect(state).to_have_attribute("data-state", "cancelled")
        screenshot(phone, "employee-page-7-cancelled")
        booking.refresh_from_db()
        assert booking.attendance == Attendance.CANCELLED
    finally:
        phone_browser.close()

    # testweb sees the cancellation by the employee, and is told in the portal
    page.goto(f"/portal/appointment/{later.pk}/change/")
    expect(page.locator("body")).to_contain_text("Ansatt via lenke")
    screenshot(page, "employee-page-8-testweb-sees-cancelled")
    assert any(m.to == ["testweb@testikkeibruk.no"] for m in mailoutbox if m is not mail)
