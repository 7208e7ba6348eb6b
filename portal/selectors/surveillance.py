"""The due list («Helseovervåking») computed in the database: per exposure, the last attended
check since it began and the day the next is due (both kept on the row by
`portal.services.surveillance`), the next booked check, and its status by the rules of
`portal.surveillance`: comparisons of the stored due day with today.
"""

import datetime

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.models import Booking, Employee, Exposure
from portal.models.appointments import Attendance
from portal.surveillance import DUE_SOON_DAYS, DueStatus


def with_checks(queryset: QuerySet[Exposure]) -> QuerySet[Exposure]:
    """`last_check`: the day of the latest attended check since the exposure began (kept on the
    row: `portal.services.surveillance`), or None; `booked_on`: the day of the earliest booked
    check still to come (or None; asked of the bookings, for the rows shown only)."""
    booked = (
        Booking.objects.filter(
            employee=OuterRef("employee"),
            attendance=Attendance.BOOKED,
            # The type's product group reached from the booking's side: the list's counts then
            # need no join to the exposure type.
            appointment__order__product_group__exposure_types=OuterRef("exposure_type_id"),
            appointment__starts_at__gte=timezone.now(),
        )
        .annotate(day=TruncDate("appointment__starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by("day")
        .values("day")
    )
    return queryset.annotate(last_check=F("last_check_on"), booked_on=Subquery(booked[:1]))


def _due_before(day: datetime.date) -> Q:
    """Exposures whose next check is due before `day`; offered checks never (no due day)."""
    return Q(next_due_on__lt=day)


#: The statuses from the most to the least urgent: the due list's order.
URGENCY = (DueStatus.OVERDUE, DueStatus.DUE_SOON, DueStatus.NOT_EXAMINED, DueStatus.IN_ORDER)


def soon_after(today: datetime.date) -> datetime.date:
    """The first day past «due within 90 days»: a check due before it is due soon (or over)."""
    return today + datetime.timedelta(days=DUE_SOON_DAYS + 1)


def status_ranges(today: datetime.date) -> list[tuple[DueStatus, Q]]:
    """Each status as the ranges of the stored dates (`Exposure.next_due_on`) it covers, as
    the rules of `portal.surveillance.status_on` give it, in the due list's order: a range of
    the due day (or none), without OR, which the due day's index reads in order."""
    soon = soon_after(today)
    later, never = Q(next_due_on__gte=soon), Q(next_due_on__isnull=True)
    unchecked, checked = Q(last_check_on__isnull=True), Q(last_check_on__isnull=False)
    return [
        (DueStatus.OVERDUE, _due_before(today)),
        (DueStatus.DUE_SOON, Q(next_due_on__gte=today, next_due_on__lt=soon)),
        (DueStatus.NOT_EXAMINED, later & unchecked),
        (DueStatus.NOT_EXAMINED, never & unchecked),
        (DueStatus.IN_ORDER, later & checked),
        (DueStatus.IN_ORDER, never & checked),
    ]


def status_conditions(today: datetime.date) -> dict[DueStatus, Q]:
    """Each status as one condition on the stored dates (`status_ranges`): the status filter
    asks these, which the due day's index answers."""
    conditions: dict[DueStatus, Q] = {}
    for status, condition in status_ranges(today):
        conditions[status] = conditions[status] | condition if status in conditions else condition
    return conditions


def with_due_status(queryset: QuerySet[Exposure], today: datetime.date) -> QuerySet[Exposure]:
    """`with_checks`, `due_status` (a `DueStatus` value) and `due_rank` (its place in
    `URGENCY`, for sorting). Two CASEs over the same conditions rather than one referring to
    the other: Django writes an annotation out in full wherever it is used, so a status made of
    `When(due_rank=…)` would repeat the rank's CASE once per status."""
    by_status = status_conditions(today)
    conditions = [by_status[status] for status in URGENCY[:-1]]  # the last is what is left

    def case(values, output_field):
        return Case(
            *(
                When(condition, then=Value(value))
                for condition, value in zip(conditions, values[:-1], strict=True)
            ),
            default=Value(values[-1]),
            output_field=output_field,
        )

    return with_checks(queryset).annotate(
        due_rank=case(list(range(len(URGENCY))), IntegerField()),
        due_status=case([status.value for status in URGENCY], CharField()),
    )


def _listed(queryset: QuerySet[Exposure], today: datetime.date) -> QuerySet[Exposure]:
    """Of active employees, begun, and not ended before their last check. Whether the employee
    left is asked of a partial index of those who did (`NOT EXISTS`), not of each exposure's
    employee row: a count over every customer's exposures then reads no employee row at all.
    (As `NOT IN` the planner guessed half the rows gone and sorted a customer's list by
    department through every department of every customer: seconds.)"""
    left = Employee.objects.filter(pk=OuterRef("employee_id"), is_active=False)
    return (
        queryset.filter(starts_on__lte=today)
        .filter(~Exists(left))
        .filter(
            Q(ends_on__isnull=True)
            | Q(last_check_on__isnull=True)
            | Q(last_check_on__lt=F("ends_on"))
        )
    )


def due_list(queryset: QuerySet[Exposure], today: datetime.date) -> QuerySet[Exposure]:
    """The exposures of the due list among `queryset` (already scoped to the user), with
    `with_due_status`."""
    return with_due_status(_listed(queryset, today), today)


#: The due day, those without one (a check only offered) last on every database.
NEXT_DUE_FIRST = F("next_due_on").asc(nulls_last=True)
#: What breaks ties in the due list, after the status and the due day: the employee's name,
#: then the exposure, then the row (the change list's own last resort).
NAME_ORDER = ("employee__last_name", "employee__first_name", "exposure_type__name")


def status_range_counts(queryset: QuerySet[Exposure], today: datetime.date) -> list[int]:
    """How many rows of the due list `queryset` fall in each of `status_ranges`, in one count:
    where each range begins in the list's order, for `most_urgent_ids`."""
    names = {f"range{n}": condition for n, (_, condition) in enumerate(status_ranges(today))}
    counts = queryset.order_by().aggregate(
        **{name: Count("pk", filter=condition) for name, condition in names.items()}
    )
    return [counts[name] for name in names]


def most_urgent_ids(
    queryset: QuerySet[Exposure],
    today: datetime.date,
    *,
    counts: list[int],
    offset: int,
    limit: int,
) -> list[int]:
    """The ids of rows `offset` to `offset + limit` of the due list `queryset` in its own order
    (status, due day, name), in one query (PostgreSQL). `counts` (`status_range_counts`) tells
    which of `status_ranges` the page falls in and where: each is read from the due day's
    index in order, only as far as the page reaches into it.

    Sorted as one list instead, every row would be given its status and sorted, whichever
    page is asked (about 200 ms over 160,000 exposures)."""
    parts = [condition for _, condition in status_ranges(today)]
    return _page_ids(
        queryset,
        list(zip(parts, counts, strict=True)),
        (NEXT_DUE_FIRST, *NAME_ORDER, "-pk"),
        offset=offset,
        limit=limit,
    )


def status_sorted_ids(
    queryset: QuerySet[Exposure],
    today: datetime.date,
    *,
    counts: list[int],
    offset: int,
    limit: int,
    descending: bool = False,
) -> list[int]:
    """As `most_urgent_ids`, for the list sorted by its status column (the most urgent first,
    or last when `descending`) and then by name: each status is read in name order, only as
    far as the page reaches into it. Over every customer's exposures PostgreSQL then walks the
    employees' name index and stops at the page's rows (25 ms) instead of sorting the 120,000
    overdue by name (300 ms). (Within one customer it would walk every customer's employees
    to find theirs: the list sorts theirs as one.)"""
    per_status: dict[DueStatus, int] = {}
    for (status, _), count in zip(status_ranges(today), counts, strict=True):
        per_status[status] = per_status.get(status, 0) + count
    conditions = status_conditions(today)
    statuses = reversed(URGENCY) if descending else URGENCY
    return _page_ids(
        queryset,
        [(conditions[status], per_status[status]) for status in statuses],
        (*NAME_ORDER, "-pk"),
        offset=offset,
        limit=limit,
    )


def _page_ids(queryset, parts: list[tuple[Q, int]], order, *, offset: int, limit: int):
    """The ids of rows `offset` to `offset + limit` of `parts` one after the other (each a
    condition and how many rows it holds), each part in `order`: one UNION ALL of the parts the
    page reaches into, each only as far as it does."""
    rows = queryset.order_by()
    sqls: list[str] = []
    params: list = []
    begins = 0
    for condition, count in parts:
        first, last = max(offset - begins, 0), min(offset + limit - begins, count)
        begins += count
        if first >= last:
            continue
        sql, part_params = (
            rows.filter(condition)
            .order_by(*order)
            .values_list("pk", flat=True)[first:last]
            .query.sql_with_params()
        )
        sqls.append(f"({sql})")
        params.extend(part_params)
    if not sqls:
        return []
    with connections[rows.db].cursor() as cursor:
        # Which rows, not in which order: the page's rows are read again in the list's order.
        cursor.execute(" UNION ALL ".join(sqls), params)
        return [row[0] for row in cursor.fetchall()]


def due_list_counts(queryset: QuerySet[Exposure], today: datetime.date) -> dict[str, int]:
    """`listed`: the exposures of the due list among `queryset`; `overdue`: their employees
    overdue for a check. Only the overdue condition is asked, not every row's status."""
    return _listed(queryset, today).aggregate(
        listed=Count("pk"),
        overdue=Count("employee_id", distinct=True, filter=_due_before(today)),
    )
