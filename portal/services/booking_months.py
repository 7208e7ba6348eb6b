"""The monthly booking figures (`BookingMonth`) kept equal to the bookings and employees.

Each service that changes what the figures count — a booking made, cancelled, moved or
given its attendance, an appointment moved to another time, an order given another product
group, an employee moved to another department, deactivated or reactivated — recounts the
employees it touched in its own transaction (`booking_months_refresh`):
the old rows go and new ones are counted from the bookings, so a refresh is right whatever
it follows. Writers outside the services (the world generator, the demo) recount everything
(`booking_months_rebuild`).
"""

from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.models import Booking, BookingMonth
from portal.models.appointments import HOLDS_A_SEAT, Attendance

REBUILD_CHUNK = 2_000  # employees a query


def booking_months_refresh(*, employee_ids: Iterable[int]) -> None:
    """Recount the monthly figures of these employees from their bookings."""
    ids = sorted(set(employee_ids))
    if not ids:
        return
    BookingMonth.objects.filter(employee_id__in=ids).delete()
    BookingMonth.objects.bulk_create(_counted(ids))


def booking_months_refresh_for_bookings(bookings) -> None:
    """Recount the employees of these bookings (a queryset or a list)."""
    if hasattr(bookings, "values_list"):
        booking_months_refresh(employee_ids=bookings.values_list("employee_id", flat=True))
    else:
        booking_months_refresh(employee_ids=[booking.employee_id for booking in bookings])


def booking_months_rebuild(*, booking_model=Booking, month_model=BookingMonth) -> int:
    """Recount every employee's figures (after rows written in bulk); the rows written. The
    models are a migration's own when it fills the table."""
    month_model.objects.all().delete()
    employee_ids = list(
        booking_model.objects.order_by("employee_id")
        .values_list("employee_id", flat=True)
        .distinct()
    )
    written = 0
    for start in range(0, len(employee_ids), REBUILD_CHUNK):
        chunk = employee_ids[start : start + REBUILD_CHUNK]
        rows = _counted(chunk, booking_model=booking_model, month_model=month_model)
        month_model.objects.bulk_create(rows, batch_size=5_000)
        written += len(rows)
    return written


def _counted(employee_ids: list[int], *, booking_model=Booking, month_model=BookingMonth) -> list:
    """The figures of these employees, counted in one GROUP BY; a month of cancelled
    bookings alone counts nothing and has no row."""
    zone = timezone.get_default_timezone()
    counts = (
        booking_model.objects.filter(
            employee_id__in=employee_ids, appointment__order__product_group__isnull=False
        )
        .annotate(month=TruncMonth("appointment__starts_at", tzinfo=zone))
        .values(
            "employee_id",
            "month",
            "employee__department_id",
            "employee__customer_id",
            "employee__is_active",
            group=F("appointment__order__product_group_id"),
        )
        .annotate(
            seats=Count("pk", filter=HOLDS_A_SEAT),
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            no_show=Count("pk", filter=Q(attendance=Attendance.NO_SHOW)),
        )
        .order_by()
    )
    return [
        month_model(
            employee_id=row["employee_id"],
            month=timezone.localtime(row["month"], zone).date(),
            product_group_id=row["group"],
            department_id=row["employee__department_id"],
            customer_id=row["employee__customer_id"],
            is_active=row["employee__is_active"],
            seats=row["seats"],
            attended=row["attended"],
            no_show=row["no_show"],
        )
        for row in counts
        if row["seats"]
    ]
