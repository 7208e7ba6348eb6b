"""Order and invoice numbers: increasing, above every loaded number, never reused.

Runs on whichever database DATABASE_URL names (SQLite by default, PostgreSQL in CI).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from portal.demo import demo_load
from portal.models import Department, Invoice, Order

pytestmark = pytest.mark.django_db

LOADED_ORDER_NUMBERS = [204334, 200400, 198279, 306990, 290467, 282207, 277341, 301122, 301188]
LOADED_INVOICE_NUMBERS = [
    "2017-118350",
    "2017-118352",
    "2017-118359",
    "2018-118371",
    "2018-118376",
    "2021-119001",
    "2021-119007",
]


def new_order(**fields):
    department = Department.objects.get(name="Testbedriften AS")
    return Order.objects.create(department=department, **fields)


def new_invoice(invoice_date=datetime.date(2024, 5, 31), **fields):
    return Invoice.objects.create(
        payer=Department.objects.get(name="Bergen TEST"),
        invoice_date=invoice_date,
        due_date=invoice_date + datetime.timedelta(days=20),
        total=Decimal("1500"),
        outstanding=Decimal("1500"),
        **fields,
    )


def serial(invoice: Invoice) -> int:
    year, _, n = invoice.number.partition("-")
    assert year.isdigit(), invoice.number
    assert n.isdigit(), invoice.number
    return int(n)


# --- Orders ---------------------------------------------------------------------------------


def test_a_new_order_is_numbered_above_every_loaded_order(demo):
    # given the demo's orders
    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(LOADED_ORDER_NUMBERS)

    # when a new order is created
    order = new_order()

    # then its number is above all of them
    assert order.number > max(LOADED_ORDER_NUMBERS)
    assert Order.objects.get(pk=order.pk).number == order.number


def test_new_orders_are_numbered_in_increasing_order(demo):
    numbers = [new_order().number for _ in range(3)]

    assert numbers == sorted(set(numbers))


def test_the_number_of_a_deleted_order_is_not_reused(demo):
    # given a new order, deleted
    deleted = new_order()
    deleted_number = deleted.number
    deleted.delete()

    # when another order is created
    order = new_order()

    # then it gets a new number, above the deleted one
    assert order.number > deleted_number


def test_the_highest_loaded_number_deleted_is_not_reused(demo):
    # given the highest loaded order deleted
    Order.objects.get(number=306990).delete()

    # then a new order does not take its number
    assert new_order().number > 306990


def test_the_number_of_a_deleted_order_numbered_elsewhere_is_not_reused(demo):
    # given an order that came with its number (as from the CRM), then deleted
    imported = new_order(number=306991)
    imported.delete()

    # when the portal numbers a new order
    order = new_order()

    # then it does not get the deleted order's number
    assert order.number > 306991


def test_a_loaded_number_above_the_counter_is_not_handed_out(demo):
    # given an order loaded with a number far above the rest
    new_order(number=400000)

    # then the next portal order is numbered above it
    assert new_order().number > 400000


def test_loading_the_demo_again_does_not_lower_the_numbering(demo):
    # given orders created after the demo
    highest = max(new_order().number for _ in range(2))

    # when the demo is loaded again
    demo_load()

    # then numbering goes on above them
    assert new_order().number > highest


# --- Invoices -------------------------------------------------------------------------------


def test_a_new_invoice_without_a_number_gets_year_and_a_serial_above_the_loaded_ones(demo):
    # when an invoice dated 2024 is created without a number
    invoice = new_invoice(invoice_date=datetime.date(2024, 5, 31))

    # then it is "2024-<n>", n above 118376 and every loaded serial
    assert invoice.number.startswith("2024-")
    assert serial(invoice) > 118376
    assert serial(invoice) > max(int(n.split("-")[1]) for n in LOADED_INVOICE_NUMBERS)
    assert Invoice.objects.get(pk=invoice.pk).number == invoice.number


def test_the_year_of_an_invoice_number_is_the_invoice_dates(demo):
    invoice = new_invoice(invoice_date=datetime.date(2019, 12, 31))

    assert invoice.number.startswith("2019-")


def test_new_invoices_are_numbered_in_increasing_order_across_years(demo):
    invoices = [
        new_invoice(invoice_date=datetime.date(2024, 12, 31)),
        new_invoice(invoice_date=datetime.date(2025, 1, 1)),
        new_invoice(invoice_date=datetime.date(2025, 1, 2)),
    ]

    serials = [serial(invoice) for invoice in invoices]
    assert serials == sorted(set(serials))


def test_an_invoice_given_a_number_keeps_it(demo):
    assert new_invoice(number="2024-900").number == "2024-900"


def test_the_serial_of_a_deleted_invoice_is_not_reused(demo):
    deleted = new_invoice()
    deleted_serial = serial(deleted)
    deleted.delete()

    assert serial(new_invoice()) > deleted_serial


def test_an_invoice_numbered_elsewhere_does_not_clash_with_the_next_portal_invoice(demo):
    # given an invoice that came with the next serial in line (as from the accounting system)
    today = timezone.localdate()
    following = serial(new_invoice(invoice_date=today)) + 1
    new_invoice(invoice_date=today, number=f"{today.year}-{following}")

    # when the portal numbers a new invoice of the same year
    invoice = new_invoice(invoice_date=today)

    # then it gets a number of its own, above the one that came from elsewhere
    assert serial(invoice) > following


# --- Two at once (PostgreSQL: real concurrent transactions) ------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_orders_created_at_the_same_time_get_different_numbers():
    # given the demo world
    demo_load()
    numbers, errors = [], []
    start = threading.Barrier(4)

    def create():
        try:
            start.wait()
            numbers.append(new_order().number)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    # when four users submit an order at the same moment
    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then each order has a number of its own, above the loaded ones
    assert errors == []
    assert len(set(numbers)) == 4
    assert min(numbers) > max(LOADED_ORDER_NUMBERS)
