"""What every part of a generation shares: the sizes, the random generator, the plans, the
writer, and the bookkeeping of rows and seconds per table."""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from .plan import CustomerPlan, DepartmentPlan, UserPlan, weighted_index, world_sizes
from .writer import Writer

YEARS = 6  # how far back the generated history goes


@dataclass
class WorldReport:
    tables: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: float = 0.0
    database_size: str = ""
    largest_customer: str = ""
    largest_department: str = ""


class WorldBase:
    """One generation's state and the helpers every table needs. The table mixins fill it in
    dependency order and read what earlier ones left: the customer and department plans, the
    users, the employees' active flags, the orders' arrays and the appointment schedule."""

    def __init__(self, *, scale: float, seed: int, use_copy: bool, log: Callable[[str], None]):
        self.sizes = world_sizes(scale)
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 (repeatable test data, no secrets)
        self.writer = Writer(use_copy=use_copy)
        self.log = log
        self.report = WorldReport()
        self.zone = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start_day = self.today - datetime.timedelta(days=365 * YEARS)
        self.customers: list[CustomerPlan] = []
        self.departments: list[DepartmentPlan] = []
        self.users: list[UserPlan] = []
        self.staff: dict[str, list[int]] = {}
        self.timings: dict[str, list] = {}

    # -- bookkeeping ---------------------------------------------------------------------

    def _count(self, label: str, rows: int, seconds: float) -> None:
        entry = self.timings.setdefault(label, [0, 0.0])
        entry[0] += rows
        entry[1] += seconds

    def _done(self, *labels: str) -> None:
        for label in labels:
            rows, seconds = self.timings.get(label, (0, 0.0))
            self.report.tables.append((label, rows, seconds))
            self.log(f"  {label:<24} {rows:>10,} rows {seconds:>8.1f} s")

    def _write(self, label: str, model, columns, rows) -> None:
        started = time.perf_counter()
        self.writer.write(model, columns, rows)
        self._count(label, len(rows), time.perf_counter() - started)

    def _write_chunk(self, built_since: float, *tables) -> float:
        """Write each (label, model, columns, rows) and empty its rows. The seconds since
        `built_since` went into building the chunk and count to the first table; the next
        chunk is built from the moment returned."""
        self._count(tables[0][0], 0, time.perf_counter() - built_since)
        for label, model, columns, rows in tables:
            self._write(label, model, columns, rows)
            rows.clear()
        return time.perf_counter()

    def _at(self, day: datetime.date, minute_of_day: int) -> datetime.datetime:
        hour, minute = divmod(minute_of_day, 60)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

    def _department_by_size(self) -> int:
        """A department's index, larger departments likelier: they order and pay more."""
        shares = self.department_shares
        return weighted_index(shares, self.rng.random() * shares[-1])

    def _mobile(self) -> str:
        return f"{self.rng.choice('49')}{self.rng.randrange(10**7):07d}"

    def _office_time(self, day: datetime.date) -> datetime.datetime:
        return self._at(day, self.rng.randrange(7 * 60, 17 * 60))

    def _day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        span = (last - first).days
        return first + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    def _later(self, when: datetime.datetime, low_hours: float, high_hours: float):
        """A moment `low_hours`–`high_hours` after `when`, but never in the future: close to
        now the steps shrink, so a recent order's steps still come in order."""
        step = datetime.timedelta(hours=self.rng.uniform(low_hours, high_hours))
        room = (self.now - when) * self.rng.uniform(0.3, 0.7)
        return when + min(step, max(room, datetime.timedelta(0)))
