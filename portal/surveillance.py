"""When an exposed employee is due for a check (forskrift om organisering, ledelse og
medvirkning § 14-1), as plain rules on dates.

- The first check is due `first_check_months` after the exposure starts.
- Each attended check («Møtt») since the exposure started moves the next one to
  `interval_months` after it. A no-show or a cancelled booking moves nothing.
- An exposure whose check is only to be offered (night work: no interval) is never overdue: it
  is «Ikke undersøkt» until a check is held, then «I orden».
- Months are calendar months; a day the month lacks is its last day (31 Jan + 1 month is the
  28th or 29th of February).

`portal.selectors.surveillance` asks the database the same questions; its tests hold the two
to the same answers.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.selectors.periods import months_add

DUE_SOON_DAYS = 90


class DueStatus(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due within 90 days")
    NOT_EXAMINED = "not_examined", _("Not examined")
    IN_ORDER = "in_order", _("In order")


def next_due(
    *,
    starts_on: datetime.date,
    first_check_months: int,
    interval_months: int | None,
    last_check: datetime.date | None,
    today: datetime.date,
) -> tuple[datetime.date | None, DueStatus]:
    """The day the next check is due (None when none is: an offered check, held) and the
    status of the exposure on `today`. `last_check` is the latest attended check, if any; one
    held before the exposure began does not count."""
    if last_check is not None and last_check < starts_on:
        last_check = None
    if last_check is None:
        due: datetime.date | None = months_add(starts_on, first_check_months)
    elif interval_months is None:
        due = None
    else:
        due = months_add(last_check, interval_months)
    return due, status_on(today, due, examined=last_check is not None,
                          offer_only=interval_months is None)  # fmt: skip


def status_on(
    today: datetime.date, due: datetime.date | None, *, examined: bool, offer_only: bool
) -> DueStatus:
    """The status on `today` of an exposure whose next check is `due` (`next_due`'s day)."""
    status = DueStatus.NOT_EXAMINED
    for first_day, status_from in status_course(due, examined=examined, offer_only=offer_only):
        if first_day is not None and today < first_day:
            break
        status = status_from
    return status


def status_course(
    due: datetime.date | None, *, examined: bool, offer_only: bool
) -> list[tuple[datetime.date | None, DueStatus]]:
    """The statuses an exposure whose next check is `due` passes through while no check is
    held, each with the first day it holds (None: from the start): «Ikke undersøkt» or «I
    orden», then «Forfaller innen 90 dager» 90 days before the due day, then «Forfalt» the day
    after it. A check only offered stays as it is."""
    quiet = DueStatus.IN_ORDER if examined else DueStatus.NOT_EXAMINED
    if offer_only or due is None:
        return [(None, quiet)]
    return [
        (None, quiet),
        (due - datetime.timedelta(days=DUE_SOON_DAYS), DueStatus.DUE_SOON),
        (due + datetime.timedelta(days=1), DueStatus.OVERDUE),
    ]
