"""Exposures: a third of the active employees exposed to one of the demo's exposure types, from
a day in the generated history, so the due list («Helseovervåking») is measured at size."""

import datetime
import random
import time

from django.db import transaction

from portal.demo_enrich import exposure_types_ensure
from portal.models import Exposure
from portal.services.surveillance import exposures_recheck

from .base import WorldBase
from .writer import CHUNK

EXPOSED_SHARE = 1 / 3
ENDED_SHARE = 0.05


class ExposureTables(WorldBase):
    def _exposure_types(self) -> None:
        """The demo's exposure types (and their checks' product groups)."""
        self.exposure_types = [kind.pk for kind in exposure_types_ensure().values()]

    def _exposures(self) -> None:
        # A stream of their own: the tables after them are the same with or without them.
        rng = random.Random(f"{self.seed}-exposures")  # noqa: S311 (repeatable test data)
        started = time.perf_counter()
        exposure_id = self.writer.first_id(Exposure)
        columns = ("id", "employee_id", "department_id", "exposure_type_id", "starts_on",
                   "ends_on", "note", "created_at")  # fmt: skip
        department_of = {}  # employee index: department id
        for department in self.departments:
            for k in range(department.employees):
                department_of[department.first_employee + k] = department.id
        rows = []
        span = (self.today - self.start_day).days
        for index in range(self.employee_count):
            if not self.active[index] or rng.random() >= EXPOSED_SHARE:
                continue
            starts_on = self.start_day + datetime.timedelta(days=rng.randrange(span))
            ends_on = None
            if rng.random() < ENDED_SHARE:
                ends_on = starts_on + datetime.timedelta(days=rng.randrange(30, 900))
                ends_on = min(ends_on, self.today)
            rows.append((
                exposure_id, self.first_employee_id + index, department_of[index],
                rng.choice(self.exposure_types), starts_on, ends_on, "",
                self._office_time(starts_on),
            ))  # fmt: skip
            exposure_id += 1
            if len(rows) >= CHUNK:
                started = self._write_chunk(started, ("exposures", Exposure, columns, rows))
        self._write_chunk(started, ("exposures", Exposure, columns, rows))
        self._done("exposures")

    def _exposures_recheck(self) -> None:
        """Each exposure's last check, from the bookings just written (one UPDATE)."""
        started = time.perf_counter()
        with transaction.atomic():
            rows = exposures_recheck()
        self._count("exposures' last checks", rows, time.perf_counter() - started)
        self._done("exposures' last checks")
