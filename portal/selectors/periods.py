"""Calendar arithmetic the Info page and the reports share, in Norwegian local time."""

import calendar
import datetime

from django.db import NotSupportedError
from django.db.models import DateField, Func
from django.utils import timezone


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_add(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the month's last day where it has fewer."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class MonthsAdd(Func):
    """`months_add` in SQL: the date `months` (a whole number, at least 0) calendar months after
    `expression`, the month's last day where it has fewer days (31 January + 1 month is the last
    of February). PostgreSQL adds an interval, which clamps so; SQLite's `date()` would run over
    into the next month, so the day (of the stored «YYYY-MM-DD») is clamped to the month's last
    by hand."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression, months: int):
        if months < 0:
            raise ValueError("MonthsAdd counts forward only")
        self.months = int(months)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"MonthsAdd is written for PostgreSQL and SQLite, not {connection}")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + make_interval(months => {self.months}))::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        months, next_month = self.months, self.months + 1
        same_day = (
            f"date({sql}, 'start of month', '+{months} months', "
            f"'+' || (CAST(substr({sql}, 9, 2) AS INTEGER) - 1) || ' days')"
        )
        last_day = f"date({sql}, 'start of month', '+{next_month} months', '-1 day')"
        return f"min({same_day}, {last_day})", (*params, *params, *params)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware start of `day` in the current (Norwegian) time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
