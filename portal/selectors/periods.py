"""Calendar arithmetic the Info page and the reports share, in Norwegian local time."""

import calendar
import datetime

from django.utils import timezone


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_add(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the month's last day where it has fewer."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware start of `day` in the current (Norwegian) time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
