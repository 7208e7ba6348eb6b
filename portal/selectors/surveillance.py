"""The due list («Helseovervåking») computed in the database: per exposure, the last attended
check since it began (kept on the row), the next booked one, and its status by the rules of
`portal.surveillance`.

A check is due `months` after a date; "due before today" is "that date before the earliest date
that reaches today" (`earliest_start_reaching`), a comparison on a stored date. Each exposure
type has its own months, so the status is a CASE over the types: a handful of rows, read once.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
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

from portal.models import Booking, Exposure, ExposureType
from portal.models.appointments import Attendance
from portal.surveillance import DUE_SOON_DAYS, DueStatus, earliest_start_reaching


def with_checks(queryset: QuerySet[Exposure]) -> QuerySet[Exposure]:
    """`last_check`: the day of the latest attended check since the exposure began (kept on the
    row: `portal.services.surveillance`), or None; `booked_on`: the day of the earliest booked
    check still to come (or None; asked of the bookings, for the rows shown only)."""
    booked = (
        Booking.objects.filter(
            employee=OuterRef("employee"),
            attendance=Attendance.BOOKED,
            appointment__order__product_group=OuterRef("exposure_type__product_group"),
            appointment__starts_at__gte=timezone.now(),
        )
        .annotate(day=TruncDate("appointment__starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by("day")
        .values("day")
    )
    return queryset.annotate(last_check=F("last_check_on"), booked_on=Subquery(booked[:1]))


def _due_before(day: datetime.date, types: list[ExposureType]) -> Q:
    """Exposures (of `with_checks`) whose next check is due before `day`; offered checks never."""
    due = Q(pk__in=[])
    for kind in types:
        first = earliest_start_reaching(day, kind.first_check_months)
        never = Q(last_check__isnull=True, starts_on__lt=first)
        if kind.interval_months is None:
            due |= Q(exposure_type=kind) & never
            continue
        again = earliest_start_reaching(day, kind.interval_months)
        due |= Q(exposure_type=kind) & (never | Q(last_check__lt=again))
    return due


#: The statuses from the most to the least urgent: the due list's order.
URGENCY = (DueStatus.OVERDUE, DueStatus.DUE_SOON, DueStatus.NOT_EXAMINED, DueStatus.IN_ORDER)


def _exposure_types() -> list[ExposureType]:
    return [kind for kind in ExposureType.objects.all() if not kind.offer_only]


def with_due_status(queryset: QuerySet[Exposure], today: datetime.date) -> QuerySet[Exposure]:
    """`with_checks`, `due_status` (a `DueStatus` value, for filtering) and `due_rank` (its
    place in `URGENCY`, for sorting). Two CASEs over the same conditions rather than one
    referring to the other: Django writes an annotation out in full wherever it is used, so a
    status made of `When(due_rank=…)` would repeat the rank's CASE once per status."""
    types = _exposure_types()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS + 1)
    conditions = (
        _due_before(today, types),
        _due_before(soon, types),
        Q(last_check__isnull=True),
    )

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
    """Of active employees, begun, and not ended before their last check."""
    return queryset.filter(employee__is_active=True, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(last_check_on__isnull=True) | Q(last_check_on__lt=F("ends_on"))
    )


def due_list(queryset: QuerySet[Exposure], today: datetime.date) -> QuerySet[Exposure]:
    """The exposures of the due list among `queryset` (already scoped to the user), with
    `with_due_status`."""
    return with_due_status(_listed(queryset, today), today)


def due_list_counts(queryset: QuerySet[Exposure], today: datetime.date) -> dict[str, int]:
    """`listed`: the exposures of the due list among `queryset`; `overdue`: their employees
    overdue for a check. Only the overdue condition is asked, not every row's status."""
    overdue = _due_before(today, _exposure_types())
    return (
        _listed(queryset, today)
        .annotate(last_check=F("last_check_on"))
        .aggregate(listed=Count("pk"), overdue=Count("employee_id", distinct=True, filter=overdue))
    )
