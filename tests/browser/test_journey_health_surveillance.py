"""Health surveillance, from due to done: testweb opens Info, follows «har forfalt helseovervåking»
to the due list, selects the three employees overdue for a hearing check and orders it in one
step; the provider puts appointments on the order; testweb books the three in the grid; after
the check, kam marks them «Møtt» in the bookings list, and the due list shows them «I orden»
with the next check three years on. Another customer's overdue employee never shows.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from portal.formatting import format_date
from portal.models import (
    Appointment,
    Booking,
    Department,
    Employee,
    ExposureType,
    Order,
    ProductGroup,
)
from portal.selectors.periods import months_add
from portal.services.exposures import exposure_create
from tests.browser.helpers import appointment_at, assert_accessible


def test_testweb_orders_the_overdue_checks_books_them_and_sees_them_in_order(
    page, live_server, login, screenshot
):
    users = get_user_model().objects
    testweb, annen = users.get(username="testweb"), users.get(username="annen")
    main = Department.objects.get(name="Testbedriften AS")
    hearing = ProductGroup.objects.create(name="Hørselskontroll")
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=hearing, first_check_months=6, interval_months=36
    )
    kari = Employee.objects.create(
        department=main, first_name="Kari", last_name="Nordby", email="kari.nordby@example.no"
    )
    three = [
        Employee.objects.get(first_name="Donald", last_name="Duck"),
        Employee.objects.get(first_name="Dolly", last_name="Duck"),
        kari,
    ]
    two_years_ago = months_add(timezone.localdate(), -24)
    for employee in three:
        exposure_create(
            actor=testweb, employee=employee, exposure_type=noise, starts_on=two_years_ago
        )
    ola = Employee.objects.get(first_name="Ola", last_name="Nordmann")
    exposure_create(actor=annen, employee=ola, exposure_type=noise, starts_on=two_years_ago)

    # Info says three are overdue; the figure opens the due list filtered to them.
    login(page, "testweb")
    figure = page.get_by_test_id("figure-surveillance-overdue")
    expect(figure.get_by_test_id("figure-value")).to_have_text("3")
    expect(figure).to_contain_text("ansatte har forfalt helseovervåking")
    figure.locator("a").click()
    expect(page).to_have_url(re.compile(r"/portal/surveillancedue/\?status=overdue$"))
    results = page.locator("#result_list")
    for employee in three:
        expect(results).to_contain_text(employee.full_name)
    expect(results).not_to_contain_text("Ola Nordmann")
    expect(results.locator("tbody tr")).to_have_count(3)
    screenshot(page, "surveillance-1-overdue")
    assert_accessible(page, "the due list")

    # «Bestill kontroll» on the three: one order, naming them, and the KA/KAM is told.
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("order_checks")
    page.locator("#changelist-actions button[type=submit]").click()
    order = Order.objects.get(description__startswith="Helseovervåking")
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    expect(page.locator("body")).to_contain_text(f"Bestilling {order.number} er sendt")
    expect(page.locator("body")).to_contain_text(
        "Helseovervåking (Støy over 80 dB) for Dolly Duck, Donald Duck, Kari Nordby."
    )
    assert order.product_group == hearing
    screenshot(page, "surveillance-2-order-sent")

    # The provider puts a day of hearing checks on the order.
    day = timezone.localdate() + datetime.timedelta(days=10)
    nine = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    appointment = appointment_at(order, nine, "Avonova Oslo, Storgata 10", capacity=5)

    # testweb books the three in the grid.
    page.goto("/portal/employee/")
    for employee in three:
        page.locator(f"input.action-select[value='{employee.pk}']").check()
    page.locator("select[name=action]").select_option("book_on_appointments")
    page.locator("#changelist-actions button[type=submit]").click()
    page.locator(f"input[name=order][value='{order.pk}']").check()
    page.get_by_test_id("book-form").locator("button[type=submit]").click()
    page.get_by_test_id("book-confirm").click()
    expect(page).to_have_url(re.compile(r"/portal/appointment/book/result/$"))
    assert Booking.objects.filter(appointment=appointment).count() == 3

    # Booked, not held: still overdue, with the booked day beside it.
    page.goto("/portal/surveillancedue/?status=overdue")
    expect(page.locator("#result_list")).to_contain_text(f"Booket {format_date(day)}")
    screenshot(page, "surveillance-3-booked")

    # The day comes and goes; kam marks the three «Møtt» in the bookings list.
    held = timezone.now() - datetime.timedelta(days=1)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=held,
        ends_at=held + datetime.timedelta(minutes=20),
        booking_deadline=held - datetime.timedelta(days=1),
    )
    page.context.clear_cookies()
    login(page, "kam")
    page.goto(f"/portal/booking/?appointment__id__exact={appointment.pk}")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("mark_attended")
    page.locator("#changelist-actions button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Møtt")
    assert set(
        Booking.objects.filter(appointment=appointment).values_list("attendance", flat=True)
    ) == {"attended"}

    # testweb: nobody is overdue, and the three are «I orden» until three years on.
    page.context.clear_cookies()
    login(page, "testweb")
    page.goto("/portal/surveillancedue/")
    results = page.locator("#result_list")
    next_due = format_date(months_add(timezone.localdate(held), 36))
    for employee in three:
        row = results.locator("tr", has_text=employee.full_name)
        expect(row).to_contain_text("I orden")
        expect(row).to_contain_text(next_due)
    expect(page.get_by_test_id("figure-surveillance-overdue")).to_have_count(0)
    screenshot(page, "surveillance-4-in-order")
    page.goto("/")
    expect(
        page.get_by_test_id("figure-surveillance-overdue").get_by_test_id("figure-value")
    ).to_have_text("0")
