"""What hostile uploads cost the employee import: each refused or read, how, how fast, and
with how much memory.

    python manage.py benchmark_hostile_uploads [--only NAME] [--skip-memory]

Builds a corpus of crafted files (`devtools.hostile_files`): shared-string bombs (one string of
1 MB, 4 MB or 40 MB that every cell refers to, 100 to 20,000 rows), a zip bomb, an XML entity
bomb, millions of empty cells or rows, gaps between row numbers, CSVs of the largest size, of
one huge cell and of one row of millions of cells, and an ordinary file of 2,000 rows beside
them. Each is previewed as the import's own page does (`employee_import_preview`) for an HR
user of a customer made for the run. Time is measured in one run; the peak of memory above
the baseline (tracemalloc, which slows Python down) in a second run of each. A file passes
when it is refused or read within BUDGET_SECONDS and BUDGET_MIB.

Everything it creates is rolled back at the end. It refuses to run with DEBUG off unless told
--force.
"""

import datetime
import io
import time
import tracemalloc

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from openpyxl import Workbook

from devtools import hostile_files as hostile
from imports.employees import employee_import_preview
from permissions.capabilities import Role
from permissions.services import grant_create
from portal.models import Customer, Department

BUDGET_SECONDS = 5.0
BUDGET_MIB = 200.0
MB = 1024 * 1024


def ordinary(rows: int) -> bytes:
    """An HR list as Excel users send it: every column of the template filled in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(hostile.HEADERS))
    for i in range(rows):
        sheet.append(
            [
                f"Fornavn{i}",
                f"Etternavn{i}",
                f"ansatt{i}@hostile.example",
                f"9{i:07d}",
                datetime.date(1980, 1, 1) + datetime.timedelta(days=i % 9000),
                ("Mann", "Kvinne")[i % 2],
                "Avdeling A",
                None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def corpus():
    """(name, builder) of every file: built when measured, one at a time."""
    return [
        ("shared string 1 MB × 100 rows", lambda: hostile.shared_string_bomb(chars=MB, rows=100)),
        ("shared string 4 MB × 50 rows", lambda: hostile.shared_string_bomb(chars=4 * MB, rows=50)),
        (
            "shared string 1 MB × 20,000 rows",
            lambda: hostile.shared_string_bomb(chars=MB, rows=20_000),
        ),
        (
            "shared string 40 MB × 20,000 rows",
            lambda: hostile.shared_string_bomb(chars=40 * MB, rows=20_000),
        ),
        (
            "shared string 15 MB × 1,000 rows",
            lambda: hostile.shared_string_bomb(chars=15 * MB, rows=1000),
        ),
        ("zip bomb 64 MB", lambda: hostile.zip_bomb(unpacked=64 * MB)),
        ("zip bomb 1 GB", lambda: hostile.zip_bomb(unpacked=1024 * MB)),
        ("XML entities (DOCTYPE)", hostile.entity_bomb),
        ("2 million empty cells", lambda: hostile.empty_cells_bomb(cells=2_000_000)),
        ("690,000 empty cells", lambda: hostile.empty_cells_bomb(cells=690_000)),
        # Just within the limit of XML elements: the most work a file may ask for.
        ("345,000 empty cells", lambda: hostile.empty_cells_bomb(cells=345_000)),
        ("345,000 number cells", lambda: hostile.number_cells_bomb(cells=345_000)),
        ("230,000 empty rows", lambda: hostile.empty_cells_bomb(cells=230_000, per_row=1)),
        ("row numbers 9,000 apart", lambda: hostile.gap_rows_bomb(rows=2000, gap=9000)),
        ("CSV 5 MB of rows", lambda: hostile.csv_many_rows(size=settings.IMPORTS_MAX_FILE_SIZE)),
        ("CSV one cell of 4 MB", lambda: hostile.csv_long_cell(chars=4 * MB)),
        ("CSV one row of 4 million cells", lambda: hostile.csv_wide_row(size=4_000_000)),
        ("ordinary 2,000 rows (reference)", lambda: ordinary(2000)),
    ]


class Command(BaseCommand):
    help = "Time and memory of the employee import's preview for crafted hostile files."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="only files whose name contains this")
        parser.add_argument("--skip-memory", action="store_true", help="no tracemalloc runs")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, only, skip_memory, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this writes benchmark rows. Use --force.")
        files = [(name, build) for name, build in corpus() if only.casefold() in name.casefold()]
        if not files:
            raise CommandError(f"no file's name contains {only!r}")
        self.stdout.write(
            f"{'file':36}{'kB':>7}  {'seconds':>8}{'peak MiB':>10}  outcome"
            if not skip_memory
            else f"{'file':36}{'kB':>7}  {'seconds':>8}  outcome"
        )
        over = []
        # As in production: DEBUG would also keep every query's SQL in memory.
        with override_settings(DEBUG=False), transaction.atomic():
            customer, user = self.customer()
            for name, build in files:
                content = build()
                outcome, seconds = self.preview(user, customer, content)
                peak = None if skip_memory else self.peak(user, customer, content)
                line = f"{name:36}{len(content) / 1024:7,.0f}  {seconds:8.2f}"
                if peak is not None:
                    line += f"{peak:10.1f}"
                self.stdout.write(f"{line}  {outcome}")
                if seconds > BUDGET_SECONDS or (peak or 0) > BUDGET_MIB:
                    over.append(name)
            transaction.set_rollback(True)
        budget = f"{BUDGET_SECONDS:.0f} s" + ("" if skip_memory else f" and {BUDGET_MIB:.0f} MiB")
        if over:
            self.stdout.write(f"over {budget}: {', '.join(over)}")
        else:
            self.stdout.write(f"every file refused or read within {budget}")

    def preview(self, user, customer, content) -> tuple[str, float]:
        start = time.perf_counter()
        plan = employee_import_preview(actor=user, customer=customer, content=content)
        seconds = time.perf_counter() - start
        if plan.file_error:
            return f"refused: {plan.file_error}", seconds
        return (
            f"read: {plan.rows:,} rows, {len(plan.creates):,} new, {len(plan.errors):,} errors",
            seconds,
        )

    def peak(self, user, customer, content) -> float:
        """MiB allocated at the peak of the preview, above what was allocated before it."""
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        try:
            employee_import_preview(actor=user, customer=customer, content=content)
            return (tracemalloc.get_traced_memory()[1] - baseline) / 2**20
        finally:
            tracemalloc.stop()

    def customer(self):
        customer = Customer.objects.create(
            name="Benchmark fiendtlige filer", org_number="810000001", customer_number="B-HOSTILE"
        )
        Department.objects.create(customer=customer, name="Avdeling A")
        user = get_user_model().objects.create_user("bench-hostile", password=None)
        grant_create(user=user, customer=customer, role=Role.HR)
        return customer, user
