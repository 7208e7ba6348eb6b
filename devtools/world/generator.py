"""One generation from start to end: the tables in dependency order, then the sequences and
the statistics, and `world_generate`, the entry point."""

import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import override_settings

from permissions.capabilities import Capability
from permissions.services import staff_groups_ensure
from portal.demo import PRODUCT_GROUPS
from portal.models import ProductGroup
from portal.models.sequences import sequence_advance_to
from portal.services.booking_months import booking_months_rebuild

from .access import AccessTables
from .appointments import AppointmentTables
from .base import WorldReport
from .customers import CustomerTables
from .employees import EmployeeTables
from .exposures import ExposureTables
from .invoices import InvoiceTables
from .orders import OrderTables
from .plan import PASSWORD

DEFAULT_SEED = 20250101


class World(
    CustomerTables,
    AccessTables,
    EmployeeTables,
    ExposureTables,
    OrderTables,
    AppointmentTables,
    InvoiceTables,
):
    """One generation: plans customers and departments first (sizes, names, ids), then
    writes table by table in dependency order, a chunk at a time."""

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
        self._exposures()
        self._orders()
        self._appointments()
        self._exposures_recheck()
        self._booking_months()
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

    def _booking_months(self) -> None:
        """The reports' monthly figures of the bookings just written (the services keep
        them from here on)."""
        started = time.perf_counter()
        with transaction.atomic():
            rows = booking_months_rebuild()
        self._count("booking months", rows, time.perf_counter() - started)
        self._done("booking months")

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
        self._exposure_types()


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
        return World(scale=scale, seed=seed, use_copy=use_copy, log=log).run()
