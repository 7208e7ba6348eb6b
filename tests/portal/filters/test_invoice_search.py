"""Søk etter faktura: number, dates, and the status computed in the database."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.filters.invoices import InvoiceFilterSet
from portal.models import Invoice
from tests.factories import InvoiceFactory

from .helpers import column, panel, queries_and_rows, query_plan, shown_count

SEED = {"2017-118350", "2017-118352", "2017-118359", "2018-118371", "2018-118376"}


def numbers(response) -> set[str]:
    listed = column(response, "number")
    assert shown_count(response) == len(listed) == response.context["cl"].result_count
    return set(listed)


@pytest.fixture
def invoices_of_today(frozen_clock, cast):
    """One invoice of each status, dated relative to today (which stays today)."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    payer = cast.tb_main

    def invoice(number, *, due, outstanding="500", credit=False):
        return InvoiceFactory(
            number=number,
            payer=payer,
            invoice_date=due - 20 * day,
            due_date=due,
            total=Decimal("500"),
            outstanding=Decimal(outstanding),
            is_credit_note=credit,
        )

    return {
        "paid": invoice("9000-1", due=today - day, outstanding="0"),
        "overdue": invoice("9000-2", due=today - day),
        "due_today": invoice("9000-3", due=today),
        "unpaid": invoice("9000-4", due=today + 10 * day),
        "credited": invoice("9000-5", due=today + 10 * day, outstanding="-500", credit=True),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("paid", {"9000-1"}),
        ("overdue", {"9000-2"} | SEED),  # the seed's invoices are long past due
        ("unpaid", {"9000-3", "9000-4"}),  # due today is not overdue yet
        ("credited", {"9000-5"}),
    ],
)
def test_status(changelist, invoices_of_today, status, expected):
    response = changelist("testweb", "invoice", status=status)

    assert numbers(response) == expected


@pytest.mark.django_db
def test_status_is_filtered_in_the_database(client, login, invoices_of_today):
    login("testweb")
    with CaptureQueriesContext(connection) as captured:
        client.get("/portal/invoice/", {"status": "unpaid"})

    listing = [q["sql"] for q in captured if '"due_date" >=' in q["sql"]]
    assert listing, "the unpaid condition is not in the list's SQL"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("2017-118350", {"2017-118350"}),
        ("2017-", {"2017-118350", "2017-118352", "2017-118359"}),
        ("118371", {"2018-118371"}),  # the serial alone
        ("1183", SEED),
        ("8-1183", {"2018-118371", "2018-118376"}),
        ("2021-119001", set()),  # Eksempel's
    ],
)
def test_number(changelist, number, expected):
    response = changelist("testweb", "invoice", number=number)

    assert numbers(response) == expected


@pytest.mark.django_db
def test_dates_typed_as_in_the_seed(changelist):
    response = changelist(
        "testweb", "invoice", invoice_date_after="31.12.2017", invoice_date_before="28.02.2018"
    )

    assert numbers(response) == {"2017-118350", "2017-118359", "2018-118371"}


@pytest.mark.django_db
def test_number_dates_and_status_combined(changelist, invoices_of_today):
    response = changelist(
        "testweb", "invoice", number="2018", invoice_date_after="01.03.2018", status="overdue"
    )

    assert numbers(response) == {"2018-118376"}


@pytest.mark.django_db
def test_a_bad_date_or_status_says_so(changelist):
    response = changelist("testweb", "invoice", invoice_date_before="32.12.2017", status="nope")

    assert numbers(response) == set()
    assert "Oppgi en gyldig dato." in panel(response)
    assert "Velg et gyldig valg" in panel(response)


@pytest.mark.django_db
def test_kam_sees_every_customers_overdue_invoices(changelist):
    response = changelist("kam", "invoice", status="overdue")

    assert numbers(response) == SEED | {"2021-119001", "2021-119007"}


@pytest.mark.django_db
def test_any_part_of_the_number_finds_every_customers_invoices_for_kam(changelist):
    response = changelist("kam", "invoice", number="1190")

    assert numbers(response) == {"2021-119001", "2021-119007"}


@pytest.mark.django_db
def test_a_number_part_costs_the_same_queries_as_the_rows_grow(demo, client, login, cast):
    login("testweb")

    before, rows_before = queries_and_rows(client, "/portal/invoice/", {"number": "1183"})
    for serial in range(118380, 118392):
        InvoiceFactory(number=f"2019-{serial}", payer=cast.tb_main)
    after, rows_after = queries_and_rows(client, "/portal/invoice/", {"number": "1183"})

    assert rows_after == rows_before + 12
    assert after == before


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_number_part_is_answered_by_a_trigram_index_on_postgresql():
    """Migration 0002's index is only of use if its expression is exactly the one the search
    writes (`number::text LIKE '%118371%'`)."""
    searched = InvoiceFilterSet.base_filters["number"].filter(Invoice.objects.order_by(), "118371")

    plan = query_plan(searched)

    assert "invoice_number_trgm_idx" in plan, plan
