"""The world of the appointment tests: order 290467 "Helsekontroll (HK)" of Testbedriften AS
(approved), the other customer's order, and appointments made to measure. The employees are
the cast's: `cast.donald`, `cast.dolly`, `cast.anton` and `cast.skrue` (Bergen TEST),
`cast.ola` (the other customer's)."""

import datetime

import pytest
from django.utils import timezone

from portal.models import Order
from tests.factories import AppointmentFactory


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
