"""Health surveillance coverage over time: at the end of each month, how many employees were
under surveillance for each exposure and how many of them were in order, due soon, overdue or
not yet examined, by the due list's own rules (`portal.selectors.surveillance`). Counts only."""

import calendar
import datetime

from django.db.models import Count, DateField, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from permissions.policies import EXPOSURES
from permissions.scoping import is_unscoped
from portal.models import Exposure, ExposureType, SurveillanceDue
from portal.selectors.surveillance import URGENCY, due_list
from portal.surveillance import DueStatus

from .base import Chart, Column, Kind, Report, ReportResult, Table, month_label
from .period import Period

#: Each month is a part of the report's query (the due list as of its last day, asking the
#: bookings for the last check): a period longer than this shows its last months only.
MAX_MONTHS = 24

#: The statuses as columns, and their colours in the chart (as the due list's badges).
STATUSES = (
    (DueStatus.IN_ORDER, "var(--color-green-500)"),
    (DueStatus.DUE_SOON, "var(--color-orange-400)"),
    (DueStatus.OVERDUE, "var(--color-red-500)"),
    (DueStatus.NOT_EXAMINED, "var(--color-base-400)"),
)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def surveillance_counts(
    exposures, days: dict[datetime.date, datetime.date], *, types, by_department: bool
) -> list[dict]:
    """{month, exposure_type_id, [department_id, department__name,] due_rank, employees}: for
    each month, the due list of its day (`days`: a day gone by, or today) counted per exposure
    type (and department) and status. One query, the months joined with UNION ALL; grouped by
    the status rather than counted once per status, which would write the status's CASE (and
    the last check's subquery in it) into the query once per status.

    An employee is counted once per group and status: twice only where they have two
    exposures of one type with different statuses (a new one begun beside an old one)."""
    group = ["exposure_type_id", *(["department_id", "department__name"] if by_department else [])]
    months = [
        due_list(exposures, day, in_past=True, types=types)
        .values(*group, "due_rank")
        .annotate(
            month=Value(month, output_field=DateField()),
            employees=Count("employee_id", distinct=True),
        )
        .order_by()
        for month, day in days.items()
    ]
    if not months:
        return []
    first, *others = months
    return list(first.union(*others, all=True)) if others else list(first)


def coverage_share(in_order: int, due_soon: int, total: int) -> float | None:
    return None if not total else 100 * (in_order + due_soon) / total


class SurveillanceReport(Report):
    slug = "helseovervaking"
    title = _("Health surveillance coverage")
    description = _(
        "Employees under health surveillance at the end of each month, per exposure, and how "
        "many of them were in order, due soon, overdue or not examined."
    )
    capability = Capability.VIEW_EMPLOYEES  # as the due list
    model = SurveillanceDue  # staff export it as they export the due list
    wide = True  # a column per status: the table under the chart, not beside it

    def _exposures(self, user, customer):
        exposures = EXPOSURES.narrow(Exposure.objects.all(), user, self.capability)
        if customer is not None:
            exposures = exposures.filter(department__customer=customer)
        return exposures

    def latest_date(self, *, user, before: datetime.date, customer=None) -> datetime.date | None:
        """An exposure begun is under surveillance until it ends and is checked: the months up
        to `before` have figures (so the page never opens on the year of a customer's last
        order, long before their exposures began)."""
        if self._exposures(user, customer).filter(starts_on__lt=before).exists():
            return before - datetime.timedelta(days=1)
        return None

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        exposures = self._exposures(user, customer)
        # Staff over every customer: per exposure only (thousands of departments say nothing).
        by_department = customer is not None or not is_unscoped(user, self.capability)
        today = timezone.localdate()
        begun = [month for month in period.months if month <= today]  # none to come
        months = begun[-MAX_MONTHS:]
        notes: list[str | Promise] = [
            _(
                "Counted at the end of each month (this month: today) by the due list's rules. "
                "Coverage: in order or due within 90 days, of all under surveillance."
            )
        ]
        if len(begun) > MAX_MONTHS:
            notes.append(
                _("Shown are the last %(count)d months of the period.") % {"count": MAX_MONTHS}
            )

        types = list(ExposureType.objects.all())
        names = {kind.pk: kind.name for kind in types}
        counts = surveillance_counts(
            exposures,
            {month: min(month_end(month), today) for month in months},
            types=types,
            by_department=by_department,
        )
        with_department = by_department and len({row.get("department_id") for row in counts}) > 1

        # {(exposure name, department name, month): employees per status, as STATUSES}: each
        # exposure's months one after the other, so the table reads as its course over time.
        place = {status: index for index, (status, _colour) in enumerate(STATUSES)}
        cells: dict[tuple, list[int]] = {}
        for row in counts:
            department = row["department__name"] if with_department else ""
            key = (names[row["exposure_type_id"]], department, row["month"])
            status = URGENCY[row["due_rank"]]
            cells.setdefault(key, [0] * len(STATUSES))[place[status]] += row["employees"]
        rows = []
        for (name, department, month), statuses in sorted(cells.items()):
            total = sum(statuses)
            rows.append(
                [
                    name,
                    *([department] if with_department else []),
                    month,
                    total,
                    *statuses,
                    coverage_share(statuses[0], statuses[1], total),
                ]
            )
        table = Table(
            columns=[
                Column(_("Exposure"), Kind.TEXT),
                *([Column(_("Company/department"), Kind.TEXT)] if with_department else []),
                Column(_("Month"), Kind.MONTH),
                Column(_("Under surveillance")),
                *(Column(status.label) for status, _colour in STATUSES),
                Column(_("Coverage"), Kind.PERCENT),
            ],
            rows=rows,
        )
        # Every exposure together, month by month.
        per_month = {month: [0] * len(STATUSES) for month in months}
        for (_name, _department, month), statuses in cells.items():
            per_month[month] = [a + b for a, b in zip(per_month[month], statuses, strict=True)]
        chart = Chart(
            labels=[month_label(month, short=True) for month in months],
            datasets=[
                {
                    "label": str(status.label),
                    "data": [per_month[month][index] for month in months],
                    "backgroundColor": colour,
                }
                for index, (status, colour) in enumerate(STATUSES)
            ],
            stacked=True,
        )
        return ReportResult(report=self, table=table, chart=chart, notes=notes)
