"""How fast and how lean the employee import is, next to the floor and to the default.

    python manage.py benchmark_import --rows 10000 [--format xlsx|csv] [--writer excel|openpyxl]
                                      [--skip-default]

Measures, for a file of N rows (every row with a national identity number, the worst case):
the portal's preview and confirm, all rows new and half of them updates; a plain
`bulk_create` of the same rows (the floor: objects built, numbers encrypted, inserted); and
django-import-export's default `ModelResource` (dry run for the preview, then the import, as
its admin does; without national ids, which it cannot import). Time and queries are measured in
one run, peak memory (tracemalloc, which slows Python down) in a second run of each. "cpu s" is
this process's CPU time, without the database server's: steadier than the wall clock on a busy
machine. The .xlsx is written as Excel writes it (a shared-strings table, a <dimension>, styled
dates; `devtools.excel_files`), or with --writer openpyxl as openpyxl writes it (every text cell
inline, no <dimension>: the slower file for openpyxl's reader, made by scripts and other
systems rather than by an HR user's Excel).

It writes to the database in DATABASE_URL: a customer "Benchmark …" per run, deleted again
at the end. It refuses to run with DEBUG off unless told --force.
"""

import datetime
import io
import secrets
import time
import tracemalloc
from contextlib import contextmanager

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from import_export import resources
from openpyxl import Workbook

from audit.models import AuditEvent
from devtools.benchmark import QueryCounter
from devtools.excel_files import excel_workbook
from imports.employee_columns import COLUMNS
from imports.employees import employee_import_confirm, employee_import_preview
from imports.parsing import Limits
from imports.rows_kept import rows_dump, rows_load
from permissions.capabilities import Role
from permissions.services import grant_create
from portal.crypto import content_decrypt, content_encrypt, national_id_digest, national_id_encrypt
from portal.models import Customer, Department, Employee
from portal.services.employees import EDITABLE_FIELDS
from portal.validators import national_id_birth_date, national_id_check_digits

HEADERS = tuple(column.heading for column in COLUMNS if column.key != "active")
# What import-export's default resource reads: the primary key and the editable fields.
DEFAULT_FIELDS = ("id", *EDITABLE_FIELDS)


def national_ids(count: int):
    """`count` distinct valid national ids (born 1950-1999, individual numbers 000-499)."""
    day = datetime.date(1950, 1, 1)
    while True:
        for individual in range(500):
            body = f"{day:%d%m%y}{individual:03d}"
            check = national_id_check_digits(body)
            if check is not None:
                yield body + check
                count -= 1
                if not count:
                    return
        day += datetime.timedelta(days=1)


@contextmanager
def measured(memory: bool):
    """Yields a dict that gets seconds, queries and (with `memory`) peak bytes."""
    result: dict[str, float] = {}
    counter = QueryCounter()
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        yield result
    result["seconds"] = time.perf_counter() - start
    result["cpu"] = time.process_time() - cpu
    result["queries"] = counter.count
    if memory:
        result["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


class Command(BaseCommand):
    help = (
        "Benchmark the employee import (preview and confirm) against bulk_create and import-export."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
        parser.add_argument(
            "--writer",
            choices=("excel", "openpyxl"),
            default="excel",
            help="how the .xlsx is written: as Excel does, or as openpyxl does",
        )
        parser.add_argument("--skip-default", action="store_true", help="leave out ModelResource")
        parser.add_argument("--skip-memory", action="store_true", help="no tracemalloc runs")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, rows, format, writer, skip_default, skip_memory, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this writes benchmark rows. Use --force.")
        self.rows, self.format, self.writer = rows, format, writer
        self.limits = Limits(
            max_bytes=1 << 30,
            max_rows=max(rows, settings.IMPORTS_MAX_ROWS),
            max_unpacked_bytes=1 << 31,
            # No bound on the work a file may ask for: the benchmark's files are as large as told.
            max_text_chars=1 << 40,
            max_xml_elements=1 << 40,
            max_shared_strings_bytes=1 << 31,
        )
        self.token = secrets.token_hex(3)
        self.ids = list(national_ids(rows))
        self.created = []
        try:
            # As in production: DEBUG would also keep every query's SQL in memory.
            with override_settings(DEBUG=False):
                self.run(skip_default=skip_default, skip_memory=skip_memory)
        finally:
            self.cleanup()

    # -- the runs ----------------------------------------------------------------------------

    def run(self, *, skip_default, skip_memory):
        content = self.file(self.records())
        self.stdout.write(
            f"benchmark_import: {self.rows:,} rows, {self.file_kind()} "
            f"({len(content) / 1024:,.0f} kB), "
            f"{connection.vendor} ({connection.settings_dict['NAME']})"
        )
        timed = self.run_all(content, memory=False, skip_default=skip_default)
        traced = (
            [] if skip_memory else self.run_all(content, memory=True, skip_default=skip_default)
        )
        self.report(timed, traced)

    def run_all(self, content, *, memory: bool, skip_default: bool) -> list[tuple]:
        """(scenario, step, measurements) of every run."""
        results: list[tuple] = []
        scenarios = (("portal import, all new", 0), ("portal import, half updates", self.rows // 2))
        for name, existing in scenarios:
            results.extend(
                (name, step, result) for step, result in self.portal(content, existing, memory)
            )
        results.append(("plain bulk_create (floor)", "write", self.floor(memory)))
        if not skip_default:
            results.extend(
                ("import-export ModelResource", step, result)
                for step, result in self.default(memory)
            )
        return results

    def portal(self, content, existing: int, memory: bool):
        customer, user = self.customer()
        if existing:
            self.populate(customer, existing)
        # As the import page does: the preview keeps the rows it read with the upload,
        # encrypted, and the confirm plans from them.
        with measured(memory) as preview:
            plan = employee_import_preview(
                actor=user, customer=customer, content=content, limits=self.limits
            )
            kept = content_encrypt(rows_dump(plan.lines))
        if not plan.ok:
            raise CommandError(f"the preview found errors: {plan.file_error or plan.errors[:3]}")
        with measured(memory) as confirm:
            plan = employee_import_confirm(
                actor=user,
                customer=customer,
                content=content,
                limits=self.limits,
                lines=rows_load(content_decrypt(kept)),
            )
        assert len(plan.creates) == self.rows - existing, len(plan.creates)
        assert len(plan.updates) == existing, len(plan.updates)
        return ("preview", preview), ("confirm", confirm)

    def floor(self, memory: bool):
        customer, _user = self.customer()
        departments = list(customer.departments.all())
        records = self.records()
        with measured(memory) as result, transaction.atomic():
            employees = []
            for i, record in enumerate(records):
                employees.append(self.employee(customer, departments[i % 2], record))
                if len(employees) == 1000:
                    Employee.objects.bulk_create(employees)
                    employees = []
            Employee.objects.bulk_create(employees)
        return result

    def default(self, memory: bool):
        class DefaultEmployeeResource(resources.ModelResource):
            class Meta:
                model = Employee
                fields = DEFAULT_FIELDS

        customer, _user = self.customer()
        departments = list(customer.departments.all())
        dataset = tablib.Dataset(headers=list(DEFAULT_FIELDS))
        for i, record in enumerate(self.records()):
            dataset.append(
                ["", *record[:4], record[4].isoformat(), record[5], departments[i % 2].pk]
            )
        steps = []
        for step, dry_run in (("preview (dry run)", True), ("confirm", False)):
            with measured(memory) as result:
                outcome = DefaultEmployeeResource().import_data(dataset, dry_run=dry_run)
            if outcome.has_errors() or outcome.has_validation_errors():
                raise CommandError("the default ModelResource import failed")
            steps.append((step, result))
        return steps

    # -- data --------------------------------------------------------------------------------

    def records(self):
        genders = ("male", "female")
        for i, number in enumerate(self.ids):
            yield (
                f"Fornavn{i}",
                f"Etternavn{i}",
                f"ansatt{i}@bench-{self.token}.no",
                f"9{i:07d}",
                national_id_birth_date(number),  # an import refuses a date the number denies
                genders[i % 2],
                number,
            )

    def file_kind(self) -> str:
        if self.format == "csv":
            return "csv"
        return "xlsx as Excel writes it" if self.writer == "excel" else "xlsx as openpyxl writes it"

    def file(self, records) -> bytes:
        genders = {"male": "Mann", "female": "Kvinne"}
        departments = ("Avdeling A", "Avdeling B")
        rows = (
            [first, last, email, mobile, birth, genders[gender], departments[i % 2], number]
            for i, (first, last, email, mobile, birth, gender, number) in enumerate(records)
        )
        if self.format == "csv":
            lines = [";".join(HEADERS)]
            lines += [";".join([*row[:4], row[4].strftime("%d.%m.%Y"), *row[5:]]) for row in rows]
            return ("\r\n".join(lines) + "\r\n").encode("cp1252")
        if self.writer == "excel":
            return excel_workbook([HEADERS, *rows])

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def employee(self, customer, department, record, *, mobile=None) -> Employee:
        first, last, email, phone, birth, gender, number = record
        return Employee(
            customer_id=customer.pk,
            department_id=department.pk,
            first_name=first,
            last_name=last,
            email=email,
            mobile=mobile or phone,
            birth_date=birth,
            gender=gender,
            national_id_encrypted=national_id_encrypt(number),
            national_id_digest=national_id_digest(number),
        )

    def customer(self):
        n = len(self.created) + 1
        customer = Customer.objects.create(
            name=f"Benchmark {self.token} {n}",
            org_number=f"8{secrets.randbelow(10**8):08d}",
            customer_number=f"B-{self.token}-{n}",
        )
        Department.objects.create(customer=customer, name="Avdeling A")
        Department.objects.create(customer=customer, name="Avdeling B")
        user = get_user_model().objects.create_user(f"bench-{self.token}-{n}", password=None)
        grant_create(user=user, customer=customer, role=Role.HR)
        self.created.append((customer, user))
        return customer, user

    def populate(self, customer, count: int) -> None:
        """`count` employees matching the first rows, with another mobile: updates."""
        departments = list(customer.departments.all())
        employees = [
            self.employee(customer, departments[i % 2], record, mobile=f"4{i:07d}")
            for i, record in zip(range(count), self.records(), strict=False)
        ]
        Employee.objects.bulk_create(employees, batch_size=1000)

    def cleanup(self):
        for customer, user in self.created:
            employees = Employee.objects.filter(customer=customer)
            AuditEvent.objects.filter(
                object_id__in=[str(pk) for pk in employees.values_list("pk", flat=True)],
                content_type__model="employee",
            ).delete()
            employees.delete()
            AuditEvent.objects.filter(
                object_id__in=[str(pk) for pk in user.portal_grants.values_list("pk", flat=True)],
                content_type__model="grant",
            ).delete()
            user.delete()
            customer.departments.all().delete()
            customer.delete()

    # -- output ------------------------------------------------------------------------------

    def report(self, timed, traced):
        peaks = {(name, step): result["peak"] for name, step, result in traced}
        header = f"{'':31}{'step':19}{'seconds':>9}{'rows/s':>10}{'cpu s':>8}{'queries':>9}"
        self.stdout.write(header + (f"{'peak MiB':>10}" if peaks else ""))
        totals = {}
        for name, step, result in timed:
            seconds = result["seconds"]
            totals[name] = totals.get(name, 0) + seconds
            line = (
                f"{name:31}{step:19}{seconds:9.2f}{self.rows / seconds:10,.0f}"
                f"{result['cpu']:8.2f}{result['queries']:9,}"
            )
            if (name, step) in peaks:
                line += f"{peaks[name, step] / 2**20:10.1f}"
            self.stdout.write(line)
        self.stdout.write("")
        floor = totals["plain bulk_create (floor)"]
        for name in ("portal import, all new", "portal import, half updates"):
            self.stdout.write(
                f"{name}: preview + confirm {totals[name]:.2f} s = "
                f"{totals[name] / floor:.1f}× plain bulk_create"
            )
        if "import-export ModelResource" in totals:
            default = totals["import-export ModelResource"]
            self.stdout.write(
                f"import-export ModelResource: preview + confirm {default:.2f} s = "
                f"{default / totals['portal import, all new']:.1f}× the portal import (all new)"
            )
