"""The world of the appointment tests: order 290467 "Helsekontroll (HK)" of Testbedriften AS
(approved), its employees, the other customer's, and appointments made to measure."""

import datetime

import pytest
from django.utils import timezone

from portal.models import Employee, Order
from tests.factories import AppointmentFactory


@pytest.fixture
def hk_order(order_cast):
    return Order.objects.get(number=290467)


@pytest.fixture
def ek_order(order_cast):
    return Order.objects.get(number=301122)


@pytest.fixture
def bergen_order(order_cast, make_order):
    return make_order("approved", department=order_cast.tb_bergen)


def _employee(first_name, last_name):
    return Employee.objects.get(first_name=first_name, last_name=last_name)


@pytest.fixture
def donald(order_cast):
    return _employee("Donald", "Duck")


@pytest.fixture
def dolly(order_cast):
    return _employee("Dolly", "Duck")


@pytest.fixture
def anton(order_cast):
    """Of "Bergen TEST"."""
    return _employee("Anton", "Duck")


@pytest.fixture
def skrue(order_cast):
    """Of "Bergen TEST"."""
    return _employee("Skrue", "McDuck")


@pytest.fixture
def ola(order_cast):
    """Of the other customer, Eksempel Industri AS."""
    return _employee("Ola", "Nordmann")


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
