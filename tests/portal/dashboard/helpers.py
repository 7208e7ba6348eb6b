"""Reading the Info page as a user does, and counting what it should say the slow, obvious way:
row by row in Python, from the rows the test made."""

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.html import strip_tags

from portal.models import Appointment, Employee, Invoice, Order
from portal.models.appointments import Attendance


def figure(response, testid: str) -> dict | None:
    """The figure card `testid`: its number, its text and where it links (None if absent)."""
    html = response.content.decode()
    match = re.search(rf'data-testid="{testid}">(.*?)</(?:a|div)>\s*</div>', html, flags=re.S)
    if not match:
        return None
    block = match.group(1)
    value = re.search(r'data-testid="figure-value">\s*(.*?)\s*<', block, flags=re.S)
    assert value is not None, block
    href = re.search(r'<a href="([^"]*)"', block)
    return {
        "value": int(value.group(1).replace("\xa0", "").replace(" ", "")),
        "href": href.group(1).replace("&amp;", "&") if href else None,
        "text": " ".join(strip_tags(block).split()),
    }


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


# -- the independent counts --------------------------------------------------------------------


def in_customer(department, customer) -> bool:
    return department.customer_id == customer.pk


def orders_with_status(customer, status, departments=None) -> int:
    return sum(
        1
        for order in Order.objects.select_related("department")
        if in_customer(order.department, customer)
        and order.status == status
        and (departments is None or order.department in departments)
    )


def appointments_next_30_days(customer, now) -> tuple[int, int]:
    """(appointments not yet ended that start within 30 days, free seats of those still open
    for booking)."""
    last_day = timezone.localdate(now) + datetime.timedelta(days=30)
    count = free = 0
    for appointment in Appointment.objects.select_related("order__department"):
        if not in_customer(appointment.order.department, customer):
            continue
        if appointment.is_cancelled:
            continue
        if appointment.ends_at < now or timezone.localtime(appointment.starts_at).date() > last_day:
            continue
        count += 1
        if appointment.booking_deadline > now:
            taken = sum(
                1 for b in appointment.bookings.all() if b.attendance != Attendance.CANCELLED
            )
            free += max(appointment.capacity - taken, 0)
    return count, free


def overdue_invoices(customer, today) -> tuple[int, Decimal]:
    rows = [
        invoice
        for invoice in Invoice.objects.select_related("payer")
        if in_customer(invoice.payer, customer)
        and not invoice.is_credit_note
        and invoice.outstanding > 0
        and invoice.due_date < today
    ]
    return len(rows), sum((invoice.outstanding for invoice in rows), Decimal(0))


def employees_counts(customer, now) -> tuple[int, int]:
    """(active employees, active employees with no health check booked from the first of the
    month 24 months ago on)."""
    today = timezone.localdate(now)
    since = timezone.make_aware(datetime.datetime(today.year - 2, today.month, 1))  # noqa: DTZ001
    active = without = 0
    for employee in Employee.objects.select_related("department"):
        if not in_customer(employee.department, customer) or not employee.is_active:
            continue
        active += 1
        had = any(
            booking.attendance != Attendance.CANCELLED
            and booking.appointment.starts_at >= since
            and booking.appointment.order.product_group is not None
            and booking.appointment.order.product_group.is_health_check
            for booking in employee.bookings.select_related("appointment__order__product_group")
        )
        without += not had
    return active, without
