"""Booking by choice, end to end: testweb selects Anton (Bergen TEST) and Dolly, opens the
grid, which suggests Anton's own place; testweb moves Dolly to another time and confirms; both
are booked as chosen. Dolly opens the link in her booking mail on a phone (375 px), says
«Jeg kommer», and testweb sees «Bekreftet av ansatt».

Then «La de ansatte velge selv»: testweb invites Donald, who opens his link on the phone and
chooses a time; testweb sees he has chosen.

Pages are found by their addresses and test ids rather than by button texts where they can.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from portal.models import Appointment, Booking, Employee, Order
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import assert_accessible

PHONE = {"width": 375, "height": 812}


def _appointment(order, starts, location, capacity=1):
    return Appointment.objects.create(
        order=order,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=1),
        location=location,
        capacity=capacity,
    )


def _phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _path(mail, prefix) -> str:
    found = re.search(rf"https?://\S+/{prefix}/\S+/", mail.body)
    assert found, f"no /{prefix}/ link in the mail"
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def test_testweb_chooses_in_the_grid_and_an_employee_confirms_from_the_mail(
    page, chromium, live_server, login, screenshot, mailoutbox
):
    order = Order.objects.get(number=290467)
    day = timezone.localdate() + datetime.timedelta(days=10)
    eight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    oslo = _appointment(order, eight, "Oslo, Akersgata 1")
    bergen = _appointment(order, eight + datetime.timedelta(hours=2), "Bergen, Strandkaien 2")
    late = _appointment(order, eight + datetime.timedelta(hours=4), "Oslo, Akersgata 1")
    anton = Employee.objects.get(first_name="Anton", last_name="Duck")
    dolly = Employee.objects.get(first_name="Dolly", last_name="Duck")

    # testweb selects Anton and Dolly in the employee list and chooses the order.
    login(page, "testweb")
    page.goto("/portal/employee/")
    for employee in (anton, dolly):
        page.locator(f"input.action-select[value='{employee.pk}']").check()
    page.locator("select[name=action]").select_option("book_on_appointments")
    page.locator("#changelist-actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/appointment/book/$"))
    page.locator(f"input[name=order][value='{order.pk}']").check()
    page.get_by_test_id("book-form").locator("button[type=submit]").click()

    # The grid suggests Bergen for Anton (his own place) and the earliest time for Dolly.
    expect(page).to_have_url(re.compile(rf"/portal/appointment/book/{order.pk}/$"))
    anton_row = page.locator(f'[data-testid="book-grid-row"][data-employee="{anton.pk}"]')
    dolly_row = page.locator(f'[data-testid="book-grid-row"][data-employee="{dolly.pk}"]')
    expect(anton_row.locator("select")).to_have_value(str(bergen.pk))
    expect(dolly_row.locator("select")).to_have_value(str(oslo.pk))
    assert not Booking.objects.filter(employee__in=[anton, dolly]).exists()
    screenshot(page, "choice-1-grid-suggestion")
    assert_accessible(page, "the booking grid")

    # testweb moves Dolly to the late time and confirms.
    dolly_row.locator("select").select_option(str(late.pk))
    page.get_by_test_id("book-confirm").click()
    expect(page).to_have_url(re.compile(r"/portal/appointment/book/result/$"))
    result = page.get_by_test_id("book-result")
    expect(result.locator("tr", has_text="Anton Duck")).to_contain_text(bergen.time_range)
    expect(result.locator("tr", has_text="Dolly Duck")).to_contain_text(late.time_range)
    screenshot(page, "choice-2-grid-result")
    assert Booking.objects.get(employee=anton).appointment == bergen
    dolly_booking = Booking.objects.get(employee=dolly)
    assert dolly_booking.appointment == late
    assert not oslo.bookings.exists()

    # Dolly opens the link in her booking mail on her phone and says «Jeg kommer».
    mail = next(m for m in mailoutbox if m.to == [dolly.email])
    phone_context = _phone(chromium, live_server)
    phone = phone_context.new_page()
    try:
        phone.goto(_path(mail, "timeavtale"))
        state = phone.get_by_test_id("booking-state")
        expect(state).to_have_attribute("data-state", "booked")
        phone.get_by_role("button", name="Jeg kommer").click()
        expect(state).to_have_attribute("data-state", "confirmed")
        screenshot(phone, "choice-3-dolly-confirmed-on-the-phone")
    finally:
        phone_context.close()

    page.goto(f"/portal/appointment/{late.pk}/change/")
    expect(page.locator("body")).to_contain_text("Bekreftet av ansatt")
    screenshot(page, "choice-4-testweb-sees-confirmed")


def test_testweb_lets_an_employee_choose_and_sees_the_choice(
    page, chromium, live_server, login, screenshot, mailoutbox
):
    order = Order.objects.get(number=290467)
    day = timezone.localdate() + datetime.timedelta(days=10)
    eight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    _appointment(order, eight, "Oslo, Akersgata 1", capacity=3)
    later = _appointment(order, eight + datetime.timedelta(hours=1), "Oslo, Akersgata 1", 3)
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")

    login(page, "testweb")
    page.goto("/portal/employee/")
    page.locator(f"input.action-select[value='{donald.pk}']").check()
    page.locator("select[name=action]").select_option("book_on_appointments")
    page.locator("#changelist-actions button[type=submit]").click()
    page.locator(f"input[name=order][value='{order.pk}']").check()
    page.get_by_test_id("book-form").locator("button[type=submit]").click()
    page.get_by_test_id("book-invite-button").click()

    expect(page).to_have_url(re.compile(rf"/portal/appointment/book/{order.pk}/invitations/$"))
    row = page.get_by_test_id("invitation-row").filter(has_text="Donald Duck")
    expect(row).to_contain_text("Ikke valgt ennå")
    screenshot(page, "choice-5-invitations-sent")
    assert_accessible(page, "who has chosen")

    mail = next(m for m in mailoutbox if m.to == [donald.email])
    phone_context = _phone(chromium, live_server)
    phone = phone_context.new_page()
    try:
        phone.goto(_path(mail, "velg-time"))
        choices = phone.get_by_test_id("choice-list")
        expect(choices).to_contain_text("09:00–09:20")
        expect(phone.locator("body")).not_to_contain_text("Donald")
        screenshot(phone, "choice-6-donald-chooses-on-the-phone")
        assert_accessible(phone, "the employee's choice page")
        choices.locator(f'input[value="{later.pk}"]').check()
        phone.get_by_role("button", name="Book denne tiden").click()
        expect(phone).to_have_url(re.compile(r"/timeavtale/"))
        expect(phone.get_by_test_id("booking-when")).to_contain_text("09:00–09:20")
        screenshot(phone, "choice-7-donald-booked")
    finally:
        phone_context.close()

    page.reload()
    expect(page.get_by_test_id("invitation-row").filter(has_text="Donald Duck")).to_contain_text(
        later.time_range
    )
    screenshot(page, "choice-8-testweb-sees-the-choice")
