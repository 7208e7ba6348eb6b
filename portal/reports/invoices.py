"""Invoiced and outstanding per month."""

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from permissions.policies import INVOICES
from portal.models import Invoice

from .base import (
    PALETTE,
    Chart,
    Column,
    Kind,
    Report,
    ReportResult,
    Table,
    chart_number,
    month_label,
)
from .period import Period

ZERO = Decimal("0.00")


def invoices_per_month(invoices, period: Period, *, today) -> list[dict]:
    """{month, invoices, invoiced, outstanding_sum, overdue_sum} per invoice month (one
    GROUP BY).

    Credit notes count with their negative totals: "invoiced" is what was invoiced net.
    "Outstanding" and "overdue" are as of today.
    """
    overdue = Q(is_credit_note=False, outstanding__gt=0, due_date__lt=today)
    return list(
        invoices.filter(invoice_date__gte=period.first, invoice_date__lt=period.end_date)
        .annotate(month=TruncMonth("invoice_date"))
        .values("month")
        .annotate(
            invoices=Count("pk"),
            invoiced=Sum("total"),
            outstanding_sum=Sum("outstanding"),
            overdue_sum=Sum("outstanding", filter=overdue),
        )
        .order_by("month")
    )


class InvoicesReport(Report):
    slug = "fakturaer"
    title = _("Invoiced and outstanding per month")
    description = _("Invoices by invoice date; what is outstanding and overdue as of today.")
    capability = Capability.VIEW_INVOICES
    model = Invoice

    def _invoices(self, user, customer):
        invoices = INVOICES.instances_for(user, self.capability)
        if customer is not None:
            invoices = invoices.filter(payer__customer=customer)
        return invoices

    def latest_date(self, *, user, before: datetime.date, customer=None) -> datetime.date | None:
        invoices = self._invoices(user, customer).filter(invoice_date__lt=before)
        return invoices.aggregate(latest=Max("invoice_date"))["latest"]

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        invoices = self._invoices(user, customer)
        by_month = {
            row["month"]: row
            for row in invoices_per_month(invoices, period, today=timezone.localdate())
        }
        rows = []
        for month in period.months:
            row = by_month.get(month, {})
            rows.append(
                [
                    month,
                    row.get("invoices", 0),
                    row.get("invoiced") or ZERO,
                    row.get("outstanding_sum") or ZERO,
                    row.get("overdue_sum") or ZERO,
                ]
            )
        total = [_("Total"), *(sum(row[i] for row in rows) for i in range(1, 5))]
        table = Table(
            columns=[
                Column(_("Month"), Kind.MONTH),
                Column(_("Invoices")),
                Column(_("Invoiced"), Kind.NOK),
                Column(_("Outstanding"), Kind.NOK),
                Column(_("Of which overdue"), Kind.NOK),
            ],
            rows=rows,
            total=total,
        )
        chart = Chart(
            labels=[month_label(month, short=True) for month in period.months],
            datasets=[
                {
                    "label": str(heading),
                    "data": [chart_number(row[index]) for row in rows],
                    "backgroundColor": PALETTE[colour],
                }
                for heading, index, colour in (
                    (_("Invoiced"), 2, 0),
                    (_("Outstanding"), 3, 2),
                )
            ],
        )
        return ReportResult(report=self, table=table, chart=chart)
