"""Betalt / Forfalt / Ubetalt / Kreditert: computed from today's date, in the database, never
stored; due today is not overdue, and "today" is Oslo's day."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Invoice
from portal.models.invoices import InvoiceStatus
from tests.factories import InvoiceFactory
from tests.portal.filters.helpers import column

DUE = datetime.date(2024, 3, 21)
UTC = datetime.UTC


def at(*args):
    """The clock stopped at an instant, in UTC."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def due_on_21_march(cast):
    return InvoiceFactory(
        number="2024-1",
        payer=cast.tb_main,
        invoice_date=datetime.date(2024, 3, 1),
        due_date=DUE,
        total=Decimal("500"),
        outstanding=Decimal("500"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ((2024, 3, 20, 22, 59), InvoiceStatus.UNPAID),  # 20 March, 23:59 in Oslo
        ((2024, 3, 21, 10, 0), InvoiceStatus.UNPAID),  # the due date itself
        ((2024, 3, 21, 22, 59), InvoiceStatus.UNPAID),  # 23:59 in Oslo on the due date
        ((2024, 3, 21, 23, 0), InvoiceStatus.OVERDUE),  # midnight in Oslo, still 21 March in UTC
        ((2024, 3, 22, 12, 0), InvoiceStatus.OVERDUE),
    ],
)
def test_an_invoice_is_overdue_from_the_day_after_its_due_date_in_oslo(
    due_on_21_march, instant, expected
):
    """Given an unpaid invoice due 21 March, when the clock reaches `instant`, then the page's
    status and the database's agree on `expected`."""
    with at(*instant):
        in_python = Invoice.objects.get(pk=due_on_21_march.pk).status
        in_database = Invoice.objects.with_status().get(pk=due_on_21_march.pk).status_value
        filtered = Invoice.objects.with_status_value(expected).filter(pk=due_on_21_march.pk)

        assert in_python == expected
        assert in_database == expected
        assert filtered.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outstanding", "credit_note", "total", "expected"),
    [
        ("0", False, "500", InvoiceStatus.PAID),  # nothing owed: paid, even long after its due date
        ("-10", False, "500", InvoiceStatus.PAID),  # paid a little too much
        ("0.01", False, "500", InvoiceStatus.OVERDUE),  # one øre owed after the due date
        ("-500", True, "-500", InvoiceStatus.CREDITED),  # a credit note is never overdue
        ("0", True, "-500", InvoiceStatus.CREDITED),
    ],
)
def test_paid_and_credited_whatever_the_date(cast, outstanding, credit_note, total, expected):
    invoice = InvoiceFactory(
        payer=cast.tb_main,
        invoice_date=datetime.date(2017, 12, 1),
        due_date=datetime.date(2017, 12, 21),
        total=Decimal(total),
        outstanding=Decimal(outstanding),
        is_credit_note=credit_note,
    )

    assert invoice.status == expected
    assert Invoice.objects.with_status().get(pk=invoice.pk).status_value == expected
    assert list(Invoice.objects.with_status_value(expected).filter(pk=invoice.pk)) == [invoice]


@pytest.fixture
def one_of_each(frozen_clock, cast):
    """One invoice per status, relative to today (which stays today), numbered so that no order
    hides the sort."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    payer = cast.tb_main

    def make(number, due, outstanding, credit=False, total="500"):
        return InvoiceFactory(
            number=number,
            payer=payer,
            invoice_date=due - 20 * day,
            due_date=due,
            total=Decimal(total),
            outstanding=Decimal(outstanding),
            is_credit_note=credit,
        )

    return {
        "9000-1": make("9000-1", today + day, "500"),  # Ubetalt
        "9000-2": make("9000-2", today - day, "0"),  # Betalt
        "9000-3": make("9000-3", today + day, "-500", credit=True, total="-500"),  # Kreditert
        "9000-4": make("9000-4", today - day, "500"),  # Forfalt
        "9000-5": make("9000-5", today, "500"),  # Ubetalt: due today
    }


def _status_column_index(response) -> int:
    return list(response.context["cl"].list_display).index("status_display")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("", ["Forfalt", "Ubetalt", "Betalt", "Kreditert"]),
        ("-", ["Kreditert", "Betalt", "Ubetalt", "Forfalt"]),
    ],
)
def test_sorting_by_status_puts_what_needs_doing_first_and_happens_in_the_database(
    client, login, one_of_each, direction, expected
):
    """Given invoices of every status, when testweb sorts the list by Status, then they come
    overdue, unpaid, paid, credited (or the reverse), ordered by the database."""
    login("testweb")
    first = client.get("/portal/invoice/", {"number": "9000-"})
    index = _status_column_index(first)

    response = client.get("/portal/invoice/", {"number": "9000-", "o": f"{direction}{index}"})

    statuses = column(response, "status_display")
    assert [status for i, status in enumerate(statuses) if status not in statuses[:i]] == expected
    assert len(statuses) == 5
    ordering = response.context["cl"].queryset.query.order_by
    assert ordering[0] == f"{direction}status_rank"  # the annotation's CASE, sorted by SQL


@pytest.mark.django_db
def test_filtering_by_status_happens_in_the_database(client, login, one_of_each):
    """Given invoices of every status, when testweb asks for the unpaid ones, then the list's
    SQL holds the condition and the due-today invoice is among them."""
    login("testweb")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/invoice/", {"number": "9000-", "status": "unpaid"})

    assert column(response, "number") == ["9000-1", "9000-5"]  # newest invoice date first
    sql = " ".join(q["sql"] for q in queries if '"portal_invoice"' in q["sql"])
    assert '"due_date" >=' in sql
    assert '"outstanding" >' in sql


@pytest.mark.django_db
def test_the_status_is_never_stored(one_of_each):
    fields = {field.name for field in Invoice._meta.get_fields()}

    assert "status" not in fields
    assert "status_value" not in fields
