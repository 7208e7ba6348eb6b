"""Orders per month, by product group."""

import datetime

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from permissions.policies import ORDERS
from portal.models import Order

from .base import (
    NO_VALUE,
    PALETTE,
    Chart,
    Column,
    Kind,
    Report,
    ReportResult,
    Table,
    month_label,
)
from .period import Period


def orders_per_month(orders, period: Period) -> list[dict]:
    """{month, product_group_id, product_group, count}: one row per month and group that has
    orders (a GROUP BY in the database)."""
    return list(
        orders.filter(order_date__gte=period.first, order_date__lt=period.end_date)
        .annotate(month=TruncMonth("order_date"))
        .values("month", "product_group_id", "product_group__name")
        .annotate(count=Count("pk"))
        .order_by("month", "product_group__name")
    )


class OrdersReport(Report):
    slug = "bestillinger"
    title = _("Orders per month")
    description = _("Orders by order date and product group.")
    capability = Capability.VIEW_ORDERS
    model = Order

    def _orders(self, user, customer):
        orders = ORDERS.instances_for(user, self.capability)
        if customer is not None:
            orders = orders.filter(department__customer=customer)
        return orders

    def latest_date(self, *, user, before: datetime.date, customer=None) -> datetime.date | None:
        orders = self._orders(user, customer).filter(order_date__lt=before)
        return orders.aggregate(latest=Max("order_date"))["latest"]

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        orders = self._orders(user, customer)
        counts = orders_per_month(orders, period)

        # The groups that have orders in the period, by name; orders without a group last.
        groups: dict[int | None, str] = {}
        for row in sorted(
            counts, key=lambda r: (r["product_group_id"] is None, r["product_group__name"] or "")
        ):
            groups.setdefault(row["product_group_id"], row["product_group__name"] or str(NO_VALUE))
        cell = {(row["month"], row["product_group_id"]): row["count"] for row in counts}

        rows = []
        for month in period.months:
            per_group = [cell.get((month, group), 0) for group in groups]
            rows.append([month, *per_group, sum(per_group)])
        total = [_("Total"), *(sum(row[i] for row in rows) for i in range(1, len(groups) + 2))]
        table = Table(
            columns=[
                Column(_("Month"), Kind.MONTH),
                *(Column(name) for name in groups.values()),
                Column(_("Total")),
            ],
            rows=rows,
            total=total,
        )
        chart = Chart(
            labels=[month_label(month, short=True) for month in period.months],
            datasets=[
                {
                    "label": name,
                    "data": [row[1 + i] for row in rows],
                    "backgroundColor": PALETTE[i % len(PALETTE)],
                }
                for i, name in enumerate(groups.values())
            ],
            stacked=True,
        )
        return ReportResult(report=self, table=table, chart=chart)
