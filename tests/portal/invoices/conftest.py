"""The invoice tests' world: the demo's invoices, and one of Testbedriften AS's made out
properly (a KID, two lines, each for an order)."""

import datetime
from decimal import Decimal

import pytest

from portal.models import Invoice, Order
from tests.factories import InvoiceFactory, InvoiceLineFactory

# A MOD10 (Luhn) KID: 123456789 with check digit 7 (worked out in test_kid.py).
KID = "1234567897"


@pytest.fixture
def invoice(cast):
    """2024-500001 to Testbedriften AS: a health check and a follow-up, each for an order."""
    payer = cast.tb_main
    invoice = InvoiceFactory(
        number="2024-500001",
        payer=payer,
        invoice_date=datetime.date(2024, 3, 1),
        due_date=datetime.date(2024, 3, 21),
        kid=KID,
        total=Decimal("4250.00"),
        outstanding=Decimal("1250.50"),
        order=None,
    )
    InvoiceLineFactory(
        invoice=invoice,
        description="Helsekontroll – ÆØÅ æøå",
        quantity=Decimal("3"),
        unit_price=Decimal("1000.00"),
        amount=Decimal("3000.00"),
        order=Order.objects.get(number=290467),
    )
    InvoiceLineFactory(
        invoice=invoice,
        description="Oppfølgingssamtale <b>psykolog</b>",
        quantity=Decimal("2.5"),
        unit_price=Decimal("500.00"),
        amount=Decimal("1250.00"),
        order=Order.objects.get(number=282207),
    )
    return invoice


@pytest.fixture
def seed_invoice(demo):
    return Invoice.objects.get(number="2017-118350")


@pytest.fixture
def other_customers_invoice(demo):
    return Invoice.objects.get(number="2021-119001")
