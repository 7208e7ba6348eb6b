"""What the portal's tests share, whatever the layer they test: the orders the appointment
tests book on (order 290467 "Helsekontroll (HK)" of Testbedriften AS, approved, and the other
customer's), appointments made to measure, what is left for after commit, the KA/KAM allowed to
reveal national ids, Donald Duck with a national id, and the invoices. The demo's customers,
departments, people and employees are tests/conftest.py's `cast`."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from portal import services
from portal.models import Invoice, Order
from tests.factories import AppointmentFactory, InvoiceFactory, InvoiceLineFactory
from tests.portal.helpers import NUMBER, OTHER_NUMBER

# A MOD10 (Luhn) KID: 123456789 with check digit 7 (worked out in test_kid.py).
KID = "1234567897"


# -- the appointments' orders and appointments --------------------------------------------------


@pytest.fixture
def hk_order(cast):
    return Order.objects.get(number=290467)


@pytest.fixture
def ek_order(cast):
    return Order.objects.get(number=301122)


@pytest.fixture
def bergen_order(cast, make_order):
    return make_order("approved", department=cast.tb_bergen)


@pytest.fixture
def make_appointment(hk_order):
    """`make_appointment(in_days=10, at="08:00", minutes=20, capacity=1, closes_hours=24)`:
    an appointment of order 290467 at Bergen, in Norwegian time."""

    def _make(in_days=10, at="08:00", minutes=20, closes_hours=24, **fields):
        day = timezone.localdate() + datetime.timedelta(days=in_days)
        starts = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time.fromisoformat(at))
        )
        fields.setdefault("order", hk_order)
        fields.setdefault("location", "Bergen")
        fields.setdefault("capacity", 1)
        return AppointmentFactory(
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=minutes),
            booking_deadline=starts - datetime.timedelta(hours=closes_hours),
            **fields,
        )

    return _make


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs what the services leave for after commit (the e-mails)."""

    def _capture():
        return django_capture_on_commit_callbacks(execute=True)

    return _capture


# -- the employees' national ids ---------------------------------------------------------------


@pytest.fixture
def reveal_permission(cast):
    """kam, now holding portal.reveal_national_id."""
    cast.kam.user_permissions.add(
        Permission.objects.get(content_type__app_label="portal", codename="reveal_national_id")
    )
    return get_user_model().objects.get(pk=cast.kam.pk)


@pytest.fixture
def donald_with_number(cast):
    """Donald Duck with the national id NUMBER registered (through the service)."""
    services.employee_update(employee=cast.donald, actor=cast.testweb, national_id=NUMBER)
    cast.donald.refresh_from_db()
    return cast.donald


@pytest.fixture
def numbered(cast):
    """Donald and Dolly with national ids (through the service)."""
    services.employee_update(employee=cast.donald, actor=cast.testweb, national_id=NUMBER)
    services.employee_update(employee=cast.dolly, actor=cast.testweb, national_id=OTHER_NUMBER)


# -- the invoices -------------------------------------------------------------------------------


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
