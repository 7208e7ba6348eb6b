"""Fill the database with a generated world for benchmarks and load tests.

    python manage.py generate_world --scale 1 [--seed N] [--reset] [--force] [--bulk-create]

At scale 1: 2,000 customers, 10,000 departments, 500,000 employees, 150,000 orders, 200,000
appointments, 400,000 bookings, 300,000 invoices (see devtools/world/). The well-known users
world-kunde, world-avdeling, world-kam and world-admin have the password "demo".
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.world import (
    CUSTOMER_NUMBER_PREFIX,
    DEFAULT_SEED,
    PASSWORD,
    USERNAME_PREFIX,
    WORLD_USERS,
    world_delete,
    world_exists,
    world_generate,
)


class Command(BaseCommand):
    help = "Fill the database with a generated world (2,000 customers, 500,000 employees at 1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 is the full world; 0.01 a hundredth."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--reset", action="store_true", help="Remove a generated world first (demo data stays)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (the generated users all have the password 'demo').",
        )
        parser.add_argument(
            "--bulk-create",
            action="store_true",
            help="Use bulk_create also on PostgreSQL instead of COPY (slower; to compare).",
        )

    def handle(self, *args, scale, seed, reset, force, bulk_create, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the generated users have known passwords. Use --force to "
                "generate anyway."
            )
        if scale <= 0:
            raise CommandError("--scale must be above 0.")
        if world_exists():
            if not reset:
                raise CommandError(
                    "A generated world is here already (customer numbers "
                    f"{CUSTOMER_NUMBER_PREFIX}…, users {USERNAME_PREFIX}…). Use --reset to "
                    "replace it."
                )
            self.stdout.write("Removing the generated world …")
            world_delete(log=self.stdout.write)
        report = world_generate(
            scale=scale,
            seed=seed,
            use_copy=connection.vendor == "postgresql" and not bulk_create,
            log=self.stdout.write,
        )
        rows = sum(count for _label, count, _seconds in report.tables)
        size = f", database {report.database_size}" if report.database_size else ""
        self.stdout.write(
            self.style.SUCCESS(f"World generated: {rows:,} rows in {report.seconds:.1f} s{size}.")
        )
        self.stdout.write(
            f"Largest customer {report.largest_customer}; largest department "
            f"“{report.largest_department}”. Log in as {', '.join(WORLD_USERS)}; "
            f"the password is '{PASSWORD}'."
        )
