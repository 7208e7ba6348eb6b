"""Employees, with synthetic national ids where the settings allow them."""

import datetime
import time

from django.conf import settings

from portal.crypto import national_id_digest, national_id_encrypt
from portal.models import Employee
from portal.models.employees import Gender
from portal.selectors.periods import months_add
from portal.validators import national_id_check_digits

from .base import WorldBase
from .names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, slug
from .plan import weighted
from .writer import CHUNK


def synthetic_national_id(birth_date: datetime.date, individual: int) -> str | None:
    """A synthetic test number (month + 80): it passes the check digits and the date, and
    belongs to nobody. None when the individual number gives no valid check digit."""
    body = f"{birth_date:%d}{birth_date.month + 80}{birth_date:%y}{individual:03d}"
    check = national_id_check_digits(body)
    return None if check is None else body + check


class EmployeeTables(WorldBase):
    """Employees, department by department, each customer's e-mail addresses and national
    ids unique within it."""

    def _employees(self) -> None:
        rng = self.rng
        allow_synthetic = getattr(settings, "PORTAL_ALLOW_SYNTHETIC_NATIONAL_IDS", False)
        if not allow_synthetic:
            self.log("  (synthetic national ids are not allowed here: employees get none)")
        self.first_employee_id = self.writer.first_id(Employee)
        self.active = bytearray(self.employee_count)
        columns = ("id", "customer_id", "department_id", "first_name", "last_name", "email",
                   "mobile", "birth_date", "gender", "national_id_encrypted",
                   "national_id_digest", "is_active", "deactivated_by_id", "deactivated_at",
                   "created_at", "updated_at")  # fmt: skip
        # Whole years back with months_add: on 29 February date.replace(year=...) has no day.
        oldest = months_add(self.today, -67 * 12).toordinal()
        youngest = months_add(self.today, -18 * 12).toordinal()
        rows = []
        started = time.perf_counter()
        for customer in self.customers:
            emails: dict[str, int] = {}
            numbers: set[str] = set()
            since = max(customer.first_day, self.start_day)
            for d in customer.departments:
                department = self.departments[d]
                for k in range(department.employees):
                    index = department.first_employee + k
                    female = rng.random() < 0.5
                    first = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
                    last = rng.choice(LAST_NAMES)
                    sex = Gender.FEMALE if female else Gender.MALE
                    gender = weighted(rng, ((0.94, sex.value), (0.95, Gender.OTHER.value),
                                             (1, "")))  # fmt: skip
                    local = f"{slug(first)}.{slug(last)}"
                    seen = emails.get(local, 0) + 1
                    emails[local] = seen
                    if seen > 1:
                        local = f"{local}{seen}"
                    if rng.random() < 0.05:
                        local = local.title()  # as typed; unique regardless of case
                    mobile = self._mobile() if rng.random() < 0.9 else ""
                    birth = datetime.date.fromordinal(rng.randint(oldest, youngest))
                    encrypted = digest = ""
                    if allow_synthetic and rng.random() < 0.9:
                        number = self._national_id(birth, numbers)
                        if number:
                            encrypted = national_id_encrypt(number)
                            digest = national_id_digest(number)
                    created = self._office_time(self._day_between(since, self.today))
                    if created > self.now:
                        created = self.now - datetime.timedelta(minutes=rng.randint(1, 600))
                    active = rng.random() >= 0.04
                    deactivated_by = deactivated_at = None
                    if active:
                        self.active[index] = 1
                        department.active += 1
                    else:
                        deactivated_at = self._later(created, 24, 24 * 900)
                        deactivated_by = rng.choice(customer.bookers)
                    rows.append((
                        self.first_employee_id + index, customer.id, department.id, first, last,
                        f"{local}@{customer.domain}", mobile, birth, gender, encrypted, digest,
                        active, deactivated_by, deactivated_at, created,
                        deactivated_at or created,
                    ))  # fmt: skip
            if len(rows) >= CHUNK or customer is self.customers[-1]:
                started = self._write_chunk(started, ("employees", Employee, columns, rows))
        self._done("employees")

    def _national_id(self, birth: datetime.date, taken: set[str]) -> str | None:
        """A synthetic number for this birth date that the customer has not used yet. The
        individual number sets the century: 000–499 for the 1900s, 500–999 for 2000–2039."""
        low, high = (0, 499) if birth.year < 2000 else (500, 999)
        start = self.rng.randint(low, high)
        for step in range(high - low + 1):
            individual = low + (start - low + step) % (high - low + 1)
            number = synthetic_national_id(birth, individual)
            if number and number not in taken:
                taken.add(number)
                return number
        return None
