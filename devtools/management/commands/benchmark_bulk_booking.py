"""`manage.py benchmark_bulk_booking`: time «Book på timeavtaler» for many employees at once, as
the demo's customer administrator, the way the browser asks for it (the grid's suggestion
confirmed: one POST). The mails are
queued for the worker, not sent, in the database queue of production. Every run is rolled
back: the database is left as it was."""

import datetime
import statistics
import time

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from background.models import OutgoingMail
from devtools.benchmark.users import client_signed_in, portal_as_deployed
from portal.admin.booking_views import SELECTION_KEY
from portal.demo import demo_load
from portal.models import Appointment, Booking, Employee, Order

ORDER_NUMBER = 290467  # the demo's approved health-check order of Testbedriften AS
SEATS_PER_APPOINTMENT = 30


class Command(BaseCommand):
    help = (
        "Time «Book på timeavtaler» for N employees (default 300) as testweb, with the mails "
        "queued, not sent; rolled back afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=300)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *, employees, repeat, **options):
        if not Order.objects.filter(number=ORDER_NUMBER).exists():
            demo_load()
        database_queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        email = "django.core.mail.backends.locmem.EmailBackend"
        rows = []
        with (
            portal_as_deployed(),
            override_settings(TASKS=database_queue, EMAIL_BACKEND=email),
        ):
            mail.outbox = []
            for run in range(1, repeat + 1):
                rows.append(self._run(run, employees))
        self.stdout.write(
            f"«Book på timeavtaler», {employees} employees, {connection.vendor}, "
            f"mails to the database queue:"
        )
        self.stdout.write("run  request ms  queries  booked  mails queued  mails sent")
        for row in rows:
            self.stdout.write("{run:>3}  {ms:>10.0f}  {queries:>7}  {booked:>6}  {queued:>12}  "
                              "{sent:>10}".format(**row))  # fmt: skip
        median = statistics.median(row["ms"] for row in rows)
        self.stdout.write(f"median request: {median:.0f} ms")

    def _run(self, run: int, count: int) -> dict:
        with transaction.atomic():
            order = Order.objects.get(number=ORDER_NUMBER)
            people = self._employees(order, count)
            self._appointments(order, count)
            client = client_signed_in(get_user_model().objects.get(username="testweb"))
            session = client.session
            session[SELECTION_KEY] = [e.pk for e in people]
            session.save()
            queries = []

            def counted(execute, sql, params, many, context):
                queries.append(sql)
                return execute(sql, params, many, context)

            # The grid's suggestion, as the browser gets it, confirmed as it is: the timed
            # request is «Bekreft booking».
            grid = client.get(f"/portal/appointment/book/{order.pk}/")
            assert grid.status_code == 200, grid.status_code
            choices = {
                f"appointment-{row['employee'].pk}": row["suggested"].pk
                for row in grid.context["rows"]
                if row["suggested"] is not None
            }
            with connection.execute_wrapper(counted):
                started = time.perf_counter()
                response = client.post(f"/portal/appointment/book/{order.pk}/", choices)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, response.status_code
            row = {
                "run": run,
                "ms": elapsed,
                "queries": len(queries),
                "booked": Booking.objects.filter(employee__in=people).count(),
                "queued": OutgoingMail.objects.unsent().count(),
                "sent": len(mail.outbox),
            }
            transaction.set_rollback(True)
        return row

    def _employees(self, order: Order, count: int) -> list[Employee]:
        department = order.department
        return Employee.objects.bulk_create(
            Employee(
                customer_id=department.customer_id,
                department=department,
                first_name=f"Ansatt{n:04d}",
                last_name="Benchmark",
                email=f"ansatt{n:04d}@benchmark.example.no",
            )
            for n in range(count)
        )

    def _appointments(self, order: Order, count: int) -> None:
        day = timezone.localdate() + datetime.timedelta(days=14)
        first = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
        appointments = []
        for n in range(-(-count // SEATS_PER_APPOINTMENT)):
            starts = first + datetime.timedelta(minutes=30 * n)
            appointments.append(
                Appointment(
                    order=order,
                    department=order.department,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=20),
                    booking_deadline=starts - datetime.timedelta(days=2),
                    location="Bergen",
                    capacity=SEATS_PER_APPOINTMENT,
                )
            )
        Appointment.objects.bulk_create(appointments)
