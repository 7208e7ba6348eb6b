"""The rows of the permission tests, on the demo world.

Every permission test speaks of the same people, tests/conftest.py's `cast`: the superuser, the
KA/KAM (`kam`), Testbedriften AS's administrator (`testweb`), one Testbedriften user per single
role (`orderer`, `hr`, `finance`), the administrator of "Bergen TEST" only (`bergen`), the user
of the other customer (`annen`), a user without grants (`no_grant`), an inactive user and an
anonymous visitor. `world` is the rows they point at.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from background.mail import mail_queue
from permissions.models import Grant
from portal.models import Invoice, Order
from tests.factories import AppointmentFactory, BookingFactory, OrderFactory


@pytest.fixture
def world(cast):
    """The demo world's rows the tests point at, plus an order in Bergen TEST and an
    appointment with a booking for each customer (the demo has none)."""
    bergen_order = OrderFactory(
        department=cast.tb_bergen,
        product_group=cast.product_group,
        description="Helsekontroll Bergen",
        contract=cast.tb_contract,
    )
    ek_order = Order.objects.get(number=301122)
    tb_appointment = AppointmentFactory(order=Order.objects.get(number=290467), location="Bergen")
    ek_appointment = AppointmentFactory(order=ek_order, location="Trondheim")
    return SimpleNamespace(
        tb_order=Order.objects.get(number=204334),
        bergen_order=bergen_order,
        awaiting_customer_order=Order.objects.get(number=306990),
        approved_order=Order.objects.get(number=290467),
        ek_order=ek_order,
        tb_invoice=Invoice.objects.get(number="2017-118350"),
        bergen_invoice=Invoice.objects.get(number="2017-118352"),
        ek_invoice=Invoice.objects.get(number="2021-119001"),
        tb_appointment=tb_appointment,
        ek_appointment=ek_appointment,
        tb_booking=BookingFactory(appointment=tb_appointment, employee=cast.donald),
        ek_booking=BookingFactory(appointment=ek_appointment, employee=cast.ola),
        tb_grant=Grant.objects.get(user=cast.testweb),
        mail=mail_queue(
            to=["testweb@testikkeibruk.no"], subject="Ny bestilling 204334", body="Hei!"
        ),
        ek_grant=Grant.objects.get(user=cast.annen),
        kam_group=Group.objects.get(name="KA/KAM"),
    )
