"""`manage.py benchmark` on the demo world: every page answers, every variant is measured."""

import datetime
import io
import json
import statistics

import pytest
import time_machine
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from devtools.benchmark import runner
from devtools.benchmark.runner import Benchmark
from devtools.benchmark.users import CUSTOMER, client_signed_in, portal_as_deployed
from permissions.capabilities import Role
from permissions.services import grant_create
from portal.admin.orders import OrderAdmin
from portal.models import Contract, Customer, Employee, Order
from tests.factories import AppointmentFactory, BookingFactory, OrderFactory, UserFactory

pytestmark = pytest.mark.django_db

DEMO_USERS = (
    "--customer-user=testweb",
    "--department-user=bergen",
    "--staff-user=kam",
    "--superuser=admin",
)

ORDER_COLUMNS = (
    "number",
    "order_date",
    "product_group",
    "short_description",
    "department",
    "state",
    "status",
)
EMPLOYEE_COLUMNS = ("name", "birth_date", "email", "employer")
INVOICE_COLUMNS = (
    "number",
    "invoice_date",
    "due_date",
    "payer",
    "total_display",
    "outstanding_display",
    "status_display",
)
APPOINTMENT_COLUMNS = ("time", "order_number", "location")
BOOKING_COLUMNS = (
    "employee",
    "appointment_time",
    "order_number",
    "attendance",
    "confirmed",
    "mail",
)


def sorts(columns) -> set[str]:
    return {f"sort {sign}{column}" for column in columns for sign in ("", "-")}


CUSTOMER_LISTS = {
    "orders list": {
        "all",
        "search",
        "search number part",
        "filter order date",
        "filter status",
        "filter department",
        "filter product group",
        "deep page",
        *sorts(ORDER_COLUMNS),
    },
    "employees list": {
        "all",
        "search",
        "filter department",
        "filter status deactivated",
        "filter status all",
        "deep page",
        *sorts(EMPLOYEE_COLUMNS),
    },
    "invoices list": {
        "all",
        "search",
        "search number prefix",
        "search number part",
        "filter invoice date",
        "filter status",
        "deep page",
        *sorts(INVOICE_COLUMNS),
    },
    "appointments list": {
        "all",
        "search",
        "filter upcoming",
        "filter past",
        "deep page",
        *sorts(APPOINTMENT_COLUMNS),
    },
}
STAFF_LISTS = {
    "orders list": CUSTOMER_LISTS["orders list"] | {"filter customer", *sorts(["customer"])},
    "employees list": CUSTOMER_LISTS["employees list"],
    "invoices list": CUSTOMER_LISTS["invoices list"] | sorts(["customer"]),
    "appointments list": CUSTOMER_LISTS["appointments list"] | sorts(["customer", "deadline"]),
    "bookings list": {
        "all",
        "search",
        "filter attendance",
        "filter e-mail failed",
        "deep page",
        *sorts(BOOKING_COLUMNS),
    },
}
CUSTOMER_DETAILS = {"order page", "employee page", "invoice page", "appointment page"}
STAFF_DETAILS = CUSTOMER_DETAILS | {"customer page", "booking page"}
FORMS = {"order form", "employee form", "booking form"}


@pytest.fixture
def world(demo):
    """The demo world, with a user of the department "Bergen TEST" only, an order of Bergen,
    and appointments (one to come, one past, one of the other customer) with bookings."""
    testbedriften = Customer.objects.get(name="Testbedriften AS")
    bergen = testbedriften.departments.get(name="Bergen TEST")
    bergen_user = UserFactory(username="bergen", first_name="Berit", last_name="Bergen")
    grant_create(user=bergen_user, customer=testbedriften, role=Role.ADMIN, departments=[bergen])
    bergen_order = OrderFactory(
        department=bergen,
        contract=Contract.objects.get(customer=testbedriften),
        order_date=timezone.localdate(),
    )
    soon = timezone.now() + datetime.timedelta(days=10)
    upcoming = AppointmentFactory(
        order=Order.objects.get(number=290467), location="Bergen sentrum", capacity=10
    )
    past = AppointmentFactory(
        order=bergen_order,
        location="Bergen sentrum",
        capacity=10,
        starts_at=soon - datetime.timedelta(days=40),
    )
    AppointmentFactory(order=Order.objects.get(number=301122), location="Trondheim", capacity=5)
    for employee in Employee.objects.filter(customer=testbedriften)[:2]:
        BookingFactory(appointment=upcoming, employee=employee)
        BookingFactory(appointment=past, employee=employee)
    return testbedriften


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("benchmark", "--quick", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def variants(results, user, page) -> set[str]:
    return {
        r["variant"]
        for r in results
        if r["user"] == user and r["page"] == page and not r["rows_of"]
    }


def test_every_page_answers_and_every_variant_is_measured(world):
    users = get_user_model().objects
    last_logins = dict(users.values_list("username", "last_login"))
    access_logs = AccessLog.objects.count()

    out, _err = run("--json", *DEMO_USERS)
    report = json.loads(out)
    results = report["results"]

    assert results
    assert all(r["status"] == 200 for r in results), [
        (r["page"], r["variant"], r["user"], r["error"]) for r in results if r["status"] != 200
    ]
    assert [(r["page"], r["variant"], r["user"], r["error"]) for r in results if r["error"]] == []
    assert all(r["queries"] > 0 for r in results)
    assert all(r["median_ms"] > 0 and r["p95_ms"] >= r["median_ms"] for r in results)
    assert all(r["cpu_ms"] > 0 for r in results)
    assert {r["user"] for r in results} == {"testweb", "bergen", "kam", "admin"}
    for user in ("testweb", "bergen"):
        for page, expected in CUSTOMER_LISTS.items():
            assert variants(results, user, page) == expected, (user, page)
        assert variants(results, user, "bookings list") == set()
    for user in ("kam", "admin"):
        for page, expected in STAFF_LISTS.items():
            assert variants(results, user, page) == expected, (user, page)
    pages = {(r["user"], r["page"]) for r in results}
    assert {page for user, page in pages if user == "testweb"} >= CUSTOMER_DETAILS | {
        "start page",
        "reports",
        "report on request",
        "report export",
    }
    assert {page for user, page in pages if user == "kam"} >= STAFF_DETAILS | FORMS
    assert {page for user, page in pages if user == "testweb"} >= FORMS
    booking_forms = [r for r in results if r["page"] == "booking form"]
    assert booking_forms
    assert all(r["rows"] and r["rows"] <= 50 for r in booking_forms)
    assert "customer page" not in {page for user, page in pages if user == "testweb"}

    # The rows each user sees: testweb its 7 orders, the Bergen user only Bergen's one.
    def rows(user, page, variant="all"):
        return next(
            r["total"]
            for r in results
            if (r["user"], r["page"], r["variant"], r["rows_of"]) == (user, page, variant, "")
        )

    assert (
        rows("testweb", "orders list") == Order.objects.filter(department__customer=world).count()
    )
    assert rows("bergen", "orders list") == 1
    assert rows("kam", "orders list") == Order.objects.count()
    assert rows("testweb", "orders list", "search") == 1
    assert rows("testweb", "orders list", "search number part") >= 1
    assert rows("testweb", "invoices list", "search number part") >= 1
    assert rows("testweb", "appointments list", "filter upcoming") == 1

    # The access layer: every customer list variant against the superuser on the same rows.
    overhead = {(o["page"], o["variant"]): o for o in report["overhead"]}
    for page, expected in CUSTOMER_LISTS.items():
        for variant in expected:
            entry = overhead[(page, variant)]
            assert entry["ratio"] > 0
            assert entry["customer_user"] == "testweb"
            assert entry["superuser"] == "admin"
    assert all(overhead[("orders list", v)]["same_rows"] for v in CUSTOMER_LISTS["orders list"])
    assert all(overhead[("invoices list", v)]["same_rows"] for v in CUSTOMER_LISTS["invoices list"])
    assert all(
        overhead[("appointments list", v)]["same_rows"] for v in CUSTOMER_LISTS["appointments list"]
    )

    # Nothing written beyond sessions: no last_login, no sign-in log.
    assert dict(users.values_list("username", "last_login")) == last_logins
    assert AccessLog.objects.count() == access_logs


def test_the_table_and_the_json_file(world, tmp_path):
    path = tmp_path / "benchmark.json"

    out, _err = run("--pages=invoice", "--users=customer,superuser", f"--json={path}", *DEMO_USERS)

    for heading in ("== invoices list ==", "median ms", "p95 ms", "cpu ms", "queries", "rows"):
        assert heading in out
    cpu = [r["cpu_ms"] for r in json.loads(path.read_text())["results"] if r["user"] == "testweb"]
    assert (
        f"server CPU per page, median over the customer pages: {statistics.median(cpu):.1f} ms "
        f"({len(cpu)} pages)" in out
    )
    assert "== access-layer overhead" in out
    assert "worst overhead ratio:" in out
    assert "slowest pages:" in out
    assert "errors: none" in out
    assert "orders list" not in out
    saved = json.loads(path.read_text())
    assert {r["page"] for r in saved["results"]} == {"invoices list", "invoice page"}
    assert saved["overhead"]


def test_a_missing_user_is_named(world):
    with pytest.raises(CommandError, match=r"'nobody'.*--staff-user"):
        run("--customer-user=testweb", "--staff-user=nobody")


def test_the_default_users_are_those_of_the_generated_world(world):
    with pytest.raises(CommandError, match="world-kunde"):
        run()


def test_a_failing_page_is_reported_and_the_others_still_measured(world, monkeypatch):
    def broken(self, order):
        raise RuntimeError("the description broke")

    monkeypatch.setattr(OrderAdmin, "short_description", broken)

    out = io.StringIO()
    with pytest.raises(CommandError, match="did not answer as they should") as failure:
        call_command(
            "benchmark",
            "--quick",
            "--pages=list",
            "--users=customer",
            *DEMO_USERS,
            stdout=out,
            stderr=io.StringIO(),
        )

    assert "orders list" in str(failure.value)
    table = out.getvalue()
    assert "500 ERROR: RuntimeError: the description broke" in table
    employees = table.split("== employees list ==")[1].split("==")[0]
    assert " 200" in employees
    assert "ERROR" not in employees


def test_a_large_export_handed_to_a_background_job_is_no_error(world, monkeypatch):
    monkeypatch.setattr("portal.views.reports.report_export_is_large", lambda rows: True)

    out, _err = run("--quick", "--pages=report export", "--users=customer", *DEMO_USERS)

    exports = out.split("== report export ==")[1]
    assert "302 job" in exports
    assert "ERROR" not in exports
    assert "errors: none" in out


def test_the_session_clock_written_once_a_minute_counts_against_no_page(world, monkeypatch):
    """The portal writes a session's idle clock once a minute. A page requested when that
    minute is up is measured with the queries it costs at any other time: on a busy machine a
    run is slow enough to cross the minute on any page."""
    testweb = get_user_model().objects.get(username="testweb")
    orders = reverse("admin:portal_order_changelist")
    with portal_as_deployed(), time_machine.travel(timezone.now(), tick=False) as clock:
        quiet, _ = Benchmark(users={CUSTOMER: testweb}, repeat=3, warm_up=False).measure(
            client_signed_in(testweb), "orders list", "all", CUSTOMER, orders
        )
        get = runner.timed_get

        def a_minute_between_requests(client, url):
            answer = get(client, url)
            clock.shift(61)
            return answer

        monkeypatch.setattr(runner, "timed_get", a_minute_between_requests)
        slow, _ = Benchmark(users={CUSTOMER: testweb}, repeat=3, warm_up=False).measure(
            client_signed_in(testweb), "orders list", "all", CUSTOMER, orders
        )

    assert quiet.status == slow.status == 200
    assert slow.queries == quiet.queries
