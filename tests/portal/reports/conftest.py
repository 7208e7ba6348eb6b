"""Rows for the reports, the same kinds for both demo customers, in and around a fixed period
(January–June 2023); each test counts what a report should say from these rows itself."""

import datetime
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from portal.models import ProductGroup
from portal.models.appointments import Attendance
from portal.selectors.periods import local_midnight
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    EmployeeFactory,
    InvoiceFactory,
    OrderFactory,
)

PERIOD = {"from_month": "2023-01", "to_month": "2023-06"}
FIRST, LAST = datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)
# Order and invoice dates: before the period, on its edges, inside it, after it.
DATES = [
    datetime.date(2022, 12, 31),
    datetime.date(2023, 1, 1),
    datetime.date(2023, 1, 17),
    datetime.date(2023, 3, 5),
    datetime.date(2023, 3, 31),
    datetime.date(2023, 6, 30),
    datetime.date(2023, 7, 1),
]


def in_period(day: datetime.date) -> bool:
    return FIRST <= day <= LAST


def _appointment(order, day: datetime.date, hour: int):
    starts = local_midnight(day) + datetime.timedelta(hours=hour)
    return AppointmentFactory(
        order=order,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=1),
        capacity=10,
    )


def customer_rows(customer, *, groups, health_check, general, scale: int = 1):
    """Orders, invoices, employees and health check bookings of one customer; `scale`
    multiplies them (for the query count tests)."""
    main, second = customer.departments.order_by("pk")[:2]
    for repeat in range(scale):
        for n, day in enumerate(DATES):
            OrderFactory(
                department=main if n % 2 else second,
                product_group=groups[(n + repeat) % len(groups)],
                order_date=day,
            )
            InvoiceFactory(
                payer=main if n % 3 else second,
                invoice_date=day,
                due_date=day + datetime.timedelta(days=20),
                total=Decimal(1000 + 111 * n),
                outstanding=Decimal(1000 + 111 * n) if n % 2 else Decimal("0.00"),
            )
        OrderFactory(department=main, product_group=None, order_date=datetime.date(2023, 2, 2))
        InvoiceFactory(
            payer=main,
            invoice_date=datetime.date(2023, 2, 10),
            due_date=datetime.date(2023, 3, 1),
            total=Decimal("-250.00"),
            outstanding=Decimal("-250.00"),
            is_credit_note=True,
        )

        hc_order = OrderFactory(department=main, product_group=health_check)
        general_order = OrderFactory(department=second, product_group=general)
        inside = [_appointment(hc_order, datetime.date(2023, 3, 1), 8 + h) for h in range(6)]
        before = _appointment(hc_order, datetime.date(2022, 12, 31), 23)  # 23:00 Oslo time
        after = _appointment(hc_order, datetime.date(2023, 7, 1), 0)  # 00:00 Oslo time
        not_health = _appointment(general_order, datetime.date(2023, 3, 1), 9)

        people = [
            EmployeeFactory(department=main if n % 2 else second, first_name=f"R{repeat}-{n}")
            for n in range(12)
        ]
        gone = EmployeeFactory(department=main, is_active=False)
        bookings = [
            (inside[0], people[0], Attendance.ATTENDED),
            (inside[0], people[1], Attendance.NO_SHOW),
            (inside[1], people[2], Attendance.BOOKED),
            (inside[1], people[3], Attendance.CANCELLED),
            (inside[2], people[4], Attendance.ATTENDED),
            (inside[3], people[4], Attendance.NO_SHOW),  # attended once, no-show once
            (inside[4], people[5], Attendance.CANCELLED),
            (inside[5], people[5], Attendance.ATTENDED),
            (before, people[6], Attendance.ATTENDED),
            (after, people[7], Attendance.ATTENDED),
            (not_health, people[8], Attendance.ATTENDED),
            (inside[2], gone, Attendance.ATTENDED),
        ]
        for appointment, employee, attendance in bookings:
            BookingFactory(appointment=appointment, employee=employee, attendance=attendance)


@pytest.fixture
def report_world(cast):
    groups = list(ProductGroup.objects.order_by("name"))
    health_check = ProductGroup.objects.get(name="Helsekontroll (HK)")
    general = ProductGroup.objects.get(name="Allmennhelse")

    def make(scale=1):
        for customer in (cast.testbedriften, cast.eksempel):
            customer_rows(
                customer, groups=groups, health_check=health_check, general=general, scale=scale
            )

    make()
    return SimpleNamespace(
        cast=cast, testbedriften=cast.testbedriften, eksempel=cast.eksempel, make=make
    )


# -- reading a report --------------------------------------------------------------------------


def report(response, slug):
    """The ReportResult of `slug` on the reports page (None if the page has no such report, or
    has it but not worked out: Report.on_request)."""
    for item in response.context["reports"]:
        if item["report"].slug == slug:
            return item["result"]
    return None


def export_url(response, slug) -> str | None:
    for item in response.context["reports"]:
        if item["report"].slug == slug:
            return item["export_url"]
    return None


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))
