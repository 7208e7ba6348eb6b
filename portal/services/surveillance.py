"""Each exposure's last check and next due day, kept on the row (`Exposure.last_check_on`,
`Exposure.next_due_on`) so the due list sorts, filters and counts on stored dates instead of
asking the bookings again for every row.

The writes that can move a last check call `exposures_recheck` for what they touched, inside
their transaction: attendance recorded or undone, an order's product group changed, an exposure
registered or changed. (An appointment's time moves only into the future, where no one has
attended yet.) `exposures_recheck()` with no
arguments refreshes every exposure (`manage.py recheck_exposures`, the world generator). A
type's months changed move its exposures' next due days (`exposures_due_refresh`).
"""

from django.db.models import Case, DateField, F, OuterRef, Subquery, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.models import Booking, Exposure, ExposureType
from portal.models.appointments import Attendance
from portal.selectors.periods import MonthsAdd


def last_attended_check():
    """The day of the latest attended check of the exposure's product group since it began,
    as a subquery of an exposure row."""
    return Subquery(
        Booking.objects.filter(
            employee=OuterRef("employee"),
            attendance=Attendance.ATTENDED,
            # The type's product group, reached from the booking's side: an UPDATE's subquery
            # may name the updated row's own columns only.
            appointment__order__product_group__exposure_types=OuterRef("exposure_type_id"),
        )
        .annotate(day=TruncDate("appointment__starts_at", tzinfo=timezone.get_default_timezone()))
        .filter(day__gte=OuterRef("starts_on"))
        .order_by("-day")
        .values("day")[:1]
    )


def next_due_day(types=None):
    """`Exposure.required_check_due` in SQL, from the row's stored dates: a CASE over the
    exposure `types` (a handful; all of them when None), each with its months."""
    if types is None:
        types = ExposureType.objects.all()
    whens = []
    for kind in types.filter(interval_months__isnull=False).order_by("pk"):
        whens += [
            When(
                exposure_type_id=kind.pk,
                last_check_on__isnull=True,
                then=MonthsAdd(F("starts_on"), kind.first_check_months),
            ),
            When(
                exposure_type_id=kind.pk,
                then=MonthsAdd(F("last_check_on"), kind.interval_months),
            ),
        ]
    return Case(*whens, default=None, output_field=DateField())


def exposures_recheck(*, employee_ids=None, exposure_ids=None) -> int:
    """Set the last check and the next due day of the exposures of these employees (or these
    exposures; None and None: every exposure), in two UPDATEs. Returns how many rows it set."""
    exposures = Exposure.objects.all()
    if employee_ids is not None:
        exposures = exposures.filter(employee_id__in=list(employee_ids))
    if exposure_ids is not None:
        exposures = exposures.filter(pk__in=list(exposure_ids))
    count = exposures.update(last_check_on=last_attended_check())
    exposures_due_refresh(exposures)
    return count


def exposures_due_refresh(exposures) -> None:
    """Set the next due day of `exposures` from their stored last check and their type."""
    exposures.update(next_due_on=next_due_day())
