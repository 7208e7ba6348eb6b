"""Info for the provider's staff: orders waiting for their action (their own customers
first), today's and tomorrow's appointments, overdue invoices per customer, recent
notifications — each figure counted independently here from the rows made."""

import datetime
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from portal.formatting import format_nok
from portal.models import Appointment, Invoice, Order
from portal.models.orders import OrderStatus
from portal.selectors.periods import local_midnight
from tests.factories import (
    AppointmentFactory,
    CustomerFactory,
    DepartmentFactory,
    InvoiceFactory,
    NotificationFactory,
    OrderFactory,
    StaffFactory,
)

from .helpers import figure, text

TO_CONFIRM = "figure-to-confirm"
TO_DELIVER = "figure-to-deliver"
APPOINTMENTS_TODAY = "figure-appointments-today"
OVERDUE = "figure-overdue-invoices"


@pytest.fixture
def other_kam_customer(info_world):
    """A third customer, whose KA/KAM is someone else, with orders waiting and an overdue
    invoice."""
    colleague = StaffFactory(username="kollega", first_name="Kåre", last_name="Kollega")
    customer = CustomerFactory(name="Kollegas Kunde AS", account_manager=colleague)
    department = DepartmentFactory(customer=customer, name="Kollegas Kunde AS")
    for status in (OrderStatus.AWAITING_SELLER, OrderStatus.AWAITING_SELLER, OrderStatus.APPROVED):
        OrderFactory(department=department, status=status, order_date=datetime.date(2018, 1, 1))
    today = timezone.localdate()
    InvoiceFactory(
        payer=department,
        invoice_date=today - datetime.timedelta(days=30),
        due_date=today - datetime.timedelta(days=10),
        total=Decimal("123456.00"),
        outstanding=Decimal("123456.00"),
    )
    return customer


@pytest.fixture
def today_and_tomorrow(info_world):
    """Appointments today (one cancelled), tomorrow, yesterday and the day after, for both
    customers."""
    today = timezone.localdate()
    made = []
    for rows in (info_world.tb, info_world.ek):
        order = rows.orders[OrderStatus.APPROVED][0]
        for days, hour, cancelled in (
            (-1, 9, False),
            (0, 0, False),
            (0, 8, False),
            (0, 23, False),
            (0, 10, True),
            (1, 9, False),
            (2, 9, False),
        ):
            starts = local_midnight(today + datetime.timedelta(days=days)) + datetime.timedelta(
                hours=hour, minutes=10
            )
            made.append(
                AppointmentFactory(
                    order=order,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=20),
                    booking_deadline=starts - datetime.timedelta(days=1),
                    is_cancelled=cancelled,
                    capacity=3,
                )
            )
    return made


def _orders(status, *, account_manager=None) -> int:
    return sum(
        1
        for order in Order.objects.select_related("department__customer")
        if order.status == status
        and (
            account_manager is None or order.department.customer.account_manager == account_manager
        )
    )


def _appointments_on(day) -> int:
    return sum(
        1
        for appointment in Appointment.objects.all()
        if not appointment.is_cancelled and timezone.localtime(appointment.starts_at).date() == day
    )


def _overdue_per_customer(today) -> dict[str, tuple[int, Decimal]]:
    counts: Counter[str] = Counter()
    sums: defaultdict[str, Decimal] = defaultdict(Decimal)
    for invoice in Invoice.objects.select_related("payer__customer"):
        if not invoice.is_credit_note and invoice.outstanding > 0 and invoice.due_date < today:
            counts[invoice.payer.customer.name] += 1
            sums[invoice.payer.customer.name] += invoice.outstanding
    return {name: (counts[name], sums[name]) for name in counts}


def test_the_kams_figures_are_the_counts_of_every_customers_rows(
    info_world, other_kam_customer, today_and_tomorrow, login
):
    kam = info_world.cast.kam
    today = timezone.localdate()

    response = login(kam).get("/")

    to_confirm = figure(response, TO_CONFIRM)
    assert to_confirm["value"] == _orders(OrderStatus.AWAITING_SELLER)
    own = _orders(OrderStatus.AWAITING_SELLER, account_manager=kam)
    assert own == to_confirm["value"] - 2  # the colleague's customer's two
    assert f"{own} av dem for dine kunder" in to_confirm["text"]
    to_deliver = figure(response, TO_DELIVER)
    assert to_deliver["value"] == _orders(OrderStatus.APPROVED)
    appointments = figure(response, APPOINTMENTS_TODAY)
    # At least the fixture's three a customer; before noon the world's "closes in 12 hours"
    # appointments fall on today as well, and the figure counts them too.
    made_today = [
        a
        for a in today_and_tomorrow
        if timezone.localdate(a.starts_at) == today and not a.is_cancelled
    ]
    assert len(made_today) == 2 * 3
    assert appointments["value"] == _appointments_on(today) >= len(made_today)
    tomorrow = _appointments_on(today + datetime.timedelta(days=1))
    assert re.search(rf"\b{tomorrow} i morgen", appointments["text"])
    overdue = _overdue_per_customer(today)
    shown = figure(response, OVERDUE)
    assert shown["value"] == sum(count for count, _amount in overdue.values())
    amount = sum(amount for _count, amount in overdue.values())
    assert format_nok(amount).replace("\xa0", " ") in shown["text"]


def test_the_figures_link_to_their_lists_filtered_to_the_same_rows(
    info_world, other_kam_customer, today_and_tomorrow, login
):
    client = login(info_world.cast.kam)
    response = client.get("/")

    for testid in (TO_CONFIRM, TO_DELIVER, OVERDUE, APPOINTMENTS_TODAY):
        shown = figure(response, testid)
        listed = client.get(shown["href"])
        assert listed.status_code == 200, testid
        assert listed.context["cl"].result_count == shown["value"] + (
            # The appointment list shows tomorrow's too: the figure says them in its text.
            _appointments_on(timezone.localdate() + datetime.timedelta(days=1))
            if testid == APPOINTMENTS_TODAY
            else 0
        ), testid


def test_overdue_invoices_are_listed_per_customer_largest_first_each_linking_to_its_own(
    info_world, other_kam_customer, login
):
    client = login(info_world.cast.kam)
    overdue = _overdue_per_customer(timezone.localdate())

    response = client.get("/")

    rows = re.findall(
        r'data-testid="overdue-customer">.*?<a href="([^"]*)"[^>]*>(.*?)</a>.*?<td[^>]*>(\d+)</td>'
        r"\s*<td[^>]*>(.*?)</td>",
        response.content.decode(),
        flags=re.S,
    )
    names = [name for _href, name, _count, _amount in rows]
    assert names == sorted(overdue, key=lambda name: -overdue[name][1])
    assert names[0] == "Kollegas Kunde AS"
    for href, name, count, amount in rows:
        assert (int(count), amount) == (overdue[name][0], format_nok(overdue[name][1]))
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.context["cl"].result_count == overdue[name][0]
        payers = {invoice.payer.customer.name for invoice in listed.context["cl"].result_list}
        assert payers == {name}


def test_the_kams_own_customers_come_first(info_world, other_kam_customer, login):
    response = login(info_world.cast.kam).get("/")

    listed = re.findall(
        r'data-testid="waiting-order">.*?>(\d+)</a>\s*·\s*([^<]+?)\s*<',
        response.content.decode(),
        flags=re.S,
    )
    customers = [customer for _number, customer in listed]
    assert len(listed) == 10
    assert "Kollegas Kunde AS" not in customers  # ten of the kam's own come before it


def test_customer_service_sees_the_same_work_with_none_of_it_their_own(
    info_world, other_kam_customer, login
):
    response = login(info_world.cast.customer_service).get("/")

    shown = figure(response, TO_CONFIRM)
    assert shown["value"] == _orders(OrderStatus.AWAITING_SELLER)
    assert "0 av dem for dine kunder" in shown["text"]


def test_recent_notifications_show_unread_and_recently_read(info_world, login):
    kam = info_world.cast.kam
    NotificationFactory(recipient=kam, text="Ny bestilling 1 fra Testbedriften AS")
    NotificationFactory(
        recipient=kam, text="Ny bestilling 2 fra Testbedriften AS", read_at=timezone.now()
    )
    NotificationFactory(
        recipient=kam,
        text="Gammel og lest",
        read_at=timezone.now() - datetime.timedelta(days=30),
    )
    NotificationFactory(recipient=info_world.cast.customer_admin, text="Til testweb")

    response = login(kam).get("/")

    page = text(response)
    assert "Ny bestilling 1 fra Testbedriften AS" in page
    assert "Ny bestilling 2 fra Testbedriften AS" in page
    assert "Gammel og lest" not in page
    assert "Til testweb" not in page
    html = response.content.decode()
    assert html.count('data-testid="notification"') == 1
    assert html.count('data-testid="notification-read"') == 1


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("status", ["overdue", "unpaid"])
def test_open_invoices_are_found_through_their_own_index_on_postgresql(status):
    """Open invoices are a few percent of all: staff's overdue figures and the list's status
    filter read the partial index of those, not every invoice."""

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    open_invoices = Invoice.objects.with_status_value(status, today=datetime.date(2026, 1, 5))
    sql, params = open_invoices.order_by().values("payer").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "invoice_open_due_idx" in plan, plan
