"""Health check coverage per department: active employees, and how many of them were booked,
attended or did not show on a health check in the period."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from permissions.policies import DEPARTMENTS
from permissions.scoping import is_unscoped
from portal.models import BookingMonth, Customer, Employee

from .base import (
    PALETTE,
    Chart,
    Column,
    Kind,
    Report,
    ReportResult,
    Table,
)
from .period import Period

CHART_GROUPS = 20  # bars in the chart; the table has every row


def coverage(groups, period: Period, *, key: str) -> list[dict]:
    """{pk, name, active, booked, attended, no_show} for each row of `groups` (departments or
    customers, which employees reach by `key`).

    Two queries: the groups with their active employees counted on the index of each group's
    active employees (joining every employee to group them took up to four times as long),
    and the distinct employees of each group with health check bookings in the period,
    counted from the monthly figures (`BookingMonth`, which hold each employee's group and
    whether they are active) rather than from the bookings: those needed every booking of the
    group's employees, or of the period, joined to its appointment, order and employee. Only
    active employees count, so the coverage is that of today's workforce.
    """
    active = (
        Employee.objects.filter(is_active=True, **{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(count=Count("*"))
        .values("count")
    )
    rows = list(
        groups.annotate(active=Coalesce(Subquery(active), 0))
        .order_by("name", "pk")
        .values("pk", "name", "active")
    )
    employee = "employee"
    months = (
        BookingMonth.objects.filter(
            month__gte=period.first,
            month__lt=period.end_date,
            product_group__is_health_check=True,
            is_active=True,
            **{f"{key}__in": groups.values("pk")},
        )
        .values(group=F(key))
        .annotate(
            booked=Count(employee, distinct=True, filter=Q(seats__gt=0)),
            attended=Count(employee, distinct=True, filter=Q(attended__gt=0)),
            no_show=Count(employee, distinct=True, filter=Q(no_show__gt=0)),
        )
        .order_by()
    )
    booked = {row.pop("group"): row for row in months}
    nobody = {"booked": 0, "attended": 0, "no_show": 0}
    return [{**row, **booked.get(row["pk"], nobody)} for row in rows]


class HealthCheckReport(Report):
    slug = "helsekontroll"
    title = _("Health check coverage")
    description = _(
        "Active employees, and how many of them were booked on, attended or did not show "
        "up for a health check in the period."
    )
    capability = Capability.VIEW_EMPLOYEES
    model = Employee

    def _groups(self, user, customer) -> tuple[QuerySet, str]:
        """The table's lines and how employees reach them: staff looking at every customer get
        a line per customer, everyone else a line per department."""
        if customer is None and is_unscoped(user, self.capability):
            return Customer.objects.all(), "customer"
        departments = DEPARTMENTS.instances_for(user, self.capability)
        if customer is not None:
            departments = departments.filter(customer=customer)
        return departments, "department"

    def rows_at_most(self, *, user, period: Period, customer=None) -> int | None:
        """A line per customer or department, with or without bookings: counted alone."""
        groups, _key = self._groups(user, customer)
        return groups.count()

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        groups, key = self._groups(user, customer)
        by_customer = key == "customer"
        rows = coverage(groups, period, key=key)
        if by_customer:
            first = Column(_("Customer"), Kind.TEXT)
        else:
            first = Column(_("Company/department"), Kind.TEXT)

        def share(booked, active):
            return None if not active else 100 * booked / active

        table_rows = [
            [
                row["name"],
                row["active"],
                row["booked"],
                row["attended"],
                row["no_show"],
                share(row["booked"], row["active"]),
            ]
            for row in rows
        ]
        sums = [sum(row[i] for row in table_rows) for i in range(1, 5)]
        table = Table(
            columns=[
                first,
                Column(_("Active employees")),
                Column(_("Booked")),
                Column(_("Attended")),
                Column(_("No-show")),
                Column(_("Coverage"), Kind.PERCENT),
            ],
            rows=table_rows,
            total=[_("Total"), *sums, share(sums[1], sums[0])],
        )
        charted = table_rows
        notes: list[str | Promise] = [
            _(
                "Counts employees who are active today. Booked: on a health check in the "
                "period (attended, no-show or still to come); cancelled bookings do not count."
            )
        ]
        if len(table_rows) > CHART_GROUPS:
            # Two thousand customers make no chart: the largest, and every one in the table.
            charted = sorted(table_rows, key=lambda row: (-row[1], row[0]))[:CHART_GROUPS]
            if by_customer:
                shown = _(
                    "The chart shows the %(count)d customers with the most active employees; "
                    "the table lists them all."
                )
            else:
                shown = _(
                    "The chart shows the %(count)d companies/departments with the most active "
                    "employees; the table lists them all."
                )
            notes.append(shown % {"count": CHART_GROUPS})
        chart = Chart(
            labels=[row[0] for row in charted],
            datasets=[
                {
                    "label": str(table.columns[index].heading),
                    "data": [row[index] for row in charted],
                    "backgroundColor": PALETTE[colour],
                }
                for index, colour in ((1, 3), (2, 1), (3, 0), (4, 4))
            ],
        )
        return ReportResult(report=self, table=table, chart=chart, notes=notes)
