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

from django.db import connections
from django.db.models import Count, DateField, F, Q
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
    models are a migration's own when it fills the table. On PostgreSQL one INSERT … SELECT
    (a few seconds for 400,000 bookings, where rows made in Python took a minute)."""
    month_model.objects.all().delete()
    bookings = booking_model.objects.all()
    connection = connections[bookings.db]
    if connection.vendor == "postgresql":
        counts = _counts(bookings)
        select, params = counts.query.sql_with_params()
        quote = connection.ops.quote_name
        table = quote(month_model._meta.db_table)
        columns = ", ".join(quote(column) for column in COLUMNS.values())
        values = ", ".join(quote(name) for name in COLUMNS)  # the select's aliases
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {values} FROM ({select}) AS counts",  # noqa: S608
                params,
            )
            return cursor.rowcount
    employee_ids = list(
        bookings.order_by("employee_id").values_list("employee_id", flat=True).distinct()
    )
    written = 0
    for start in range(0, len(employee_ids), REBUILD_CHUNK):
        chunk = employee_ids[start : start + REBUILD_CHUNK]
        rows = _counted(chunk, booking_model=booking_model, month_model=month_model)
        month_model.objects.bulk_create(rows, batch_size=5_000)
        written += len(rows)
    return written


#: The columns of `BookingMonth` that `_counts`' values fill.
COLUMNS = {
    "employee_id": "employee_id",
    "employee__department_id": "department_id",
    "employee__customer_id": "customer_id",
    "employee__is_active": "is_active",
    "month": "month",
    "group": "product_group_id",
    "seats": "seats",
    "attended": "attended",
    "no_show": "no_show",
}


def _counts(bookings):
    """Per employee, month and product group: the seats held, attended and no-show, with the
    employee's department, customer and whether they are active — one GROUP BY. A month of
    cancelled bookings alone counts nothing and has no row."""
    zone = timezone.get_default_timezone()
    return (
        bookings.filter(appointment__order__product_group__isnull=False)
        .annotate(month=TruncMonth("appointment__starts_at", output_field=DateField(), tzinfo=zone))
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
        .filter(seats__gt=0)
        .order_by()
    )


def _counted(employee_ids: list[int], *, booking_model=Booking, month_model=BookingMonth) -> list:
    """The figures of these employees, as rows to write."""
    counts = _counts(booking_model.objects.filter(employee_id__in=employee_ids))
    return [month_model(**{COLUMNS[name]: value for name, value in row.items()}) for row in counts]
