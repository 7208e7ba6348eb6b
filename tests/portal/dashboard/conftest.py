"""A world for the Info page: for Testbedriften AS and for Eksempel Industri AS alike, orders
in every status, appointments near and far, overdue and open invoices, employees with and
without a health check. Each test counts what it expects from these rows on its own."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from portal.models import Exposure, ExposureType, ProductGroup
from portal.models.appointments import Attendance
from portal.models.orders import OrderStatus
from portal.services.surveillance import exposures_recheck
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    EmployeeFactory,
    InvoiceFactory,
    OrderFactory,
)

DAY = datetime.timedelta(days=1)


def _appointment(order, starts_at, **fields):
    fields.setdefault("booking_deadline", starts_at - DAY)
    return AppointmentFactory(
        order=order,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=20),
        **fields,
    )


def customer_rows(customer, *, now, health_check, general, tag):
    """Rows of one customer, the same shape for each, told apart by `tag`."""
    main, second = customer.departments.order_by("pk")[:2]
    # Days are Oslo's calendar days, as the Info page counts them: 31 days of 24 hours after
    # 00:30 in October end on the 30th day, once the clocks have gone back.
    now = timezone.localtime(now)
    orders = {
        status: [
            OrderFactory(department=department, product_group=health_check, status=status)
            for department in (main, second, main)
        ]
        for status in OrderStatus
    }
    hc_order = orders[OrderStatus.APPROVED][0]
    general_order = OrderFactory(department=main, product_group=general, status="approved")

    employees = [
        EmployeeFactory(department=main if n % 2 else second, first_name=f"{tag}{n}")
        for n in range(9)
    ]
    inactive = EmployeeFactory(department=main, first_name=f"{tag}Slutta", is_active=False)

    # Appointments: within 30 days (open, closed for booking, full), beyond, past, cancelled.
    soon = _appointment(hc_order, now + 5 * DAY, capacity=4, location=f"{tag} Bryggen")
    soon_second = _appointment(hc_order, now + 5 * DAY + datetime.timedelta(hours=1), capacity=2)
    closed = _appointment(
        hc_order, now + 12 * datetime.timedelta(hours=1), capacity=3, location=f"{tag} Stengt"
    )
    full = _appointment(hc_order, now + 20 * DAY, capacity=1)
    late = _appointment(hc_order, now + 29 * DAY, capacity=5)
    beyond = _appointment(hc_order, now + 31 * DAY, capacity=9)
    _appointment(hc_order, now + 3 * DAY, capacity=7, is_cancelled=True)
    past_recent = _appointment(hc_order, now - 30 * DAY, capacity=5)
    past_23_months = _appointment(hc_order, now - 700 * DAY, capacity=5)
    past_26_months = _appointment(hc_order, now - 800 * DAY, capacity=5)
    general_recent = _appointment(general_order, now - 10 * DAY, capacity=5)

    # Bookings: who has had (or has) a health check in the last 24 months?
    BookingFactory(appointment=soon, employee=employees[0])  # upcoming
    BookingFactory(appointment=soon, employee=employees[1], attendance=Attendance.CANCELLED)
    BookingFactory(appointment=full, employee=employees[2])
    BookingFactory(appointment=past_recent, employee=employees[3], attendance=Attendance.ATTENDED)
    BookingFactory(appointment=past_recent, employee=employees[4], attendance=Attendance.NO_SHOW)
    BookingFactory(
        appointment=past_23_months, employee=employees[5], attendance=Attendance.ATTENDED
    )
    BookingFactory(
        appointment=past_26_months, employee=employees[6], attendance=Attendance.ATTENDED
    )
    BookingFactory(appointment=general_recent, employee=employees[7])
    BookingFactory(appointment=past_recent, employee=inactive, attendance=Attendance.ATTENDED)
    BookingFactory(appointment=closed, employee=employees[8])
    BookingFactory(appointment=beyond, employee=employees[1])

    # Exposures: [3] checked 30 days ago, [6] 26 months ago (due in 10 months), [4] a no-show
    # with two exposures, [7] never checked, the inactive one never checked. Overdue: [4], [7].
    today = timezone.localdate(now)
    solvents, vibration = (
        ExposureType.objects.get_or_create(
            name=name,
            defaults={
                "product_group": health_check,
                "first_check_months": 6,
                "interval_months": 36,
            },
        )[0]
        for name in ("Løsemidler", "Vibrasjon")
    )
    for employee, kind in [
        (employees[3], solvents), (employees[6], solvents), (employees[4], solvents),
        (employees[4], vibration), (employees[7], solvents), (inactive, solvents),
    ]:  # fmt: skip
        Exposure.objects.create(employee=employee, exposure_type=kind, starts_on=today - 1900 * DAY)
    exposures_recheck(employee_ids=[e.pk for e in [*employees, inactive]])
    invoices = [
        InvoiceFactory(
            payer=main,
            invoice_date=today - 40 * DAY,
            due_date=today - 20 * DAY,
            total=Decimal("1000.00"),
            outstanding=Decimal("750.50"),
        ),
        InvoiceFactory(  # due today: not overdue yet
            payer=second,
            invoice_date=today - 20 * DAY,
            due_date=today,
            total=Decimal("300.00"),
            outstanding=Decimal("300.00"),
        ),
        InvoiceFactory(  # paid
            payer=second,
            invoice_date=today - 60 * DAY,
            due_date=today - 40 * DAY,
            total=Decimal("200.00"),
            outstanding=Decimal("0.00"),
        ),
        InvoiceFactory(
            payer=second,
            invoice_date=today - 60 * DAY,
            due_date=today - 1 * DAY,
            total=Decimal("99.90"),
            outstanding=Decimal("99.90"),
        ),
    ]
    return SimpleNamespace(
        customer=customer,
        main=main,
        second=second,
        orders=orders,
        employees=employees,
        overdue_for_surveillance=[employees[4], employees[7]],
        appointments=[soon, soon_second, closed, full, late, beyond],
        invoices=invoices,
    )


@pytest.fixture
def info_world(frozen_clock, cast):
    """Both demo customers with the same kind of rows; `now` is when they were made, and the
    clock stays there while the test reads the page."""
    now = timezone.now()
    health_check = ProductGroup.objects.get(name="Helsekontroll (HK)")
    general = ProductGroup.objects.get(name="Allmennhelse")
    return SimpleNamespace(
        now=now,
        cast=cast,
        tb=customer_rows(
            cast.testbedriften,
            now=now,
            health_check=health_check,
            general=general,
            tag="Tb",
        ),
        ek=customer_rows(
            cast.eksempel,
            now=now,
            health_check=health_check,
            general=general,
            tag="Ek",
        ),
    )
