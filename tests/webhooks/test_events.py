"""Events: each service emits its event in its own transaction, with a small payload (ids,
numbers, statuses, times: never a name, a national id or anything about health); a change
that is rolled back sends nothing."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import Order
from portal.models.appointments import Attendance
from portal.services import (
    booking_attendance_set,
    booking_cancel,
    booking_create,
    employee_deactivate,
    order_confirm_as_seller,
    order_submit,
)
from portal.services.employees import employee_create, employee_update
from portal.services.messages import order_message_post
from portal.services.orders import order_set_state
from tests.factories import AppointmentFactory, BookingFactory
from webhooks.models import WebhookDelivery

NATIONAL_ID = "02048510011"  # 02.04.1985


def sent(receiver) -> list[tuple[str, dict]]:
    return [(r["body"]["type"], r["body"]["data"]) for r in receiver.received]


def test_order_submitted_tells_the_crm(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_submit(
            actor=cast.testweb, department=cast.tb_bergen, description="Helsekontroll for 4"
        )

    [(event, data)] = sent(receiver)
    assert event == "order.submitted"
    assert data == {
        "id": order.pk,
        "number": order.number,
        "status": "awaiting_seller",
        "state": "started",
        "customer_id": cast.testbedriften.pk,
        "department_id": cast.tb_bergen.pk,
        "contract_id": None,
        "product_group_id": None,
        "order_date": order.order_date.isoformat(),
        "submitted_at": order.submitted_at.isoformat(),
    }
    assert "Helsekontroll for 4" not in json.dumps(receiver.received[0]["body"])


def test_order_status_changes(cast, endpoint, receiver, django_capture_on_commit_callbacks):
    order = Order.objects.get(number=204334)
    order.status, order.state = "awaiting_seller", "active"
    order.save()
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_as_seller(order=order, actor=cast.kam)
        order_set_state(order=order, actor=cast.kam, state="closed")

    changes = [(e, d["changed"], d["previous"], d["status"], d["state"]) for e, d in sent(receiver)]
    assert changes == [
        ("order.status_changed", "status", "awaiting_seller", "awaiting_customer", "active"),
        ("order.status_changed", "state", "active", "awaiting_customer", "closed"),
    ]


def test_a_message_on_an_order_is_told_without_its_text(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    order = Order.objects.get(number=306990)
    with django_capture_on_commit_callbacks(execute=True):
        message = order_message_post(
            order=order, actor=cast.testweb, text="Kan kontrollen flyttes til Bergen-kontoret?"
        )

    [(event, data)] = sent(receiver)
    assert event == "order.message_posted"
    assert data == {
        "id": message.pk,
        "order_id": order.pk,
        "order_number": 306990,
        "from_staff": False,
        "created_at": message.created_at.isoformat(),
    }
    assert "Bergen-kontoret" not in receiver.received[0]["raw"].decode()
    assert receiver.received[0]["verified"]


def test_employee_events_never_carry_the_national_id_or_name(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employee = employee_create(
            actor=cast.testweb,
            department=cast.tb_main,
            first_name="Guffen",
            last_name="Gås",
            email="guffen@example.no",
            national_id=NATIONAL_ID,
        )
        employee_update(employee=employee, actor=cast.testweb, mobile="41234567")
        employee_deactivate(employee=employee, actor=cast.testweb)

    assert [e for e, _d in sent(receiver)] == [
        "employee.created",
        "employee.updated",
        "employee.deactivated",
    ]
    deactivated = sent(receiver)[2][1]
    assert deactivated["id"] == employee.pk
    assert deactivated["customer_id"] == cast.testbedriften.pk
    assert deactivated["is_active"] is False
    assert deactivated["deactivated_at"]
    everything = json.dumps([r["body"] for r in receiver.received], ensure_ascii=False)
    for secret in (NATIONAL_ID, "Guffen", "Gås", "guffen@example.no", "41234567"):
        assert secret not in everything


def test_booking_events(cast, endpoint, receiver, django_capture_on_commit_callbacks):
    appointment = AppointmentFactory(order=Order.objects.get(number=290467))
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.testweb)
        booking_cancel(booking=booking, actor=cast.testweb)

    [(created, data), (cancelled, after)] = sent(receiver)
    assert (created, cancelled) == ("booking.created", "booking.cancelled")
    assert data["id"] == booking.pk
    assert data["appointment_id"] == appointment.pk
    assert data["order_id"] == appointment.order_id
    assert data["employee_id"] == cast.donald.pk
    assert data["customer_id"] == cast.testbedriften.pk
    assert data["attendance"] == "booked"
    assert after["attendance"] == "cancelled"
    assert after["cancelled_at"]
    assert "Donald" not in json.dumps([r["body"] for r in receiver.received])


def test_attendance_set(cast, endpoint, receiver, django_capture_on_commit_callbacks):
    started = timezone.now() - datetime.timedelta(days=1)
    booking = BookingFactory(
        appointment=AppointmentFactory(
            order=Order.objects.get(number=290467),
            starts_at=started,
            ends_at=started + datetime.timedelta(minutes=20),
            booking_deadline=started - datetime.timedelta(days=1),
        ),
        employee=cast.donald,
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.NO_SHOW)

    assert sent(receiver) == [
        ("booking.attendance_set", sent(receiver)[0][1] | {"attendance": "no_show"})
    ]


def test_an_endpoint_hears_only_of_the_events_it_subscribed_to(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint.events = ["booking.created"]
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(actor=cast.testweb, department=cast.tb_main)

    assert receiver.received == []


def order_submitted_then_rolled_back(cast):
    """An order placed in a change that something later in it undoes."""
    with transaction.atomic():
        order_submit(actor=cast.testweb, department=cast.tb_main)
        raise RuntimeError("something later in the same change failed")


def test_a_change_that_is_rolled_back_sends_nothing(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        order_submitted_then_rolled_back(cast)

    assert receiver.received == []
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()


def test_a_refused_change_sends_nothing(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    order = Order.objects.get(number=290467)  # approved: the seller has nothing to confirm
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        order_confirm_as_seller(order=order, actor=cast.kam)

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing_for_real(cast, endpoint, receiver):
    """With real commits: the rolled-back change leaves neither delivery nor POST; the one
    that commits is delivered."""
    with pytest.raises(RuntimeError):
        order_submitted_then_rolled_back(cast)
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()

    order = order_submit(actor=cast.testweb, department=cast.tb_main)

    assert [r["body"]["data"]["number"] for r in receiver.received] == [order.number]
