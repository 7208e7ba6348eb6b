"""An appointment keeps its order's department, however the appointment or its order is made
or moved: the customer's appointment list is scoped and counted by it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.services import audit_for
from portal.models import Appointment, Order
from portal.services import appointment_series_create, order_move_department
from tests.factories import AppointmentFactory, DepartmentFactory, OrderFactory

pytestmark = pytest.mark.django_db


def stored_department(appointment) -> int:
    return Appointment.objects.values_list("department", flat=True).get(pk=appointment.pk)


def test_a_new_appointment_takes_its_orders_department():
    order = OrderFactory()

    appointment = AppointmentFactory(order=order)

    assert stored_department(appointment) == order.department_id


def test_moved_to_another_order_it_takes_that_orders_department():
    appointment = AppointmentFactory()
    other = OrderFactory(department=DepartmentFactory())

    appointment.order = other
    appointment.save()
    moved_by_field = AppointmentFactory()
    moved_by_field.order = other
    moved_by_field.save(update_fields=["order"])

    assert stored_department(appointment) == other.department_id
    assert stored_department(moved_by_field) == other.department_id


def test_saving_other_fields_leaves_it_and_fetches_nothing_more():
    appointment = Appointment.objects.get(pk=AppointmentFactory().pk)  # its order not loaded
    department = appointment.department_id

    appointment.location = "Skien"
    with CaptureQueriesContext(connection) as queries:
        appointment.save(update_fields=["location"])

    assert len(queries) == 1
    assert stored_department(appointment) == department


def test_a_series_and_a_bulk_create_take_the_orders_department(cast, hk_order):
    day = timezone.localdate() + datetime.timedelta(days=10)
    series = appointment_series_create(
        order=hk_order,
        actor=cast.kam,
        first_date=day,
        start=datetime.time(8),
        end=datetime.time(9),
        every_minutes=20,
        location="Bergen",
    )
    start = timezone.now() + datetime.timedelta(days=3)
    [bulk] = Appointment.objects.bulk_create(
        [
            Appointment(
                order=hk_order,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=20),
                booking_deadline=start,
                location="Bergen",
            )
        ]
    )

    assert {stored_department(a) for a in [*series, bulk]} == {hk_order.department_id}


def test_an_order_moved_to_another_department_takes_its_appointments_along(cast):
    order = OrderFactory(department=cast.tb_main)
    appointments = [AppointmentFactory(order=order) for _ in range(2)]

    moved = order_move_department(order=order, department=cast.tb_bergen, actor=cast.kam)

    assert moved.department == cast.tb_bergen
    assert {stored_department(a) for a in appointments} == {cast.tb_bergen.pk}
    [event] = audit_for(order)
    assert event.changes == {"department": ["Testbedriften AS", "Bergen TEST"]}


def test_an_order_cannot_move_to_another_customer(cast):
    order = OrderFactory(department=cast.tb_main)

    with pytest.raises(ValidationError):
        order_move_department(order=order, department=cast.ek_main, actor=cast.kam)
    with pytest.raises(PermissionDenied):
        order_move_department(order=order, department=cast.tb_bergen, actor=cast.testweb)

    order.refresh_from_db()
    assert order.department == cast.tb_main


def test_saving_an_order_touches_no_appointment():
    order = Order.objects.get(pk=AppointmentFactory().order_id)

    order.customer_reference = "Ny referanse"
    with CaptureQueriesContext(connection) as queries:
        order.save()

    assert len(queries) == 1  # the order's own UPDATE
