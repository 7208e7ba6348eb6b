"""Each exposure's last check, kept on the row (`Exposure.last_check_on`) so the due list sorts,
filters and counts on a stored date instead of asking the bookings again for every row.

The writes that can move a last check call `exposures_recheck` for what they touched, inside
their transaction: attendance recorded or undone, an order's product group changed, an exposure
registered or changed. (An appointment's time moves only into the future, where no one has
attended yet.) `exposures_recheck()` with no
arguments refreshes every exposure (`manage.py recheck_exposures`, the world generator).
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.models import Booking, Exposure
from portal.models.appointments import Attendance


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


def exposures_recheck(*, employee_ids=None, exposure_ids=None) -> int:
    """Set the last check of the exposures of these employees (or these exposures; None and
    None: every exposure) in one UPDATE. Returns how many rows it set."""
    exposures = Exposure.objects.all()
    if employee_ids is not None:
        exposures = exposures.filter(employee_id__in=list(employee_ids))
    if exposure_ids is not None:
        exposures = exposures.filter(pk__in=list(exposure_ids))
    return exposures.update(last_check_on=last_attended_check())
