"""Every edit form of the portal, opened by two people: the second save is refused, names
what the first changed with its value now, and writes nothing over it."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from portal.models import Appointment, Invoice, Order
from tests.factories import AppointmentFactory

from .helpers import browser, errors_of, opened

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def race(url: str, first: dict, second: dict, users=("kam", "admin")):
    """Both open `url`; the first saves `first`, then the second saves `second`."""
    one, two = browser(users[0]), browser(users[1])
    one_form, two_form = opened(one, url), opened(two, url)
    one_form.update(first)
    saved = one.post(url, one_form)
    assert saved.status_code == 302, errors_of(saved)
    two_form.update(second)
    return two.post(url, two_form)


def appointment_in_ten_days() -> Appointment:
    """Three seats in ten days at 14:00 Oslo time, as staff would set one up."""
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=OSLO)
    return AppointmentFactory(
        order=Order.objects.get(number=204334),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        capacity=3,
    )


def test_order_as_staff(demo):
    order = Order.objects.get(number=204334)

    refused = race(
        f"/portal/order/{order.pk}/change/",
        {"customer_reference": "ref-fra-kam"},
        {"description": "Endret av admin"},
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "customer_reference"}
    assert "nå står det: ref-fra-kam" in errors["customer_reference"]
    order.refresh_from_db()
    assert order.customer_reference == "ref-fra-kam"
    assert order.description != "Endret av admin"


def test_appointment(demo, frozen_clock):
    appointment = appointment_in_ten_days()

    refused = race(
        f"/portal/appointment/{appointment.pk}/change/",
        {"location": "Storgata 1, Bergen"},
        {"capacity": "5"},
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "location"}
    assert "nå står det: Storgata 1, Bergen" in errors["location"]
    appointment.refresh_from_db()
    assert (appointment.location, appointment.capacity) == ("Storgata 1, Bergen", 3)


def test_appointment_moved_in_between_names_the_time(demo, frozen_clock):
    appointment = appointment_in_ten_days()

    refused = race(
        f"/portal/appointment/{appointment.pk}/change/",
        {"starts_at_1": "09:00", "ends_at_1": "09:20"},
        {"location": "Et annet sted"},
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "starts_at", "ends_at"}
    assert "09:00" in errors["starts_at"]
    appointment.refresh_from_db()
    assert appointment.location == "Bergen"


def test_invoice(demo):
    invoice = Invoice.objects.get(number="2017-118350")

    refused = race(
        f"/portal/invoice/{invoice.pk}/change/",
        {"outstanding": "0.00"},
        {"due_date": "2017-12-31"},
        users=("admin", "admin"),
    )

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert set(errors) == {"__all__", "outstanding"}
    assert "nå står det: 0,00" in errors["outstanding"]
    invoice.refresh_from_db()
    assert invoice.outstanding == Decimal("0")
    assert str(invoice.due_date) != "2017-12-31"


def test_a_refused_appointment_save_does_not_count_as_written(demo, frozen_clock):
    appointment = appointment_in_ten_days()
    race(
        f"/portal/appointment/{appointment.pk}/change/",
        {"location": "A"},
        {"location": "B"},
    )

    assert Appointment.objects.get(pk=appointment.pk).version == 1
