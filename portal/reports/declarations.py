"""Health declarations per appointment: how many were sent with the bookings and how many
the employees have answered. Counts only: no report ever reads an answer."""

from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from health.models import AnswerStatus
from permissions.capabilities import Capability
from permissions.policies import BOOKINGS
from portal.formatting import format_datetime
from portal.models import Booking, Order

from .base import PALETTE, Chart, Column, Kind, Report, ReportResult, Table
from .period import Period

CHART_APPOINTMENTS = 20  # bars in the chart; the table has every row


def declarations_per_appointment(bookings, period: Period) -> list[dict]:
    """{appointment_id, starts_at, location, sent, received}: one row per appointment in the
    period with a declaration sent (a GROUP BY in the database)."""
    return list(
        bookings.filter(
            appointment__starts_at__gte=period.start,
            appointment__starts_at__lt=period.end,
            health_declaration__isnull=False,
        )
        .values("appointment_id", "appointment__starts_at", "appointment__location")
        .annotate(
            sent=Count("pk"),
            received=Count("pk", filter=Q(health_declaration__status=AnswerStatus.SUBMITTED)),
        )
        .order_by("appointment__starts_at", "appointment_id")
    )


class DeclarationsReport(Report):
    slug = "egenerklaeringer"
    title = _("Health declarations per appointment")
    description = _(
        "How many of the booked employees have answered the health declaration; never what "
        "they answered."
    )
    # Those who book the employees and may remind them (HR, administrators, staff).
    capability = Capability.BOOK_EMPLOYEES
    model = Order  # the appointments' orders: staff export it as they export the orders

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        # The bookings of the employees the user books, as the appointment's page lists them.
        bookings = BOOKINGS.of_own_employees(Booking.objects.holding_seats(), user, self.capability)
        if customer is not None:
            bookings = bookings.filter(appointment__department__customer=customer)
        counts = declarations_per_appointment(bookings, period)
        rows = [
            [
                f"{format_datetime(row['appointment__starts_at'])}, {row['appointment__location']}",
                row["sent"],
                row["received"],
                row["sent"] - row["received"],
            ]
            for row in counts
        ]
        total = [_("Total"), *(sum(row[i] for row in rows) for i in (1, 2, 3))]
        table = Table(
            columns=[
                Column(_("Appointment"), Kind.TEXT),
                Column(_("Sent")),
                Column(_("received")),
                Column(_("not received")),
            ],
            rows=rows,
            total=total,
        )
        shown = rows[:CHART_APPOINTMENTS]
        chart = Chart(
            # The time alone under a bar: the place is in the table.
            labels=[
                format_datetime(row["appointment__starts_at"])
                for row in counts[:CHART_APPOINTMENTS]
            ],
            datasets=[
                {
                    "label": str(capfirst(_("received"))),
                    "data": [row[2] for row in shown],
                    "backgroundColor": PALETTE[0],
                },
                {
                    "label": str(capfirst(_("not received"))),
                    "data": [row[3] for row in shown],
                    "backgroundColor": PALETTE[1],
                },
            ],
            stacked=True,
        )
        return ReportResult(report=self, table=table, chart=chart)
