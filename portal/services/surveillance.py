"""Each exposure's last check, kept on the row (`Exposure.last_check_on`) so the due list sorts,
filters and counts on a stored date instead of asking the bookings again for every row.

The writes that can move a last check call `exposures_recheck` for what they touched, inside
their transaction: attendance recorded or undone, an order's product group changed, an exposure
registered or changed. (An appointment's time moves only into the future, where no one has
attended yet.) `exposures_recheck()` with no
arguments refreshes every exposure (`manage.py recheck_exposures`, the world generator).
"""

from portal.models import Exposure
from portal.selectors.surveillance import last_attended_check


def exposures_recheck(*, employee_ids=None, exposure_ids=None) -> int:
    """Set the last check of the exposures of these employees (or these exposures; None and
    None: every exposure) in one UPDATE. Returns how many rows it set."""
    exposures = Exposure.objects.all()
    if employee_ids is not None:
        exposures = exposures.filter(employee_id__in=list(employee_ids))
    if exposure_ids is not None:
        exposures = exposures.filter(pk__in=list(exposure_ids))
    return exposures.update(last_check_on=last_attended_check())
