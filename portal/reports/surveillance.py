"""Health surveillance coverage over time: at the end of each month, how many employees were
under surveillance for each exposure and how many of them were in order, due soon, overdue or
not yet examined, by the due list's rules (`portal.surveillance.next_due`). Counts only.

The past is worked out here rather than in the database: a query reads the exposures, one per
two thousand of their employees their attended checks, and each exposure's months are walked in
order beside its checks. (As one query per month, with the last check asked of the bookings for
every exposure and month, the largest customer's page took a minute.)"""

import bisect
import calendar
import datetime
from collections import defaultdict

from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from permissions.policies import EXPOSURES
from permissions.scoping import is_unscoped
from portal.models import Booking, Exposure, ExposureType, SurveillanceDue
from portal.models.appointments import Attendance
from portal.selectors.periods import local_midnight
from portal.surveillance import DueStatus, next_due, status_on

from .base import Chart, Column, Kind, Report, ReportResult, Table, month_label
from .period import Period

#: A period longer than this shows its last months only.
MAX_MONTHS = 24

#: The statuses as columns, and their colours in the chart (as the due list's badges).
STATUSES = (
    (DueStatus.IN_ORDER, "var(--color-green-500)"),
    (DueStatus.DUE_SOON, "var(--color-orange-400)"),
    (DueStatus.OVERDUE, "var(--color-red-500)"),
    (DueStatus.NOT_EXAMINED, "var(--color-base-400)"),
)
PLACE = {status: index for index, (status, _colour) in enumerate(STATUSES)}
UNKNOWN = object()  # an exposure's last check before its first month is looked at


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


#: Employees asked about per query of their checks: each query finds its bookings by the
#: employee's index, and stays within SQLite's limit on a query's parameters.
EMPLOYEES_PER_QUERY = 2000


def attended_checks(employees: list[int], groups: set[int], until: datetime.date) -> dict:
    """{(employee, product group): the days of their attended checks up to `until`, in order}
    for `employees` and the product `groups`. One query per EMPLOYEES_PER_QUERY employees."""
    days: dict[tuple[int, int], list] = defaultdict(list)
    for start in range(0, len(employees), EMPLOYEES_PER_QUERY):
        checks = (
            Booking.objects.filter(
                employee_id__in=employees[start : start + EMPLOYEES_PER_QUERY],
                attendance=Attendance.ATTENDED,
                appointment__order__product_group__in=groups,
                appointment__starts_at__lt=local_midnight(until + datetime.timedelta(days=1)),
            )
            .annotate(
                day=TruncDate("appointment__starts_at", tzinfo=timezone.get_default_timezone())
            )
            .values_list("employee_id", "appointment__order__product_group_id", "day")
            .order_by()
        )
        for employee, group, day in checks:
            days[employee, group].append(day)
    for found in days.values():
        found.sort()
    return days


def surveillance_counts(
    exposures, days: dict[datetime.date, datetime.date], *, types
) -> dict[tuple, list[int]]:
    """{(exposure type id, (department id, its name), month): employees per status, as
    STATUSES}: for each month, the due list of its day (`days`, in order: a day gone by, or
    today) counted per exposure type and department.

    On a day, an exposure is on the list when its employee was active then, it had begun, and
    it had not ended before its last check by then; its status is `next_due`'s with that
    check. An employee is counted once per group and status: twice only where they have two
    exposures of one type with different statuses (a new one begun beside an old one)."""
    if not days:
        return {}
    kinds = {kind.pk: kind for kind in types}
    last_day = max(days.values())
    rows = list(
        exposures.filter(starts_on__lte=last_day)
        .values_list(
            "employee_id",
            "exposure_type_id",
            "department_id",
            "department__name",
            "starts_on",
            "ends_on",
            "employee__is_active",
            "employee__deactivated_at",
        )
        .order_by()
    )
    checks = attended_checks(
        sorted({row[0] for row in rows}), {kind.product_group_id for kind in types}, last_day
    )
    # The end of each month's day as an aware moment: an employee deactivated before it is gone.
    ends = {month: local_midnight(day + datetime.timedelta(days=1)) for month, day in days.items()}
    employees: dict[tuple, set[int]] = defaultdict(set)
    for employee, type_id, *place, starts_on, ends_on, active, deactivated in rows:
        kind = kinds[type_id]
        department = tuple(place)
        held = checks.get((employee, kind.product_group_id), ())
        since = bisect.bisect_left(held, starts_on)  # a check before it began does not count
        offer_only = kind.interval_months is None
        last_check: object = UNKNOWN
        for month, day in days.items():
            if day < starts_on:
                continue
            if not active and (deactivated is None or deactivated < ends[month]):
                continue
            upto = bisect.bisect_right(held, day)
            check = held[upto - 1] if upto > since else None
            if ends_on is not None and check is not None and check >= ends_on:
                continue  # ended, and checked after it ended: off the list
            if check != last_check:  # the due day moves with the last check only
                last_check = check
                due, _status = next_due(
                    starts_on=starts_on,
                    first_check_months=kind.first_check_months,
                    interval_months=kind.interval_months,
                    last_check=check,
                    today=day,
                )
            status = status_on(day, due, examined=check is not None, offer_only=offer_only)
            employees[type_id, department, month, status].add(employee)
    counts: dict[tuple, list[int]] = {}
    for (type_id, department, month, status), who in employees.items():
        counts.setdefault((type_id, department, month), [0] * len(STATUSES))[PLACE[status]] = len(
            who
        )
    return counts


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
    on_request = True  # every exposure and attended check of the customer: a third of a second
    customer_needed_text = _("Choose a customer above to see their health surveillance coverage.")

    def needs_customer(self, user, customer) -> bool:
        """Staff over every customer: every exposure of the provider walked month by month is
        seconds of work, and thousands of departments say nothing; they pick the customer."""
        return customer is None and is_unscoped(user, self.capability)

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
        everyone = self.needs_customer(user, customer)
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

        types = [] if everyone else list(ExposureType.objects.all())
        names = {kind.pk: kind.name for kind in types}
        days = {month: min(month_end(month), today) for month in months}
        counts = {} if everyone else surveillance_counts(exposures, days, types=types)
        with_department = len({key[1] for key in counts}) > 1

        # {(exposure name, department name, month): employees per status, as STATUSES}: each
        # exposure's months one after the other, so the table reads as its course over time.
        cells: dict[tuple, list[int]] = {}
        for (type_id, department, month), statuses in counts.items():
            key = (names[type_id], department[1] if with_department else "", month)
            before = cells.get(key, [0] * len(STATUSES))
            cells[key] = [a + b for a, b in zip(before, statuses, strict=True)]
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
        return ReportResult(
            report=self,
            table=table,
            chart=chart,
            notes=notes,
            empty_text=self.customer_needed_text if everyone else None,
        )
