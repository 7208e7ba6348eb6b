"""Health surveillance coverage over time: at the end of each month, how many employees were
under surveillance for each exposure and how many of them were in order, due soon, overdue or
not yet examined, by the due list's rules (`portal.surveillance.next_due`). Counts only.

The past is worked out here rather than in the database: a query reads the exposures, another
their employees' attended checks, and each exposure's statuses are worked out as spans of months
(between its checks, and before and after its due days) and added up month by month. (As one
query per month, with the last check asked of the bookings for every exposure and month, the
largest customer's page took a minute; walked month by month in Python, half a second.)"""

import bisect
import calendar
import datetime
from collections import Counter, defaultdict

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
from portal.surveillance import DueStatus, next_due, status_course

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


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def attended_checks(exposures, groups: set[int], until: datetime.date) -> dict:
    """{(employee, product group): the days of their attended checks up to `until`, in order}
    for the employees of `exposures` and the product `groups`, in one query: the employees are
    asked as a subquery, which finds each one's bookings by the employee's index (a list of
    thousands of ids made the planner read every booking)."""
    days: dict[tuple[int, int], list] = defaultdict(list)
    checks = (
        Booking.objects.filter(
            employee_id__in=exposures.values("employee_id"),
            attendance=Attendance.ATTENDED,
            appointment__order__product_group__in=groups,
            appointment__starts_at__lt=local_midnight(until + datetime.timedelta(days=1)),
        )
        .annotate(day=TruncDate("appointment__starts_at", tzinfo=timezone.get_default_timezone()))
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
        exposures.filter(starts_on__lte=last_day),
        {kind.product_group_id for kind in types},
        last_day,
    )
    # The end of each month's day as an aware moment: an employee deactivated before it is gone.
    month_days = list(days.values())
    month_ends = [local_midnight(day + datetime.timedelta(days=1)) for day in month_days]
    # An employee counts once per exposure type, department, month and status: the few with
    # two exposures of one type are counted through sets of employees, the rest by adding up.
    seen = Counter((employee, type_id, department) for employee, type_id, department, *_ in rows)
    added: dict[tuple, list[list[int]]] = {}  # per group and status, +1/-1 where spans begin/end
    shared: dict[tuple, set[int]] = defaultdict(set)  # (group, month index, status place)
    for employee, type_id, *place, starts_on, ends_on, active, deactivated in rows:
        kind = kinds[type_id]
        group = (type_id, *place)
        spans = _status_spans(
            kind,
            month_days,
            starts_on=starts_on,
            ends_on=ends_on,
            # The months up to the last whose end the employee was still there at.
            until=(
                len(month_days)
                if active
                else 0
                if deactivated is None
                else bisect.bisect_right(month_ends, deactivated)
            ),
            held=checks.get((employee, kind.product_group_id), ()),
        )
        if seen[employee, type_id, place[0]] > 1:
            for first, stop, place_of_status in spans:
                for index in range(first, stop):
                    shared[group, index, place_of_status].add(employee)
            continue
        steps = added.get(group)
        if steps is None:
            steps = added[group] = [[0] * (len(month_days) + 1) for _ in STATUSES]
        for first, stop, place_of_status in spans:
            steps[place_of_status][first] += 1
            steps[place_of_status][stop] -= 1
    counts: dict[tuple, list[int]] = {}
    for (type_id, *place), steps in added.items():
        running = [0] * len(STATUSES)
        for index, month in enumerate(days):
            running = [total + step[index] for total, step in zip(running, steps, strict=True)]
            if any(running):
                counts[type_id, tuple(place), month] = running
    months = list(days)
    for ((type_id, *place), index, place_of_status), who in shared.items():
        key = (type_id, tuple(place), months[index])
        counts.setdefault(key, [0] * len(STATUSES))[place_of_status] += len(who)
    return counts


def _status_spans(kind, month_days, *, starts_on, ends_on, until, held) -> list[tuple]:
    """[(first month index, month index after the last, status place)]: which status one
    exposure had at each month's day (`month_days`, in order), for the months before `until`,
    as spans of months. Its last check changes at each check held (one before it began does
    not count); each check's due day sets the statuses until the next (`status_course`)."""
    begun = bisect.bisect_left(month_days, starts_on)
    if begun >= until:
        return []
    since = bisect.bisect_left(held, starts_on)
    # (first month index, the last check from that month on): None until the first check.
    changes: list[tuple[int, datetime.date | None]] = [(begun, None)]
    for check in held[since:]:
        index = max(bisect.bisect_left(month_days, check), begun)
        if index >= until:
            break
        changes.append((index, check))  # two before one month's day: the first spans none
    spans = []
    for number, (first, check) in enumerate(changes):
        stop = changes[number + 1][0] if number + 1 < len(changes) else until
        if ends_on is not None and check is not None and check >= ends_on:
            break  # ended, and checked after it ended: off the list from then on
        due, _status = next_due(
            starts_on=starts_on,
            first_check_months=kind.first_check_months,
            interval_months=kind.interval_months,
            last_check=check,
            today=starts_on,  # the due day is asked here; the course gives the statuses
        )
        course = status_course(
            due, examined=check is not None, offer_only=kind.interval_months is None
        )
        for step, (first_day, status) in enumerate(course):
            begins = (
                first
                if first_day is None
                else max(bisect.bisect_left(month_days, first_day), first)
            )
            if step + 1 < len(course):
                ends = min(max(bisect.bisect_left(month_days, course[step + 1][0]), first), stop)
            else:
                ends = stop
            if begins < ends:
                spans.append((begins, ends, PLACE[status]))
    return spans


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

    @staticmethod
    def _months(period: Period, today: datetime.date) -> tuple[list[datetime.date], bool]:
        """The months shown (begun ones, the last MAX_MONTHS), and whether some were left out."""
        begun = [month for month in period.months if month <= today]  # none to come
        return begun[-MAX_MONTHS:], len(begun) > MAX_MONTHS

    def rows_at_most(self, *, user, period: Period, customer=None) -> int | None:
        """A row per exposure type, department and month at most: one small query where the
        report walks every exposure and attended check."""
        months, _cut = self._months(period, timezone.localdate())
        if not months or self.needs_customer(user, customer):
            return 0
        groups = (
            self._exposures(user, customer)
            .filter(starts_on__lte=min(month_end(months[-1]), timezone.localdate()))
            .values("exposure_type_id", "department_id")
            .distinct()
            .count()
        )
        return groups * len(months)

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        exposures = self._exposures(user, customer)
        everyone = self.needs_customer(user, customer)
        today = timezone.localdate()
        months, cut = self._months(period, today)
        notes: list[str | Promise] = [
            _(
                "Counted at the end of each month (this month: today) by the due list's rules. "
                "Coverage: in order or due within 90 days, of all under surveillance."
            )
        ]
        if cut:
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
