"""The order workflow after submission, per actor: every step legal and illegal.

awaiting_seller → awaiting_customer (seller) → approved (customer, or staff on the customer's
behalf) → delivered (staff); the order state (Påbegynt / Aktiv / Avsluttet) is staff's.
A refused step raises and changes nothing: not the order, not its history, no notification.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.models import Notification, Order, OrderEvent
from portal.models.orders import OrderState, OrderStatus
from portal.services import (
    order_confirm_as_customer,
    order_confirm_as_seller,
    order_mark_delivered,
    order_set_state,
)
from tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("norwegian")

CUSTOMER_USERS = ["testweb", "orderer", "hr", "finance", "bergen", "annen"]
STAFF = ["kam", "superuser", "customer_service"]
LABELS = {
    OrderStatus.AWAITING_SELLER: "Venter på selgers godkjenning",
    OrderStatus.AWAITING_CUSTOMER: "Venter på kundens godkjenning",
    OrderStatus.APPROVED: "Godkjent",
    OrderStatus.DELIVERED: "Levert",
}


@pytest.fixture
def staff_without_group(cast):
    """Staff, but in no staff group: no global order permissions."""
    return StaffFactory(username="ansatt-uten-gruppe")


def _actor(cast, name, request):
    if name == "staff_without_group":
        return request.getfixturevalue("staff_without_group")
    return getattr(cast, name)


def _snapshot(order):
    """The order row, its history and every notification: what a refusal must leave alone."""
    return (
        Order.objects.filter(pk=order.pk).values().get(),
        list(OrderEvent.objects.filter(order=order).values_list("pk", flat=True)),
        Notification.objects.count(),
    )


def _status_events(order):
    return list(order.events.filter(field=OrderEvent.Field.STATUS).exclude(from_value=""))


def _assert_wrong_status_message(error, order, current, needed):
    message = " ".join(error.messages)
    assert str(order.number) in message
    assert f"«{LABELS[current]}»" in message
    assert f"«{LABELS[needed]}»" in message


# -- order_confirm_as_seller: staff, from awaiting_seller ---------------------------------


@pytest.mark.parametrize("actor", STAFF)
def test_staff_confirm_as_seller(cast, make_order, actor):
    user = getattr(cast, actor)
    order = make_order(OrderStatus.AWAITING_SELLER)
    before = timezone.now()

    returned = order_confirm_as_seller(order=order, actor=user)

    order.refresh_from_db()
    assert returned.status == order.status == OrderStatus.AWAITING_CUSTOMER
    assert order.seller_confirmed_by == user
    assert before <= order.seller_confirmed_at <= timezone.now()
    assert order.customer_confirmed_by is None
    [event] = _status_events(order)
    assert event.actor == user
    assert (event.from_value, event.to_value) == (
        OrderStatus.AWAITING_SELLER,
        OrderStatus.AWAITING_CUSTOMER,
    )
    assert event.on_behalf_of_customer is False
    assert event.created_at == order.seller_confirmed_at


@pytest.mark.parametrize("actor", [*CUSTOMER_USERS, "staff_without_group"])
def test_no_one_but_staff_confirms_as_seller(cast, make_order, actor, request):
    order = make_order(OrderStatus.AWAITING_SELLER)
    before = _snapshot(order)

    with pytest.raises(PermissionDenied):
        order_confirm_as_seller(order=order, actor=_actor(cast, actor, request))

    assert _snapshot(order) == before


@pytest.mark.parametrize(
    "status", [OrderStatus.AWAITING_CUSTOMER, OrderStatus.APPROVED, OrderStatus.DELIVERED]
)
def test_confirm_as_seller_is_refused_unless_awaiting_seller(cast, make_order, status):
    order = make_order(status)
    before = _snapshot(order)

    with pytest.raises(ValidationError) as refused:
        order_confirm_as_seller(order=order, actor=cast.kam)

    _assert_wrong_status_message(refused.value, order, status, OrderStatus.AWAITING_SELLER)
    assert _snapshot(order) == before


def test_a_stale_order_object_cannot_be_confirmed_as_seller_twice(cast, make_order):
    """Given two KA/KAMs with the same page open, when both press «Bekreft som selger»,
    then the second is refused: the database's status decides, not the object in memory."""
    order = make_order(OrderStatus.AWAITING_SELLER)
    stale = Order.objects.get(pk=order.pk)
    order_confirm_as_seller(order=order, actor=cast.kam)
    before = _snapshot(order)

    with pytest.raises(ValidationError):
        order_confirm_as_seller(order=stale, actor=cast.superuser)

    assert _snapshot(order) == before
    order.refresh_from_db()
    assert order.seller_confirmed_by == cast.kam


# -- order_confirm_as_customer («Bekreft bestilling») -------------------------------------


@pytest.mark.parametrize("actor", ["testweb", "orderer"])
def test_a_customer_user_with_confirm_orders_confirms(cast, make_order, actor):
    user = getattr(cast, actor)
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    before = timezone.now()

    returned = order_confirm_as_customer(order=order, actor=user)

    order.refresh_from_db()
    assert returned.status == order.status == OrderStatus.APPROVED
    assert order.get_status_display() == "Godkjent"
    assert order.customer_confirmed_by == user
    assert before <= order.customer_confirmed_at <= timezone.now()
    assert order.confirmed_on_behalf is False
    [event] = _status_events(order)
    assert event.actor == user
    assert (event.from_value, event.to_value) == (
        OrderStatus.AWAITING_CUSTOMER,
        OrderStatus.APPROVED,
    )
    assert event.on_behalf_of_customer is False
    assert event.created_at == order.customer_confirmed_at


def test_the_bergen_administrator_confirms_a_bergen_order(cast, make_order):
    order = make_order(OrderStatus.AWAITING_CUSTOMER, department=cast.tb_bergen)

    order_confirm_as_customer(order=order, actor=cast.bergen)

    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.customer_confirmed_by == cast.bergen


@pytest.mark.parametrize("actor", STAFF)
def test_staff_confirm_on_the_customers_behalf_and_it_is_recorded(cast, make_order, actor):
    user = getattr(cast, actor)
    order = make_order(OrderStatus.AWAITING_CUSTOMER)

    order_confirm_as_customer(order=order, actor=user)

    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.customer_confirmed_by == user
    assert order.confirmed_on_behalf is True
    [event] = _status_events(order)
    assert event.actor == user
    assert event.on_behalf_of_customer is True
    assert (event.from_value, event.to_value) == (
        OrderStatus.AWAITING_CUSTOMER,
        OrderStatus.APPROVED,
    )


@pytest.mark.parametrize("actor", ["hr", "finance", "bergen", "annen", "staff_without_group"])
def test_confirm_as_customer_is_refused_without_confirm_orders(cast, make_order, actor, request):
    """hr and finance may see the order but not confirm it; the Bergen administrator has no
    access to "Testbedriften AS"; annen belongs to another customer."""
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    before = _snapshot(order)

    with pytest.raises(PermissionDenied):
        order_confirm_as_customer(order=order, actor=_actor(cast, actor, request))

    assert _snapshot(order) == before


@pytest.mark.parametrize("actor", ["testweb", "orderer", "kam", "superuser"])
@pytest.mark.parametrize(
    "status", [OrderStatus.AWAITING_SELLER, OrderStatus.APPROVED, OrderStatus.DELIVERED]
)
def test_confirm_as_customer_is_refused_unless_awaiting_customer(cast, make_order, actor, status):
    order = make_order(status)
    before = _snapshot(order)

    with pytest.raises(ValidationError) as refused:
        order_confirm_as_customer(order=order, actor=getattr(cast, actor))

    _assert_wrong_status_message(refused.value, order, status, OrderStatus.AWAITING_CUSTOMER)
    assert _snapshot(order) == before


def test_a_second_confirmation_is_refused_and_the_first_stands(cast, make_order):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    order_confirm_as_customer(order=order, actor=cast.testweb)
    before = _snapshot(order)

    with pytest.raises(ValidationError):
        order_confirm_as_customer(order=order, actor=cast.orderer)

    assert _snapshot(order) == before
    order.refresh_from_db()
    assert order.customer_confirmed_by == cast.testweb
    assert len(_status_events(order)) == 1


# -- order_mark_delivered: staff, from approved -------------------------------------------


@pytest.mark.parametrize("actor", STAFF)
def test_staff_mark_an_approved_order_delivered(cast, make_order, actor):
    user = getattr(cast, actor)
    order = make_order(OrderStatus.APPROVED)
    before = timezone.now()

    order_mark_delivered(order=order, actor=user)

    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.get_status_display() == "Levert"
    assert order.delivered_by == user
    assert before <= order.delivered_at <= timezone.now()
    [event] = _status_events(order)
    assert (event.actor, event.from_value, event.to_value) == (
        user,
        OrderStatus.APPROVED,
        OrderStatus.DELIVERED,
    )
    assert event.created_at == order.delivered_at


@pytest.mark.parametrize("actor", [*CUSTOMER_USERS, "staff_without_group"])
def test_no_one_but_staff_marks_delivered(cast, make_order, actor, request):
    order = make_order(OrderStatus.APPROVED)
    before = _snapshot(order)

    with pytest.raises(PermissionDenied):
        order_mark_delivered(order=order, actor=_actor(cast, actor, request))

    assert _snapshot(order) == before


@pytest.mark.parametrize(
    "status",
    [OrderStatus.AWAITING_SELLER, OrderStatus.AWAITING_CUSTOMER, OrderStatus.DELIVERED],
)
def test_mark_delivered_is_refused_unless_approved(cast, make_order, status):
    order = make_order(status)
    before = _snapshot(order)

    with pytest.raises(ValidationError) as refused:
        order_mark_delivered(order=order, actor=cast.kam)

    _assert_wrong_status_message(refused.value, order, status, OrderStatus.APPROVED)
    assert _snapshot(order) == before


# -- the whole way, as the seed describes it ----------------------------------------------


def test_an_order_goes_the_whole_way_and_its_history_tells_who_did_what(cast, make_order):
    order = make_order(OrderStatus.AWAITING_SELLER)

    order_confirm_as_seller(order=order, actor=cast.kam)
    order_confirm_as_customer(order=order, actor=cast.testweb)
    order_mark_delivered(order=order, actor=cast.kam)

    history = [
        (e.actor, e.from_value, e.to_value) for e in order.events.order_by("created_at", "pk")
    ]
    assert history == [
        (cast.kam, OrderStatus.AWAITING_SELLER, OrderStatus.AWAITING_CUSTOMER),
        (cast.testweb, OrderStatus.AWAITING_CUSTOMER, OrderStatus.APPROVED),
        (cast.kam, OrderStatus.APPROVED, OrderStatus.DELIVERED),
    ]


# -- order_set_state: staff only ----------------------------------------------------------


@pytest.mark.parametrize("actor", STAFF)
def test_staff_change_the_order_state_and_it_is_in_the_history(cast, make_order, actor):
    user = getattr(cast, actor)
    order = make_order(OrderStatus.APPROVED, state=OrderState.STARTED)

    order_set_state(order=order, actor=user, state=OrderState.ACTIVE)

    order.refresh_from_db()
    assert order.state == OrderState.ACTIVE
    assert order.get_state_display() == "Aktiv"
    assert order.status == OrderStatus.APPROVED  # the approval status is another matter
    [event] = order.events.filter(field=OrderEvent.Field.STATE)
    assert (event.actor, event.from_value, event.to_value) == (
        user,
        OrderState.STARTED,
        OrderState.ACTIVE,
    )


def test_the_state_may_be_given_as_its_value(cast, make_order):
    order = make_order(OrderStatus.DELIVERED, state=OrderState.ACTIVE)

    order_set_state(order=order, actor=cast.kam, state="closed")

    order.refresh_from_db()
    assert order.state == OrderState.CLOSED


@pytest.mark.parametrize("actor", [*CUSTOMER_USERS, "staff_without_group"])
def test_no_one_but_staff_changes_the_order_state(cast, make_order, actor, request):
    order = make_order(OrderStatus.APPROVED, state=OrderState.STARTED)
    before = _snapshot(order)

    with pytest.raises(PermissionDenied):
        order_set_state(order=order, actor=_actor(cast, actor, request), state=OrderState.CLOSED)

    assert _snapshot(order) == before


def test_setting_the_state_it_already_has_is_refused(cast, make_order):
    order = make_order(OrderStatus.APPROVED, state=OrderState.ACTIVE)
    before = _snapshot(order)

    with pytest.raises(ValidationError) as refused:
        order_set_state(order=order, actor=cast.kam, state=OrderState.ACTIVE)

    assert " ".join(refused.value.messages) == (
        f"Bestilling {order.number} har allerede ordrestatus «Aktiv»."
    )
    assert _snapshot(order) == before
