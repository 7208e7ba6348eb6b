"""«Spør om en tjeneste»: an enquiry is an order in «Forespørsel» whose question is its first
message; the KA/KAM answers and turns it into an order, after which the workflow is the same."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification, Order, OrderMessage
from portal.models.orders import OrderStatus
from portal.services import (
    order_confirm_as_customer,
    order_confirm_as_seller,
    order_enquire,
    order_enquiry_accept,
    order_message_post,
)

pytestmark = pytest.mark.usefixtures("norwegian")

QUESTION = "Kan dere holde et kurs i ergonomi for 20 ansatte på lageret?"


def _enquire(cast, actor=None, **fields):
    fields.setdefault("department", cast.tb_main)
    fields.setdefault("product_group", cast.product_group)
    return order_enquire(actor=actor or cast.testweb, text=QUESTION, **fields)


def test_an_enquiry_is_an_order_in_forespørsel_with_the_question_as_its_message(
    cast, on_commit, mailoutbox
):
    with on_commit():
        order = _enquire(cast)

    assert order.status == OrderStatus.ENQUIRY
    assert order.get_status_display() == "Forespørsel"
    assert order.submitted_by == cast.testweb
    [message] = OrderMessage.objects.filter(order=order)
    assert (message.text, message.author) == (QUESTION, cast.testweb)
    assert [n.recipient for n in Notification.objects.all()] == [cast.kam]
    [mail] = mailoutbox
    assert QUESTION not in mail.body


def test_an_enquiry_without_a_question_is_refused_under_the_description(cast):
    before = Order.objects.count()
    with pytest.raises(ValidationError) as refused:
        order_enquire(actor=cast.testweb, department=cast.tb_main, text="  ")

    assert refused.value.message_dict["description"] == ["Skriv en melding."]
    assert Order.objects.count() == before


def test_who_may_not_place_orders_may_not_ask(cast):
    before = Order.objects.count()
    for member in ("hr", "finance", "annen", "bergen"):
        with pytest.raises(PermissionDenied):
            _enquire(cast, actor=getattr(cast, member))

    assert Order.objects.count() == before


def test_the_kam_answers_and_turns_it_into_an_order_that_goes_on_as_any_order(cast):
    order = _enquire(cast)
    order_message_post(order=order, actor=cast.kam, text="Ja, det kan vi. Jeg legger den inn.")

    with pytest.raises(ValidationError):  # not an order yet: the seller's step waits
        order_confirm_as_seller(order=order, actor=cast.kam)
    order = order_enquiry_accept(order=order, actor=cast.kam)
    assert order.status == OrderStatus.AWAITING_SELLER
    order = order_confirm_as_seller(order=order, actor=cast.kam)
    order = order_confirm_as_customer(order=order, actor=cast.testweb)

    assert order.status == OrderStatus.APPROVED
    assert [e.to_value for e in order.events.all()] == [
        "enquiry",
        "awaiting_seller",
        "awaiting_customer",
        "approved",
    ]


def test_a_customer_cannot_turn_an_enquiry_into_an_order(cast):
    order = _enquire(cast)

    with pytest.raises(PermissionDenied):
        order_enquiry_accept(order=order, actor=cast.testweb)

    order.refresh_from_db()
    assert order.status == OrderStatus.ENQUIRY


def test_only_an_enquiry_is_turned_into_an_order(cast):
    order = Order.objects.get(number=306990)

    with pytest.raises(ValidationError) as refused:
        order_enquiry_accept(order=order, actor=cast.kam)

    assert "Forespørsel" in refused.value.messages[0]
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_CUSTOMER
