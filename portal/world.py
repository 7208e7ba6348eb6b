"""A generated world for benchmarks and load tests (`manage.py generate_world`).

At scale 1: 2,000 customers, 10,000 departments, 500,000 employees, 150,000 orders,
200,000 appointments, 400,000 bookings and 300,000 invoices, with the users, grants, contracts
and staff to go with them. The largest customer (customer number GW000001) has 25,000
employees in 40 departments; most customers are small.

Rows go in through the database's bulk path (COPY on PostgreSQL, `bulk_create` elsewhere) with
primary keys chosen here: the generator knows every id it hands out, so it links rows without
reading them back, and it keeps only per-customer and per-department tables in memory, never
the rows themselves. What `save()` and signals would have done is done here instead: an
employee's customer, the grants' materialised department permissions (as `grant_create` leaves
them), the document number sequences.

Everything generated is recognisable, so that `world_delete` removes it and nothing else:
customer numbers start with "GW", usernames with "world-".
"""

import array
import datetime
import heapq
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from imports.models import ImportUpload
from permissions.capabilities import (
    ROLE_CAPABILITIES,
    STAFF_GROUP_ACCOUNT_MANAGERS,
    STAFF_GROUP_CUSTOMER_SERVICE,
    Capability,
    Role,
)
from permissions.models import (
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Grant,
)
from permissions.services import staff_groups_ensure
from portal.crypto import national_id_digest, national_id_encrypt
from portal.demo import HK, PRODUCT_GROUPS
from portal.models import (
    Appointment,
    Booking,
    Contract,
    Customer,
    Department,
    Employee,
    Invoice,
    InvoiceLine,
    Order,
    OrderEvent,
    ProductGroup,
    Sequence,
    StaffProfile,
)
from portal.models.appointments import Attendance
from portal.models.audit import AuditEvent
from portal.models.orders import OrderState, OrderStatus
from portal.models.sequences import sequence_advance_to
from portal.validators import kid_mod10_check_digit

CUSTOMER_NUMBER_PREFIX = "GW"
USERNAME_PREFIX = "world-"
WORLD_CUSTOMER_USER = "world-kunde"  # Administrator of the largest customer
WORLD_DEPARTMENT_USER = "world-avdeling"  # Administrator of its largest department only
WORLD_KAM_USER = "world-kam"  # KA/KAM of the largest customer and of every 20th
WORLD_SUPERUSER = "world-admin"
WORLD_USERS = (WORLD_CUSTOMER_USER, WORLD_DEPARTMENT_USER, WORLD_KAM_USER, WORLD_SUPERUSER)
LARGEST_CUSTOMER_NUMBER = f"{CUSTOMER_NUMBER_PREFIX}000001"
PASSWORD = "demo"
DEFAULT_SEED = 20250101
YEARS = 6
# Above the demo's numbers (load_demo writes fixed ones), so the two worlds never meet.
ORDER_NUMBER_FLOOR = 400_000
INVOICE_SERIAL_FLOOR = 200_000
KAM_SHARE = 20  # world-kam manages every 20th customer
CHUNK = 10_000

SCALE_1 = {
    "customers": 2_000,
    "departments": 10_000,
    "employees": 500_000,
    "largest_employees": 25_000,
    "largest_departments": 40,
    "orders": 150_000,
    "appointments": 200_000,
    "bookings": 400_000,
    "invoices": 300_000,
}


@dataclass(frozen=True)
class WorldSizes:
    """What a scale asks for. Employees are a target: below scale ~0.02 the other customers
    cannot hold them all and stay smaller than the largest, and the largest stays largest."""

    customers: int
    departments: int
    employees: int
    largest_employees: int
    largest_departments: int
    orders: int
    appointments: int
    bookings: int
    invoices: int


def world_sizes(scale: float) -> WorldSizes:
    def scaled(name: str, minimum: int) -> int:
        return max(minimum, round(SCALE_1[name] * scale))

    customers = scaled("customers", 2)
    largest_employees = scaled("largest_employees", 8)
    largest_departments = min(largest_employees, scaled("largest_departments", 4))
    return WorldSizes(
        customers=customers,
        departments=max(scaled("departments", 0), largest_departments + customers - 1),
        employees=max(scaled("employees", 0), largest_employees + customers - 1),
        largest_employees=largest_employees,
        largest_departments=largest_departments,
        orders=scaled("orders", len(OrderStatus) * len(OrderState)),
        appointments=scaled("appointments", 1),
        bookings=scaled("bookings", 1),
        invoices=scaled("invoices", 4),
    )


@dataclass
class WorldReport:
    tables: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: float = 0.0
    database_size: str = ""
    largest_customer: str = ""
    largest_department: str = ""


def world_exists() -> bool:
    return (
        Customer.objects.filter(customer_number__startswith=CUSTOMER_NUMBER_PREFIX).exists()
        or get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).exists()
    )


# -- small pure helpers ----------------------------------------------------------------------


def apportion(total: int, weights: list[float], *, minimum: int = 0, caps=None) -> list[int]:
    """Split `total` into integers in proportion to `weights`, each between `minimum` and its
    cap; what a capped share cannot take goes to the others (water-filling). When the caps
    cannot hold `total`, everyone gets their cap."""
    count = len(weights)
    if not count:
        return []
    caps = [math.inf] * count if caps is None else list(caps)
    floors = [min(minimum, cap) for cap in caps]
    total = max(min(total, sum(caps)), sum(floors))

    def filled(k: float) -> float:
        return sum(
            min(cap, max(low, k * weight))
            for weight, low, cap in zip(weights, floors, caps, strict=True)
        )

    low_k, high_k = 0.0, 1.0
    while filled(high_k) < total:
        high_k *= 2
    for _step in range(50):
        middle = (low_k + high_k) / 2
        if filled(middle) < total:
            low_k = middle
        else:
            high_k = middle
    shares = [
        min(cap, max(low, low_k * weight))
        for weight, low, cap in zip(weights, floors, caps, strict=True)
    ]
    result = [int(share) for share in shares]
    missing = total - sum(result)
    by_fraction = sorted(range(count), key=lambda i: result[i] - shares[i])
    while missing > 0:
        for i in by_fraction:
            if missing and result[i] < caps[i]:
                result[i] += 1
                missing -= 1
    return result


def org_numbers(start: int):
    """Valid organisation numbers from `start` (8 digits, the check digit added) upwards."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = start
    while True:
        digits = str(base)
        check = -sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            yield digits + str(check)
        base += 1


K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def synthetic_national_id(birth_date: datetime.date, individual: int) -> str | None:
    """A synthetic test number (month + 80): it passes the check digits and the date, and
    belongs to nobody. None when the individual number gives no valid check digit."""
    body = f"{birth_date:%d}{birth_date.month + 80}{birth_date:%y}{individual:03d}"
    k1 = -sum(int(d) * w for d, w in zip(body, K1, strict=True)) % 11
    if k1 == 10:
        return None
    body += str(k1)
    k2 = -sum(int(d) * w for d, w in zip(body, K2, strict=True)) % 11
    return None if k2 == 10 else body + str(k2)


def _ore(amount: int) -> str:
    """øre → "1234.50": COPY and bulk_create both take the decimal as text."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    return f"{sign}{amount // 100}.{amount % 100:02d}"


def _weighted(rng: random.Random, table):
    """`table` is ((threshold, value), …) with cumulative thresholds, the last one 1."""
    r = rng.random()
    for threshold, value in table:
        if r < threshold:
            return value
    return table[-1][1]


# -- writing -----------------------------------------------------------------------------------


class _Writer:
    """Rows in as tuples in the order of `columns` (attribute names): COPY on PostgreSQL,
    `bulk_create` otherwise. Primary keys come with the rows; `sequences_reset` puts the
    database's own counters after them at the end."""

    def __init__(self, *, use_copy: bool):
        self.use_copy = use_copy
        self.models = []

    def first_id(self, model) -> int:
        """The first primary key nobody has had: the sequence's next value on PostgreSQL
        (so ids of deleted rows are not handed out again), above the highest elsewhere."""
        table, pk = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk])
                return cursor.fetchone()[0]
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
        return highest + 1

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if model not in self.models:
            self.models.append(model)
        if not self.use_copy:
            model.objects.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
            )
            return
        column_of = {f.attname: f.column for f in model._meta.concrete_fields}
        quote = connection.ops.quote_name
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(column_of[c]) for c in columns)
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def sequences_reset(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# -- the plan: customers and departments, before anything is written ---------------------------


@dataclass
class _CustomerPlan:
    index: int
    id: int
    number: str
    name: str
    short: str
    domain: str
    org_number: str
    city: str
    employees: int
    departments: list[int] = field(default_factory=list)  # department indexes
    account_manager: int = 0  # user id
    contract: int = 0
    contract_reference: str = ""
    admin: int = 0  # user id of the whole-customer Administrator
    orderers: list[int] = field(default_factory=list)  # may place and confirm orders
    bookers: list[int] = field(default_factory=list)  # may book and manage employees
    first_day: datetime.date = datetime.date.min


@dataclass
class _DepartmentPlan:
    id: int
    customer: int  # customer index
    name: str
    org_number: str
    city: str
    employees: int
    first_employee: int = 0  # index into every generated employee
    active: int = 0


@dataclass
class _UserPlan:
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool = False
    is_superuser: bool = False
    group: str = ""
    customer: int = -1
    role: str = ""
    departments: list[int] | None = None  # None: the whole customer
    joined: datetime.datetime | None = None


class _World:
    """One generation: plans customers and departments first (sizes, names, ids), then
    writes table by table in dependency order, a chunk at a time."""

    def __init__(self, *, scale: float, seed: int, use_copy: bool, log: Callable[[str], None]):
        self.sizes = world_sizes(scale)
        self.rng = random.Random(seed)  # noqa: S311 (repeatable test data, no secrets)
        self.writer = _Writer(use_copy=use_copy)
        self.log = log
        self.report = WorldReport()
        self.zone = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start_day = self.today - datetime.timedelta(days=365 * YEARS)
        self.customers: list[_CustomerPlan] = []
        self.departments: list[_DepartmentPlan] = []
        self.users: list[_UserPlan] = []
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

    def _at(self, day: datetime.date, minute_of_day: int) -> datetime.datetime:
        hour, minute = divmod(minute_of_day, 60)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

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

    # -- the run -------------------------------------------------------------------------

    def run(self) -> WorldReport:
        started = time.perf_counter()
        s = self.sizes
        self.log(
            f"generate_world: {s.customers:,} customers, {s.departments:,} departments, "
            f"~{s.employees:,} employees (largest customer {s.largest_employees:,} in "
            f"{s.largest_departments} departments), {s.orders:,} orders, {s.appointments:,} "
            f"appointments, ~{s.bookings:,} bookings, {s.invoices:,} invoices; "
            f"{connection.vendor}, {'COPY' if self.writer.use_copy else 'bulk_create'}"
        )
        with transaction.atomic():
            self._reference_data()
            self._plan()
            self._users()
            self._customers()
            self._grants()
        self._employees()
        self._orders()
        self._appointments()
        self._invoices()
        with transaction.atomic():
            self.writer.sequences_reset()
            sequence_advance_to(name="order", value=self.last_order_number)
            sequence_advance_to(name="invoice", value=self.last_invoice_serial)
        if connection.vendor == "postgresql":
            analyzed = time.perf_counter()
            # VACUUM as well where it may run (not inside a transaction): it sets the
            # visibility map, so index-only scans work as on a database autovacuum keeps.
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(statement)
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                self.report.database_size = cursor.fetchone()[0]
            self.log(f"  {statement:<24} {'':>15} {time.perf_counter() - analyzed:>8.1f} s")
        self.report.seconds = time.perf_counter() - started
        largest = self.customers[0]
        self.report.largest_customer = f"{largest.number} {largest.name}"
        self.report.largest_department = self.departments[self.largest_department].name
        return self.report

    def _reference_data(self) -> None:
        groups = staff_groups_ensure()
        self.groups = {name: group.pk for name, group in groups.items()}
        self.product_groups = {}
        for name, is_health_check in PRODUCT_GROUPS:
            group, _created = ProductGroup.objects.get_or_create(
                name=name, defaults={"is_health_check": is_health_check}
            )
            self.product_groups[name] = group.pk
        codenames = [str(c) for c in Capability]
        self.capability_permission = dict(
            Permission.objects.filter(
                content_type__app_label="portal",
                content_type__model="department",
                codename__in=codenames,
            ).values_list("codename", "pk")
        )
        self.password = make_password(PASSWORD)

    # -- customers and departments -------------------------------------------------------

    def _plan(self) -> None:
        s, rng = self.sizes, self.rng
        others = s.customers - 1
        sizes = [s.largest_employees, *apportion(
            s.employees - s.largest_employees,
            [rng.lognormvariate(0, 1.4) for _ in range(others)],
            minimum=1,
            caps=[s.largest_employees - 1] * others,
        )]  # fmt: skip
        department_counts = [s.largest_departments, *apportion(
            s.departments - s.largest_departments,
            [size**0.6 for size in sizes[1:]],
            minimum=1,
            caps=[min(size, s.largest_departments) for size in sizes[1:]],
        )]  # fmt: skip
        customer_id = self.writer.first_id(Customer)
        department_id = self.writer.first_id(Department)
        taken = set(Customer.objects.values_list("org_number", flat=True))
        customer_orgs = (n for n in org_numbers(81_000_000) if n not in taken)
        department_orgs = org_numbers(83_000_000)
        used_names = set()
        employee_index = 0
        for index, (size, department_count) in enumerate(
            zip(sizes, department_counts, strict=True)
        ):
            name = LARGEST_CUSTOMER if index == 0 else self._company_name(used_names)
            used_names.add(name)
            short = name.rsplit(" ", 1)[0]
            city = rng.choice(CITIES)
            customer = _CustomerPlan(
                index=index,
                id=customer_id + index,
                number=f"{CUSTOMER_NUMBER_PREFIX}{index + 1:06d}",
                name=name,
                short=short,
                domain=_slug(short) + ".example",
                org_number=next(customer_orgs),
                city=city,
                employees=size,
                first_day=self._day_between(self.start_day - datetime.timedelta(days=900),
                                            self.start_day),
            )  # fmt: skip
            self.customers.append(customer)
            weights = [rng.uniform(0.6, 1.4) / (k + 1) ** 0.9 for k in range(department_count)]
            cities = [city, *rng.sample([c for c in CITIES if c != city],
                                        min(department_count, len(CITIES) - 1))]  # fmt: skip
            for k, employees in enumerate(apportion(size, weights, minimum=1)):
                town = cities[k % len(cities)]
                round_ = k // len(cities)
                department_name = (
                    name if k == 0 else f"{short} {town}" + (f" {round_ + 1}" if round_ else "")
                )
                customer.departments.append(len(self.departments))
                self.departments.append(
                    _DepartmentPlan(
                        id=department_id + len(self.departments),
                        customer=index,
                        name=department_name,
                        org_number=customer.org_number
                        if k == 0
                        else (next(department_orgs) if rng.random() < 0.7 else ""),
                        city=town,
                        employees=employees,
                        first_employee=employee_index,
                    )
                )
                employee_index += employees
        self.employee_count = employee_index
        self.largest_department = max(
            self.customers[0].departments, key=lambda d: self.departments[d].employees
        )

    def _company_name(self, used: set[str]) -> str:
        rng = self.rng
        while True:
            core = rng.choice(COMPANY_CORES)
            if rng.random() < 0.5:
                stem = rng.choice(COMPANY_PREFIXES) + core.lower()
            else:
                stem = f"{rng.choice(LAST_NAMES)} {core}"
            suffix = _weighted(rng, ((0.9, "AS"), (0.93, "ASA"), (0.97, "SA"), (1, "ANS")))
            name = f"{stem} {suffix}"
            if name not in used:
                return name
            name = f"{stem} {rng.choice(CITIES)} {suffix}"
            if name not in used:
                return name

    def _customers(self) -> None:
        rng = self.rng
        started = time.perf_counter()
        customer_rows, department_rows, contract_rows = [], [], []
        contract_id = self.writer.first_id(Contract)
        for customer in self.customers:
            customer_rows.append((
                customer.id, customer.name, customer.org_number, customer.number,
                customer.account_manager, rng.random() < 0.97,
            ))  # fmt: skip
            for d in customer.departments:
                department = self.departments[d]
                department_rows.append(
                    (department.id, customer.id, department.name, department.org_number)
                )
            customer.contract_reference = f"abonnement{customer.index + 1}"
            if rng.random() < 0.25:
                # An earlier framework agreement, expired when the subscription began.
                old_from = customer.first_day - datetime.timedelta(days=rng.randint(400, 1500))
                contract_rows.append((
                    contract_id, customer.id, f"Rammeavtale {customer.short}",
                    f"RA-{old_from.year}", old_from,
                    customer.first_day - datetime.timedelta(days=1),
                ))  # fmt: skip
                contract_id += 1
            customer.contract = contract_id
            contract_rows.append((
                contract_id, customer.id, f"Abonnement {customer.short}",
                customer.contract_reference, customer.first_day, None,
            ))  # fmt: skip
            contract_id += 1
        built = time.perf_counter() - started
        self._count("customers", 0, built)
        self._write("customers", Customer,
                    ("id", "name", "org_number", "customer_number", "account_manager_id",
                     "is_active"), customer_rows)  # fmt: skip
        self._write("departments", Department, ("id", "customer_id", "name", "org_number"),
                    department_rows)  # fmt: skip
        self._write("contracts", Contract,
                    ("id", "customer_id", "name", "default_customer_reference", "valid_from",
                     "valid_to"), contract_rows)  # fmt: skip
        self._done("customers", "departments", "contracts")

    # -- users, staff and grants ---------------------------------------------------------

    def _person(self) -> tuple[str, str]:
        rng = self.rng
        first = rng.choice(FEMALE_FIRST_NAMES if rng.random() < 0.5 else MALE_FIRST_NAMES)
        return first, rng.choice(LAST_NAMES)

    def _users(self) -> None:
        started = time.perf_counter()
        rng, s = self.rng, self.sizes
        user_id = self.writer.first_id(get_user_model())
        staff_domain = "bedriftshelse.example"

        def add(username, first, last, email, **fields) -> _UserPlan:
            user = _UserPlan(
                id=user_id + len(self.users),
                username=username,
                first_name=first,
                last_name=last,
                email=email,
                **fields,
            )
            self.users.append(user)
            return user

        def staff_user(username, group, **fields):
            first, last = self._person()
            email = f"{_slug(first)}.{_slug(last)}@{staff_domain}"
            return add(username, first, last, email, is_staff=True, group=group, **fields)

        add(WORLD_SUPERUSER, "Verden", "Admin", f"admin@{staff_domain}", is_staff=True,
            is_superuser=True)  # fmt: skip
        account_managers = [
            staff_user(WORLD_KAM_USER, STAFF_GROUP_ACCOUNT_MANAGERS).id,
            *(
                staff_user(f"{USERNAME_PREFIX}kam-{k:02d}", STAFF_GROUP_ACCOUNT_MANAGERS).id
                for k in range(2, max(2, round(KAM_SHARE * s.customers / 2000)) + 1)
            ),
        ]
        service = [
            staff_user(f"{USERNAME_PREFIX}ks-{k:02d}", STAFF_GROUP_CUSTOMER_SERVICE).id
            for k in range(1, max(1, round(10 * s.customers / 2000)) + 1)
        ]
        self.staff = {"kam": account_managers, "service": service}

        for customer in self.customers:
            if customer.index % KAM_SHARE == 0 or len(account_managers) == 1:
                customer.account_manager = account_managers[0]
            else:
                others = account_managers[1:]
                customer.account_manager = others[customer.index % len(others)]
            for role, departments, username in self._customer_user_plan(customer):
                first, last = self._person()
                user = add(
                    username,
                    first,
                    last,
                    f"{_slug(first)}.{_slug(last)}@{customer.domain}",
                    customer=customer.index,
                    role=role,
                    departments=departments,
                    joined=self._office_time(self._day_between(customer.first_day, self.today)),
                )
                if departments is None and role in (Role.ADMIN, Role.ORDERER):
                    customer.orderers.append(user.id)
                if departments is None and role in (Role.ADMIN, Role.HR):
                    customer.bookers.append(user.id)
                if departments is None and role == Role.ADMIN and not customer.admin:
                    customer.admin = user.id

        user_rows, group_rows, profile_rows = [], [], []
        membership_id = self.writer.first_id(get_user_model().groups.through)
        profile_id = self.writer.first_id(StaffProfile)
        for user in self.users:
            joined = user.joined or self._office_time(self.start_day)
            user_rows.append((
                user.id, self.password, None, user.is_superuser, user.username,
                user.first_name, user.last_name, user.email, user.is_staff, True, joined,
            ))  # fmt: skip
            if user.group:
                group_rows.append((membership_id, user.id, self.groups[user.group]))
                membership_id += 1
            if user.group == STAFF_GROUP_ACCOUNT_MANAGERS:
                phone = f"{rng.choice('49')}{rng.randrange(10**7):07d}"
                profile_rows.append((profile_id, user.id, phone))
                profile_id += 1
        self._count("users", 0, time.perf_counter() - started)
        User = get_user_model()
        self._write("users", User,
                    ("id", "password", "last_login", "is_superuser", "username", "first_name",
                     "last_name", "email", "is_staff", "is_active", "date_joined"),
                    user_rows)  # fmt: skip
        self._write("user groups", User.groups.through, ("id", "user_id", "group_id"), group_rows)
        self._write("staff profiles", StaffProfile, ("id", "user_id", "phone"), profile_rows)
        self._done("users", "user groups", "staff profiles")

    def _customer_user_plan(self, customer: _CustomerPlan):
        """(role, department indexes or None for the whole customer, username) per user: an
        Administrator first, then a few more the larger the customer, some on departments."""
        rng = self.rng
        departments = customer.departments
        if customer.index == 0:
            others = [d for d in departments if d != self.largest_department] or departments
            yield Role.ADMIN, None, WORLD_CUSTOMER_USER
            yield Role.ADMIN, [self.largest_department], WORLD_DEPARTMENT_USER
            plan = [(role, None) for role in (Role.ORDERER, Role.HR, Role.FINANCE)]
            plan += [
                (Role.ORDERER, [others[0]]),
                (Role.HR, others[:2]),
                (Role.FINANCE, [self.largest_department]),
            ]
            plan += [(Role.HR, None), (Role.ORDERER, None), (Role.ADMIN, None)]
        else:
            plan = [(Role.ADMIN, None)]
            extra = min(6, customer.employees // 150) + rng.randint(0, 2)
            for _k in range(extra):
                role = _weighted(rng, ((0.4, Role.ORDERER), (0.7, Role.HR),
                                       (0.9, Role.FINANCE), (1, Role.ADMIN)))  # fmt: skip
                limited = None
                if len(departments) > 1 and rng.random() < 0.35:
                    limited = sorted(
                        rng.sample(departments, rng.randint(1, min(3, len(departments) - 1)))
                    )
                plan.append((role, limited))
        for k, (role, limited) in enumerate(plan, start=1):
            yield role, limited, f"{USERNAME_PREFIX}{customer.index + 1:06d}-{k}"

    def _grants(self) -> None:
        """Grant rows, their departments and the materialised department permissions, exactly
        as `grant_create` leaves them, and its "granted" line in the audit trail."""
        started = time.perf_counter()
        grant_id = self.writer.first_id(Grant)
        through = Grant.departments.through
        through_id = self.writer.first_id(through)
        permission_id = self.writer.first_id(DepartmentUserObjectPermission)
        grant_rows, through_rows, permission_rows, audits = [], [], [], []
        grant_type = ContentType.objects.get_for_model(Grant)
        for user in self.users:
            if user.customer < 0:
                continue
            customer = self.customers[user.customer]
            grant_rows.append((
                grant_id, user.id, customer.id, user.role, customer.account_manager, user.joined,
            ))  # fmt: skip
            for d in user.departments or []:
                through_rows.append((through_id, grant_id, self.departments[d].id))
                through_id += 1
            covered = user.departments or customer.departments
            for capability in sorted(ROLE_CAPABILITIES[Role(user.role)]):
                permission = self.capability_permission[str(capability)]
                for d in covered:
                    permission_rows.append(
                        (permission_id, permission, user.id, self.departments[d].id)
                    )
                    permission_id += 1
            department_names = sorted(self.departments[d].name for d in user.departments or [])
            audits.append(
                AuditEvent(
                    actor_id=customer.account_manager,
                    action="granted",
                    content_type=grant_type,
                    object_id=str(grant_id),
                    object_repr=f"{user.username} – {customer.name} – {Role(user.role).label}"[
                        :200
                    ],
                    changes={"role": [None, user.role], "departments": [None, department_names]},
                    created_at=user.joined,
                )
            )
            grant_id += 1
        self._count("grants", 0, time.perf_counter() - started)
        self._write("grants", Grant,
                    ("id", "user_id", "customer_id", "role", "granted_by_id", "granted_at"),
                    grant_rows)  # fmt: skip
        self._write("grant departments", through, ("id", "grant_id", "department_id"),
                    through_rows)  # fmt: skip
        self._write("department permissions", DepartmentUserObjectPermission,
                    ("id", "permission_id", "user_id", "content_object_id"),
                    permission_rows)  # fmt: skip
        started = time.perf_counter()
        AuditEvent.objects.bulk_create(audits, batch_size=2000)
        self._count("audit events", len(audits), time.perf_counter() - started)
        self._done("grants", "grant departments", "department permissions", "audit events")

    # -- employees -------------------------------------------------------------------------

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
        oldest = self.today.replace(year=self.today.year - 67).toordinal()
        youngest = self.today.replace(year=self.today.year - 18).toordinal()
        rows = []
        for customer in self.customers:
            started = time.perf_counter()
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
                    gender = _weighted(rng, ((0.94, "female" if female else "male"),
                                             (0.95, "other"), (1, "")))  # fmt: skip
                    local = f"{_slug(first)}.{_slug(last)}"
                    seen = emails.get(local, 0) + 1
                    emails[local] = seen
                    if seen > 1:
                        local = f"{local}{seen}"
                    if rng.random() < 0.05:
                        local = local.title()  # as typed; unique regardless of case
                    mobile = (
                        f"{rng.choice('49')}{rng.randrange(10**7):07d}"
                        if rng.random() < 0.9
                        else ""
                    )
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
            self._count("employees", 0, time.perf_counter() - started)
            if len(rows) >= CHUNK or customer is self.customers[-1]:
                self._write("employees", Employee, columns, rows)
                rows = []
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

    # -- orders --------------------------------------------------------------------------

    def _skeleton(self) -> None:
        """Each order's department, date, product group, status and state, in compact arrays,
        and the health-check days of the orders that have appointments. Order numbers rise
        with the order date."""
        rng, s = self.rng, self.sizes
        count = s.orders
        weights, cumulative = [], 0.0
        for department in self.departments:
            cumulative += (department.employees + 3) ** 0.75
            weights.append(cumulative)
        groups = [self.product_groups[name] for name, _hc in PRODUCT_GROUPS]
        hk_index = [name for name, _hc in PRODUCT_GROUPS].index(HK)
        group_table = ((0.45, hk_index), (0.7, 1), (0.85, 2), (0.95, 3), (1, -1))
        self.order_groups = groups
        self.hk_index = hk_index
        statuses = list(OrderStatus)
        states = list(OrderState)
        self.o_department = array.array("i", [0]) * count
        self.o_day = array.array("i", [0]) * count
        self.o_group = array.array("b", [0]) * count
        self.o_status = array.array("b", [0]) * count
        self.o_state = array.array("b", [0]) * count
        span = (self.today - self.start_day).days
        start = self.start_day.toordinal()
        forced = [(status, state) for status in range(len(statuses)) for state in range(3)]
        for i in range(count):
            self.o_department[i] = _bisect(weights, rng.random() * cumulative)
            day = start + (i * span) // count
            self.o_day[i] = day
            age = self.today.toordinal() - day
            if i >= count - len(forced):
                # The newest orders show every status and state, whatever chance did before.
                status, state = forced[i - (count - len(forced))]
                self.o_group[i] = 1
            else:
                self.o_group[i] = _weighted(rng, group_table)
                if age > 180:
                    status = _weighted(rng, ((0.03, 0), (0.05, 1), (0.13, 2), (1, 3)))
                elif age > 30:
                    status = _weighted(rng, ((0.05, 0), (0.1, 1), (0.55, 2), (1, 3)))
                else:
                    status = _weighted(rng, ((0.3, 0), (0.5, 1), (0.95, 2), (1, 3)))
                state = _weighted(rng, STATE_BY_STATUS[status])
            self.o_status[i], self.o_state[i] = status, state
        self.statuses, self.states = statuses, states

        # Appointments: health-check orders that are approved or delivered, more for larger
        # departments, never more than the department's employees can fill.
        eligible = [
            i for i in range(count)
            if self.o_group[i] == hk_index and self.o_status[i] in (2, 3)
        ]  # fmt: skip
        actives = [self.departments[self.o_department[i]].active for i in eligible]
        today = self.today.toordinal()
        # Recent approved orders weigh double: the season ahead is planned, so a fair share
        # of the appointments lies in the future.
        counts = apportion(
            s.appointments,
            [
                (active + 1) ** 0.8
                * (2 if self.o_status[i] == 2 and today - self.o_day[i] < 180 else 1)
                for i, active in zip(eligible, actives, strict=True)
            ],
            minimum=1 if s.appointments >= len(eligible) else 0,
            caps=[max(1, active // 2) if active else 0 for active in actives],
        )
        last_day = [0] * len(self.departments)
        self.schedule: dict[int, tuple[int, int, int]] = {}  # order → first day, count, rooms
        for i, appointments in zip(eligible, counts, strict=True):
            if not appointments:
                continue
            d = self.o_department[i]
            rooms = max(1, math.ceil(appointments / (SLOTS_PER_DAY * 5)))
            # One health-check at a time per department: nobody is booked twice at once.
            lead = rng.randint(10, 90 if self.o_status[i] == 2 else 40)
            first = _weekday(max(self.o_day[i] + lead, last_day[d] + 1))
            self.schedule[i] = (first, appointments, rooms)
            last = self._days_of(i)[-1]
            last_day[d] = last
            if self.o_status[i] == 3 and last >= today:
                self.o_status[i] = 2  # not delivered before the last day has been
                if self.o_state[i] == 2:
                    self.o_state[i] = 1

    def _orders(self) -> None:
        started = time.perf_counter()
        self._skeleton()
        s = self.sizes
        highest = Order.objects.aggregate(m=Max("number"))["m"] or 0
        last = Sequence.objects.filter(name="order").values_list("last_value", flat=True).first()
        self.first_order_number = max(highest, last or 0, ORDER_NUMBER_FLOOR) + 1
        self.last_order_number = self.first_order_number + s.orders - 1
        self.first_order_id = self.writer.first_id(Order)
        self.event_id = self.writer.first_id(OrderEvent)
        order_columns = ("id", "number", "department_id", "contract_id", "product_group_id",
                         "customer_reference", "description", "order_date", "status", "state",
                         "submitted_by_id", "submitted_at", "seller_confirmed_by_id",
                         "seller_confirmed_at", "customer_confirmed_by_id",
                         "customer_confirmed_at", "confirmed_on_behalf", "delivered_by_id",
                         "delivered_at")  # fmt: skip
        event_columns = ("id", "order_id", "actor_id", "field", "from_value", "to_value",
                         "on_behalf_of_customer", "note", "created_at")  # fmt: skip
        # Orders that get an invoice of their own: (invoice day, order index).
        self.invoiced_orders: list[tuple[int, int]] = []
        orders, events = [], []
        for i in range(s.orders):
            orders.append(self._order(i, events))
            if len(orders) >= CHUNK or i == s.orders - 1:
                self._count("orders", 0, time.perf_counter() - started)
                self._write("orders", Order, order_columns, orders)
                self._write("order events", OrderEvent, event_columns, events)
                orders, events = [], []
                started = time.perf_counter()
        self._done("orders", "order events")

    def _order(self, i: int, events: list[tuple]) -> tuple:
        """The i-th order's row, with who took each step and when, consistent with its status;
        its events go to `events`, one per change of status or state as the services write."""
        rng = self.rng
        department = self.departments[self.o_department[i]]
        customer = self.customers[department.customer]
        day = datetime.date.fromordinal(self.o_day[i])
        status, state, group = self.o_status[i], self.o_state[i], self.o_group[i]
        order_id = self.first_order_id + i
        kam = customer.account_manager
        status_field, state_field = OrderEvent.Field.STATUS.value, OrderEvent.Field.STATE.value

        def event(actor, when, from_, to, field=status_field, on_behalf=False):
            events.append((self.event_id, order_id, actor, field, from_, to, on_behalf, "", when))
            self.event_id += 1

        submitted_by = rng.choice(customer.orderers) if rng.random() < 0.7 else kam
        submitted_at = self._office_time(day)
        if submitted_at > self.now:
            submitted_at = self.now - datetime.timedelta(minutes=rng.randint(1, 120))
        event(submitted_by, submitted_at, "", "awaiting_seller")
        seller_by = seller_at = customer_by = customer_at = delivered_by = delivered_at = None
        on_behalf = False
        moments = [submitted_at]
        if status >= 1:
            seller_by, seller_at = kam, self._later(submitted_at, 1, 72)
            event(kam, seller_at, "awaiting_seller", "awaiting_customer")
            moments.append(seller_at)
        if status >= 2:
            on_behalf = rng.random() < 0.15
            customer_by = kam if on_behalf else rng.choice(customer.orderers)
            customer_at = self._later(seller_at, 1, 120)
            event(customer_by, customer_at, "awaiting_customer", "approved", on_behalf=on_behalf)
            moments.append(customer_at)
        if status >= 3:
            after = customer_at
            if i in self.schedule:
                # A health check is delivered after its last day.
                last_day = datetime.date.fromordinal(self._days_of(i)[-1])
                after = max(after, self._at(last_day, 16 * 60))
            delivered_by = kam if rng.random() < 0.8 else rng.choice(self.staff["service"])
            delivered_at = self._later(after, 2, 24 * 20)
            event(delivered_by, delivered_at, "approved", "delivered")
            moments.append(delivered_at)
            if rng.random() < 0.9:
                invoice_day = timezone.localdate(delivered_at) + datetime.timedelta(
                    days=rng.randint(0, 14)
                )
                self.invoiced_orders.append((min(invoice_day, self.today).toordinal(), i))
        if state == 2 and status < 2:
            event(kam, self._later(moments[-1], 24, 24 * 60), "started", "closed", state_field)
        elif state >= 1:
            # Active once the customer has confirmed (or as soon as the seller has looked).
            active_at = moments[2] if status >= 2 else self._later(moments[-1], 1, 48)
            event(kam, active_at, "started", "active", state_field)
            if state == 2:
                closed_at = self._later(max(moments[-1], active_at), 1, 24 * 30)
                event(kam, closed_at, "active", "closed", state_field)
        reference = _weighted(rng, ((0.7, customer.contract_reference),
                                    (0.9, f"PO-{rng.randrange(10**5):05d}"), (1, "")))  # fmt: skip
        return (
            order_id, self.first_order_number + i, department.id, customer.contract,
            self.order_groups[group] if group >= 0 else None, reference,
            self._description(group, day, department), day, self.statuses[status].value,
            self.states[state].value, submitted_by, submitted_at, seller_by, seller_at,
            customer_by, customer_at, on_behalf, delivered_by, delivered_at,
        )  # fmt: skip

    def _days_of(self, i: int) -> list[int]:
        first, count, rooms = self.schedule[i]
        return _workdays(first, math.ceil(count / (SLOTS_PER_DAY * rooms)))

    def _description(self, group: int, day: datetime.date, department: _DepartmentPlan) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            return ""
        if group == self.hk_index:
            return f"Helsekontroll {day.year} - {rng.choice(HEALTH_CHECK_KINDS)}"
        return f"{rng.choice(ORDER_DESCRIPTIONS)} {department.city}"

    # -- appointments and bookings ----------------------------------------------------------

    def _appointments(self) -> None:
        rng, s = self.rng, self.sizes
        appointment_id = self.writer.first_id(Appointment)
        booking_id = self.writer.first_id(Booking)
        appointment_columns = ("id", "order_id", "starts_at", "ends_at", "location", "capacity",
                               "booking_deadline", "instructions", "is_cancelled")  # fmt: skip
        booking_columns = ("id", "appointment_id", "employee_id", "booked_by_id", "booked_at",
                           "attendance", "cancelled_by_id", "cancelled_at", "calendar_sequence",
                           "mail_failed_at")  # fmt: skip
        capacities = ((0.35, 1), (0.55, 2), (0.7, 3), (0.85, 4), (0.95, 6), (1, 10))
        mean_capacity = 0.35 + 0.2 * 2 + 0.15 * 3 + 0.15 * 4 + 0.1 * 6 + 0.05 * 10
        fill = min(1.0, s.bookings / max(1, s.appointments * mean_capacity))
        pointer = [0] * len(self.departments)  # where each department's next booking starts
        appointments, bookings = [], []
        started = time.perf_counter()
        for position, (i, (_first, count, rooms)) in enumerate(sorted(self.schedule.items())):
            d = self.o_department[i]
            department = self.departments[d]
            customer = self.customers[department.customer]
            order_day = datetime.date.fromordinal(self.o_day[i])
            opened = min(self._office_time(order_day + datetime.timedelta(days=8)), self.now)
            days = self._days_of(i)
            free = department.active  # distinct employees this order may still book
            instructions = rng.choice(APPOINTMENT_INSTRUCTIONS)
            for j in range(count):
                day_index, rest = divmod(j, SLOTS_PER_DAY * rooms)
                slot, room = divmod(rest, rooms)
                day = datetime.date.fromordinal(days[day_index])
                starts_at = self._at(day, 8 * 60 + slot * SLOT_MINUTES)
                ends_at = starts_at + datetime.timedelta(minutes=SLOT_MINUTES - 5)
                deadline = starts_at - datetime.timedelta(days=1)
                capacity = _weighted(rng, capacities)
                cancelled = rng.random() < 0.02
                location = department.city + (f", rom {room + 1}" if rooms > 1 else "")
                appointments.append((
                    appointment_id, self.first_order_id + i, starts_at, ends_at, location,
                    capacity, deadline, instructions, cancelled,
                ))  # fmt: skip
                past = ends_at <= self.now
                wanted = min(capacity, round(capacity * fill * rng.uniform(0.6, 1.4)), free)
                cancelled_at = None
                if cancelled:
                    cancelled_at = self._later(opened, 24, 24 * 20)
                    if cancelled_at >= starts_at:
                        cancelled_at = starts_at - datetime.timedelta(hours=rng.randint(2, 48))
                for _seat in range(wanted):
                    index = self._next_active(department, pointer, d)
                    free -= 1
                    booked_by = (
                        rng.choice(customer.bookers)
                        if rng.random() < 0.8
                        else customer.account_manager
                    )
                    high = min(deadline, self.now, cancelled_at or self.now)
                    booked_at = opened + (high - opened) * rng.random() if high > opened else high
                    attendance, by, at, sequence = Attendance.BOOKED, None, None, 0
                    if cancelled:
                        attendance, by, at, sequence = (
                            Attendance.CANCELLED, customer.account_manager, cancelled_at, 1
                        )  # fmt: skip
                    elif rng.random() < 0.05:
                        attendance, by = Attendance.CANCELLED, booked_by
                        at, sequence = self._later(booked_at, 1, 24 * 14), 1
                        at = min(at, starts_at - datetime.timedelta(minutes=30))
                    elif past:
                        attendance = _weighted(rng, ((0.93, Attendance.ATTENDED),
                                                     (1, Attendance.NO_SHOW)))  # fmt: skip
                    bookings.append((
                        booking_id, appointment_id, self.first_employee_id + index, booked_by,
                        booked_at, attendance.value, by, at, sequence, None,
                    ))  # fmt: skip
                    booking_id += 1
                appointment_id += 1
            if len(appointments) >= CHUNK or position == len(self.schedule) - 1:
                self._count("appointments", 0, time.perf_counter() - started)
                self._write("appointments", Appointment, appointment_columns, appointments)
                self._write("bookings", Booking, booking_columns, bookings)
                appointments, bookings = [], []
                started = time.perf_counter()
        self._done("appointments", "bookings")

    def _next_active(self, department: _DepartmentPlan, pointer: list[int], d: int) -> int:
        """The department's next active employee, round the department: every employee is
        booked once before anyone twice."""
        while True:
            index = department.first_employee + pointer[d]
            pointer[d] = (pointer[d] + 1) % department.employees
            if self.active[index]:
                return index

    # -- invoices ------------------------------------------------------------------------

    def _invoices(self) -> None:
        rng, s = self.rng, self.sizes
        started = time.perf_counter()
        last = Sequence.objects.filter(name="invoice").values_list("last_value", flat=True).first()
        serial = max(last or 0, INVOICE_SERIAL_FLOOR)
        invoice_id = self.writer.first_id(Invoice)
        line_id = self.writer.first_id(InvoiceLine)
        invoice_columns = ("id", "number", "payer_id", "order_id", "invoice_date", "due_date",
                           "kid", "total", "outstanding", "is_credit_note")  # fmt: skip
        line_columns = ("id", "invoice_id", "description", "quantity", "unit_price", "amount",
                        "order_id")  # fmt: skip
        linked = sorted(self.invoiced_orders)[: s.invoices]
        periodic = s.invoices - len(linked)
        weights, cumulative = [], 0.0
        for department in self.departments:
            cumulative += (department.employees + 3) ** 0.75
            weights.append(cumulative)
        start, span = self.start_day.toordinal(), (self.today - self.start_day).days
        subscription = ((start + (k * span) // max(periodic, 1), -1) for k in range(periodic))
        invoices, lines = [], []
        today = self.today.toordinal()
        for position, (day_number, i) in enumerate(heapq.merge(linked, subscription)):
            serial += 1
            day = datetime.date.fromordinal(day_number)
            if i >= 0:
                d = self.o_department[i]
                order_id = self.first_order_id + i
            else:
                d = _bisect(weights, rng.random() * cumulative)
                order_id = None
            department = self.departments[d]
            customer = self.customers[department.customer]
            credit = order_id is None and rng.random() < 0.01
            items = self._invoice_lines(i, day, department, credit)
            total = sum(quantity * price // 100 for _d, quantity, price in items)
            due = day + datetime.timedelta(days=rng.choice((14, 20, 30)))
            overdue_for = today - due.toordinal()
            if credit:
                outstanding = total if overdue_for < 0 and rng.random() < 0.5 else 0
            else:
                paid_share = 0.97 if overdue_for > 45 else 0.7 if overdue_for > 0 else 0.3
                outstanding = 0 if rng.random() < paid_share else total
                if outstanding and overdue_for > 45 and rng.random() < 0.3:
                    outstanding = total // 2
            kid = ""
            if rng.random() < 0.95:
                body = f"{customer.index + 1:06d}{serial:09d}"
                kid = body + kid_mod10_check_digit(body)
            invoices.append((
                invoice_id, f"{day.year}-{serial}", department.id, order_id, day, due, kid,
                _ore(total), _ore(outstanding), credit,
            ))  # fmt: skip
            for description, quantity, price in items:
                lines.append((
                    line_id, invoice_id, description, _ore(quantity), _ore(price),
                    _ore(quantity * price // 100), order_id,
                ))  # fmt: skip
                line_id += 1
            invoice_id += 1
            if len(invoices) >= CHUNK or position == s.invoices - 1:
                self._count("invoices", 0, time.perf_counter() - started)
                self._write("invoices", Invoice, invoice_columns, invoices)
                self._write("invoice lines", InvoiceLine, line_columns, lines)
                invoices, lines = [], []
                started = time.perf_counter()
        self.last_invoice_serial = serial
        self._done("invoices", "invoice lines")

    def _invoice_lines(self, i: int, day, department: _DepartmentPlan, credit: bool):
        """(description, quantity in hundredths, unit price in øre) per line; the quantity
        times the price is always whole øre."""
        rng = self.rng
        if credit:
            price = rng.randint(500, 40_000) * 100
            return [("Kreditnota: feilfakturert abonnement", 100, -price)]
        if i >= 0:
            group = self.o_group[i]
            if group == self.hk_index:
                items = [("Helsekontroll", rng.randint(3, 80) * 100, rng.randint(129, 169) * 1000)]
            else:
                description = rng.choice(INVOICE_SERVICES)
                items = [(description, rng.randint(2, 40) * 50, rng.randint(95, 165) * 1000)]
        else:
            quarter = (day.month - 1) // 3 + 1
            employees = max(1, department.employees)
            items = [(
                f"Abonnement bedriftshelsetjeneste {quarter}. kvartal {day.year}",
                employees * 100, rng.randint(95, 180) * 100,
            )]  # fmt: skip
        if rng.random() < 0.3:
            items.append(("Reisekostnader", 100, rng.randint(300, 4000) * 100))
        if rng.random() < 0.2:
            items.append(("Fakturagebyr", 100, 6500))
        return items


SLOT_MINUTES = 30
SLOTS_PER_DAY = 14  # 08:00 to 15:00
# Order state (started, active, closed) by status: awaiting orders mostly not started yet,
# approved ones active, delivered ones mostly closed.
STATE_BY_STATUS = {
    0: ((0.8, 0), (0.95, 1), (1, 2)),
    1: ((0.8, 0), (0.95, 1), (1, 2)),
    2: ((0.1, 0), (1, 1)),
    3: ((0.2, 1), (1, 2)),
}


def _bisect(cumulative: list[float], value: float) -> int:
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] <= value:
            low = middle + 1
        else:
            high = middle
    return low


def _weekday(ordinal: int) -> int:
    """The day itself, or the Monday after a weekend."""
    weekday = datetime.date.fromordinal(ordinal).weekday()
    return ordinal + (7 - weekday if weekday >= 5 else 0)


def _workdays(first: int, count: int) -> list[int]:
    days, ordinal = [], first
    while len(days) < count:
        if datetime.date.fromordinal(ordinal).weekday() < 5:
            days.append(ordinal)
        ordinal += 1
    return days


# -- the entry points -----------------------------------------------------------------------


def world_generate(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    use_copy: bool | None = None,
    log: Callable[[str], None] = print,
) -> WorldReport:
    """Fill the database with a generated world. `use_copy` defaults to COPY on PostgreSQL."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if use_copy and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL")
    # DEBUG keeps every statement's SQL in memory: with bulk_create, megabytes per batch.
    with override_settings(DEBUG=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        return _World(scale=scale, seed=seed, use_copy=use_copy, log=log).run()


def world_delete(*, log: Callable[[str], None] = print) -> None:
    """Remove the generated world and nothing else, biggest tables first and in bulk: a
    cascade collected object by object would take longer than generating it."""
    User = get_user_model()
    customers = Customer.objects.filter(customer_number__startswith=CUSTOMER_NUMBER_PREFIX)
    departments = Department.objects.filter(customer__in=customers)
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    orders = Order.objects.filter(department__in=departments)
    grants = Grant.objects.filter(customer__in=customers) | Grant.objects.filter(user__in=users)
    steps = [
        ("bookings", Booking.objects.filter(appointment__order__in=orders)),
        ("bookings", Booking.objects.filter(employee__customer__in=customers)),
        ("appointments", Appointment.objects.filter(order__in=orders)),
        ("invoice lines", InvoiceLine.objects.filter(invoice__payer__in=departments)),
        ("invoices", Invoice.objects.filter(payer__in=departments)),
        ("order events", OrderEvent.objects.filter(order__in=orders)),
        ("orders", orders),
        ("employees", Employee.objects.filter(customer__in=customers)),
        (
            "department permissions",
            DepartmentUserObjectPermission.objects.filter(content_object__in=departments),
        ),
        (
            "department permissions",
            DepartmentUserObjectPermission.objects.filter(user__in=users),
        ),
        (
            "group permissions",
            DepartmentGroupObjectPermission.objects.filter(content_object__in=departments),
        ),
        (
            "audit events",
            AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(Grant),
                object_id__in=[str(pk) for pk in grants.values_list("pk", flat=True)],
            ),
        ),
        ("grant departments", Grant.departments.through.objects.filter(grant__in=grants)),
        ("grants", Grant.objects.filter(pk__in=list(grants.values_list("pk", flat=True)))),
        ("uploads", ImportUpload.objects.filter(customer__in=customers)),
        ("contracts", Contract.objects.filter(customer__in=customers)),
        ("departments", departments),
        ("customers", customers),
    ]
    started = time.perf_counter()
    with override_settings(DEBUG=False), transaction.atomic():
        # Invoices and lines elsewhere that point at a generated order keep their row.
        Invoice.objects.filter(order__in=orders).exclude(payer__in=departments).update(order=None)
        InvoiceLine.objects.filter(order__in=orders).exclude(invoice__payer__in=departments).update(
            order=None
        )
        removed: dict[str, int] = {}
        for label, queryset in steps:
            removed[label] = removed.get(label, 0) + queryset._raw_delete(queryset.db)
        Customer.objects.filter(account_manager__in=users).update(account_manager=None)
        # Few rows, many small relations (sessions, devices, notifications): Django's own
        # delete follows them all.
        removed["users"] = users.count()
        users.delete()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The deleted rows' space, reusable by the world generated next.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    for label, count in removed.items():
        log(f"  removed {label:<24} {count:>10,}")
    log(f"  removed in {time.perf_counter() - started:.1f} s")


# -- Norwegian names and places ------------------------------------------------------------------

MALE_FIRST_NAMES = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans",
    "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Rune", "Trond", "Jon",
    "Anders", "Tore", "Harald", "Gunnar", "Rolf", "Leif", "Stian", "Kristian", "Espen", "Magnus",
    "Jonas", "Daniel", "Marius", "Fredrik", "Tommy", "Øyvind", "Vidar", "Helge", "Even", "Henrik",
    "Sindre", "Eirik", "Mathias", "Emil", "Sander", "Kristoffer", "Jørgen", "Håkon", "Sigurd",
    "Tobias", "Elias", "Jakob", "Oskar", "Filip", "William", "Lucas", "Noah", "Isak", "Aksel",
    "Olav", "Sverre", "Ivar", "Asbjørn", "Finn", "Egil", "Dag", "Øystein", "Steinar", "Roger",
    "Frode", "Tom", "Petter", "Alexander", "Christian", "Johannes", "Sebastian", "Adrian",
    "Markus", "Vegard", "Joakim", "Simen", "Ola", "Nils", "Einar", "Alf", "Arild", "Audun", "Bård",
    "Bent", "Børge", "Eivind", "Erlend", "Ståle", "Gaute", "Halvor", "Jostein", "Kåre", "Ketil",
    "Lasse", "Njål", "Pål", "Ragnar", "Reidar", "Sigve", "Sturla", "Torbjørn", "Torstein",
    "Trygve", "Vebjørn", "Ulrik", "Yngve", "Åge", "Aslak", "Brage", "Eilif", "Gjermund", "Hallvard",
    "Inge", "Jens", "Karl", "Kjetil", "Kolbjørn", "Magne", "Mats", "Mikkel", "Nikolai", "Odin",
    "Peder", "Rasmus", "Robin", "Sivert", "Snorre", "Stein", "Sondre", "Teodor", "Thor", "Tord",
    "Truls", "Viktor", "Vetle", "Ådne", "Amund", "Anton", "Arvid", "Birger", "Carl", "Edvard",
    "Eskil", "Fabian", "Gustav", "Herman", "Iver", "Jarle", "Kasper", "Leon", "Ludvig", "Mads",
    "Oliver", "Patrick", "Preben", "Severin", "Mohammed", "Ali", "Ahmed", "Piotr", "Tomasz",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde",
    "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth", "Kristin",
    "Bente", "Heidi", "Silje", "Hanne", "Gro", "Tone", "Camilla", "Ellen", "Wenche", "Turid",
    "Tove", "Ragnhild", "Gunn", "Grete", "Sissel", "Mona", "Linda", "Trine", "Julie", "Kristine",
    "Ingvild", "Line", "Monica", "Hege", "Cecilie", "Lene", "Anita", "Elin", "Siri", "Marte",
    "Thea", "Emma", "Nora", "Sara", "Sofie", "Emilie", "Ingeborg", "Hanna", "Maja", "Olivia",
    "Ella", "Leah", "Frida", "Amalie", "Tiril", "Vilde", "Mari", "Guro", "Synnøve", "Sigrid",
    "Helene", "Karoline", "Martine", "Malin", "Mathilde", "Stine", "Tonje", "Therese", "Vibeke",
    "Unni", "Aud", "Åse", "Borghild", "Dagny", "Eldbjørg", "Gerd", "Gunhild", "Haldis", "Jorunn",
    "Karin", "Laila", "Magnhild", "Oddny", "Reidun", "Signe", "Torill", "Vigdis", "Agnes",
    "Aurora", "Eline", "Hedda", "Henriette", "Idun", "Jenny", "Johanne", "Kaja", "Kamilla",
    "Lise", "Live", "Lotte", "Mia", "Mille", "Oda", "Pernille", "Ragna", "Rikke", "Ronja", "Selma",
    "Sunniva", "Susanne", "Tuva", "Vår", "Veronika", "Ylva", "Åshild", "Alida", "Benedicte",
    "Birgitte", "Charlotte", "Dorthe", "Elise", "Eirin", "Gina", "Hedvig", "Helga", "Jannicke",
    "Katrine", "Kjersti", "Lillian", "Lovise", "Marthe", "Mette", "Nathalie", "Ragnfrid",
    "Solfrid", "Steinunn", "Trude", "Venche", "Fatima", "Amina", "Agnieszka", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen",
    "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berntsen", "Nygård",
    "Bakke", "Kristensen", "Moe", "Fredriksen", "Holm", "Lien", "Hauge", "Christensen",
    "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre", "Hanssen", "Ahmed",
    "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen", "Berge", "Mikkelsen",
    "Hovland", "Nyberg", "Sandvik", "Dale", "Birkeland", "Isaksen", "Tangen", "Engen", "Ruud",
    "Aune", "Ødegård", "Brekke", "Vik", "Nordby", "Bråten", "Fjeld", "Løken", "Stene", "Haug",
    "Tveit", "Røed", "Sunde", "Steen", "Wold", "Ellingsen", "Martinussen", "Hoel", "Foss",
    "Eliassen", "Mikalsen", "Hermansen", "Hammer", "Torgersen", "Nordli", "Sletten", "Myklebust",
    "Aasen", "Bø", "Rønning", "Bjerke", "Helland", "Vold", "Nilssen", "Bergstrøm", "Rustad",
    "Skog", "Kvam", "Hovde", "Østby", "Sandberg", "Gulbrandsen", "Ottesen", "Rønneberg",
    "Tollefsen", "Løvås", "Grønvold", "Thorsen", "Dalen", "Lorentzen", "Ask", "Aasland",
    "Bergersen", "Bjørnstad", "Brattli", "Eikeland", "Fosse", "Gjerde", "Grimstad", "Hegge",
    "Hofstad", "Husby", "Kleven", "Kolstad", "Langeland", "Lindberg", "Løvik", "Midtbø",
    "Moldestad", "Myrvold", "Nesse", "Opsahl", "Ottosen", "Rognstad", "Rød", "Sande", "Skaar",
    "Skjelbred", "Skogen", "Skår", "Stokke", "Storli", "Strøm", "Syversen", "Teigen", "Tveiten",
    "Ulvestad", "Valle", "Vestby", "Vatne", "Westby", "Wiik", "Øien", "Aarseth", "Bergh",
    "Breivik", "Dybdahl", "Egeland", "Eng", "Engebretsen", "Fagerli", "Flaten", "Furuseth",
    "Gjertsen", "Grande", "Heggelund", "Helgesen", "Hjelle", "Holmen", "Hovda", "Høyland",
    "Jenssen", "Kittelsen", "Kvale", "Lindstad", "Løvlie", "Mo", "Myhrvold", "Nordahl", "Nyhus",
    "Olaisen", "Reitan", "Rise", "Sagen", "Schjelderup", "Seim", "Sørli", "Thoresen", "Tjønn",
    "Tønnessen", "Ullmann", "Vinje", "Wilhelmsen", "Ytterdal", "Aalberg", "Hussain", "Khan",
    "Kowalski", "Nowak", "Tran", "Pham", "Yilmaz", "Mohammed", "Hassan", "Abdi", "Andersson",
    "Lindqvist", "Virtanen", "Bakkevig", "Fossum", "Hoff", "Kristoffersen-Lie", "Ramberg",
)  # fmt: skip
CITIES = (
    "Oslo", "Bergen", "Trondheim", "Stavanger", "Drammen", "Fredrikstad", "Kristiansand",
    "Sandnes", "Tromsø", "Sarpsborg", "Skien", "Ålesund", "Sandefjord", "Haugesund", "Tønsberg",
    "Moss", "Porsgrunn", "Bodø", "Arendal", "Hamar", "Larvik", "Halden", "Lillehammer", "Molde",
    "Harstad", "Gjøvik", "Kongsberg", "Horten", "Grimstad", "Kristiansund", "Jessheim", "Ski",
    "Elverum", "Narvik", "Askøy", "Steinkjer", "Førde", "Mo i Rana", "Alta", "Leirvik",
    "Egersund", "Levanger", "Kongsvinger", "Ås", "Hønefoss", "Mandal", "Notodden", "Namsos",
    "Florø", "Brønnøysund", "Voss", "Lyngdal", "Flekkefjord", "Stord", "Raufoss", "Vennesla",
    "Orkanger", "Stjørdal", "Knarvik", "Sogndal", "Røros", "Hammerfest", "Kirkenes", "Vadsø",
)  # fmt: skip
COMPANY_PREFIXES = (
    "Nord", "Sør", "Vest", "Øst", "Fjord", "Fjell", "Berg", "Dal", "Elve", "Havne", "Skog",
    "Stein", "Sol", "Vik", "Nes", "Holm", "Lund", "Strand", "Bakke", "Haug", "Kyst", "Bre", "Sjø",
    "Myr", "Li", "Vinter", "Polar", "Midt", "Hav", "Ny", "Stor", "Ut", "Tind", "Foss", "Nordlys",
    "Fyr", "Fjære", "Furu", "Bjørke", "Eike",
)  # fmt: skip
COMPANY_CORES = (
    "Bygg", "Transport", "Elektro", "Rør", "Mekanikk", "Maskin", "Entreprenør", "Regnskap",
    "Eiendom", "Sjømat", "Fisk", "Trelast", "Logistikk", "Renhold", "Verft", "Industri",
    "Betong", "Anlegg", "Data", "Kraft", "Energi", "Handel", "Auto", "Marine", "Catering",
    "Hotell", "Miljø", "Trafikk", "Tre", "Stål", "Plast", "Grafisk", "Sikkerhet", "Frakt",
    "Isolasjon", "Maling", "Ventilasjon", "Kjøling",
)  # fmt: skip
LARGEST_CUSTOMER = "Storfjord Industri ASA"
HEALTH_CHECK_KINDS = (
    "HK arbeidshelse", "skiftarbeid", "støy og hørsel", "kontoransatte", "nyansatte",
    "nattarbeid", "verksted", "lager og logistikk", "sjåfører", "ledere",
)  # fmt: skip
ORDER_DESCRIPTIONS = (
    "Vernerunde", "Arbeidsmiljøkartlegging", "Kurs i førstehjelp", "Ergonomisk gjennomgang",
    "Støymåling", "Inneklimamåling", "Lederopplæring HMS", "Arbeidsplassvurdering",
    "Kjemikalierisikovurdering", "Kurs i arbeidsmiljø for verneombud", "Samtaler med rådgiver",
)  # fmt: skip
INVOICE_SERVICES = (
    "Arbeidsmiljøkartlegging, timer", "Kurs og opplæring, deltakere", "Rådgivning, timer",
    "Vernerunde, timer", "Måling av støy og inneklima, timer",
)  # fmt: skip
APPOINTMENT_INSTRUCTIONS = (
    "", "Ta med legitimasjon.", "Møt ti minutter før avtalt tid.",
    "Ta med briller eller linser om du bruker det.", "Oppmøte i resepsjonen.",
)  # fmt: skip

_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", "ö": "o", "ä": "a"})


def _slug(text: str) -> str:
    """ "Kjølberg Bygg" → "kjolberg-bygg": for e-mail addresses and domains."""
    text = text.lower().translate(_ASCII)
    return "-".join(
        "".join(c for c in word if c.isascii() and c.isalnum()) for word in text.split()
    )
