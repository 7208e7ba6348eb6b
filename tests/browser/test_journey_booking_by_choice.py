"""Booking by choice, end to end: testweb selects Anton (Bergen TEST) and Dolly, opens the
grid, which suggests Anton's own place; testweb moves Dolly to another time and confirms; both
are booked as chosen. Dolly's booking mail is read from the mail folder, as `var/mail/` holds
it on the demo; she opens its link on a phone (375 px) and says «Jeg kommer», then «Bytt tid»,
then «Jeg kan ikke komme»; testweb sees each step on the booking.

Then «La de ansatte velge selv»: testweb invites Donald, who opens his link on the phone and
chooses a time; testweb sees he has chosen.

Pages are found by their addresses and test ids rather than by button texts where they can.
"""

import datetime
import email
import re
from email import policy

from django.utils import timezone
from playwright.sync_api import expect

from portal.models import Booking, Employee, Order
from tests.browser.helpers import appointment_at, assert_accessible, phone_context


def _path(body: str, prefix) -> str:
    found = re.search(rf"https?://\S+/{prefix}/\S+/", body)
    assert found, f"no /{prefix}/ link in the mail"
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def mails_in_folder(folder) -> list:
    """The mails Django's file backend wrote to `folder` (one file per connection, messages
    separated by a line of dashes), as `email` messages."""
    messages = []
    for file in sorted(folder.glob("*.log")):
        for raw in re.split(rb"\n-{79}\n", file.read_bytes()):
            if raw.strip():
                messages.append(email.message_from_bytes(raw.strip(), policy=policy.default))
    return messages


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_testweb_chooses_in_the_grid_and_an_employee_answers_from_the_mail(
    page, chromium, live_server, login, screenshot, settings, tmp_path
):
    # mails go to files, as on the demo (var/mail/)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    order = Order.objects.get(number=290467)
    day = timezone.localdate() + datetime.timedelta(days=10)
    eight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    oslo = appointment_at(order, eight, "Oslo, Akersgata 1")
    bergen = appointment_at(order, eight + datetime.timedelta(hours=2), "Bergen, Strandkaien 2")
    late = appointment_at(order, eight + datetime.timedelta(hours=4), "Oslo, Akersgata 1")
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

    # Dolly's booking mail, read from the mail folder: her link, on her phone.
    [mail] = [m for m in mails_in_folder(tmp_path / "mail") if m["To"] == dolly.email]
    phone_browser = phone_context(chromium, live_server)
    phone = phone_browser.new_page()
    try:
        phone.goto(_path(text_of(mail), "timeavtale"))
        state = phone.get_by_test_id("booking-state")
        expect(state).to_have_attribute("data-state", "booked")

        # «Jeg kommer»: testweb sees it
        phone.get_by_role("button", name="Jeg kommer").click()
        expect(state).to_have_attribute("data-state", "confirmed")
        screenshot(phone, "choice-3-dolly-confirmed-on-the-phone")
        page.goto(f"/portal/appointment/{late.pk}/change/")
        expect(page.locator("body")).to_contain_text("Bekreftet av ansatt")
        screenshot(page, "choice-4-testweb-sees-confirmed")

        # «Bytt tid» to 08:00 at the same place: testweb sees her there
        phone.get_by_role("link", name="Bytt tid").click()
        phone.get_by_test_id("move-choices").locator(f'input[value="{oslo.pk}"]').check()
        phone.get_by_role("button", name="Bytt til denne tiden").click()
        expect(phone.get_by_test_id("booking-when")).to_contain_text("08:00–08:20")
        screenshot(phone, "choice-5-dolly-changed-the-time")
        page.goto(f"/portal/appointment/{oslo.pk}/change/")
        expect(page.locator("body")).to_contain_text("Dolly Duck")
        screenshot(page, "choice-6-testweb-sees-the-new-time")

        # «Jeg kan ikke komme»: testweb sees the cancellation by the employee
        phone.get_by_role("link", name="Jeg kan ikke komme").click()
        phone.get_by_role("button", name="Ja, avbestill timen").click()
        expect(state).to_have_attribute("data-state", "cancelled")
        screenshot(phone, "choice-7-dolly-cannot-come")
    finally:
        phone_browser.close()
    page.goto(f"/portal/appointment/{oslo.pk}/change/")
    expect(page.locator("body")).to_contain_text("Ansatt via lenke")
    screenshot(page, "choice-8-testweb-sees-the-cancellation")
    dolly_booking.refresh_from_db()
    assert dolly_booking.appointment == oslo
    assert dolly_booking.cancelled_by_employee


def test_testweb_lets_an_employee_choose_and_sees_the_choice(
    page, chromium, live_server, login, screenshot, mailoutbox
):
    order = Order.objects.get(number=290467)
    day = timezone.localdate() + datetime.timedelta(days=10)
    eight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    appointment_at(order, eight, "Oslo, Akersgata 1", capacity=3)
    later = appointment_at(order, eight + datetime.timedelta(hours=1), "Oslo, Akersgata 1", 3)
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
    screenshot(page, "choice-9-invitations-sent")
    assert_accessible(page, "who has chosen")

    mail = next(m for m in mailoutbox if m.to == [donald.email])
    phone_browser = phone_context(chromium, live_server)
    phone = phone_browser.new_page()
    try:
        phone.goto(_path(mail.body, "velg-time"))
        choices = phone.get_by_test_id("choice-list")
        expect(choices).to_contain_text("09:00–09:20")
        expect(phone.locator("body")).not_to_contain_text("Donald")
        screenshot(phone, "choice-10-donald-chooses-on-the-phone")
        assert_accessible(phone, "the employee's choice page")
        choices.locator(f'input[value="{later.pk}"]').check()
        phone.get_by_role("button", name="Book denne tiden").click()
        expect(phone).to_have_url(re.compile(r"/timeavtale/"))
        expect(phone.get_by_test_id("booking-when")).to_contain_text("09:00–09:20")
        screenshot(phone, "choice-11-donald-booked")
    finally:
        phone_browser.close()

    page.reload()
    expect(page.get_by_test_id("invitation-row").filter(has_text="Donald Duck")).to_contain_text(
        later.time_range
    )
    screenshot(page, "choice-12-testweb-sees-the-choice")
