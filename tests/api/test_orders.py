"""An order placed through the API is placed as a customer places it: `order_submit`, the
KA/KAM told, the event naming the token."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portal import services
from portal.models import Notification, Order, OrderEvent

pytestmark = pytest.mark.django_db


def test_a_customer_token_places_an_order(tb_api, cast):
    response = tb_api.post(
        "/api/v1/orders/",
        {
            "department": cast.tb_bergen.pk,
            "contract": cast.tb_contract.pk,
            "product_group": cast.product_group.pk,
            "description": "Helsekontroll for nye ansatte",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    order = Order.objects.get(pk=response.json()["id"])
    assert order.status == "awaiting_seller"
    assert order.customer_reference == cast.tb_contract.default_customer_reference
    assert OrderEvent.objects.get(order=order).actor == tb_api.token.user
    assert Notification.objects.filter(recipient=cast.kam, link=order.get_absolute_url()).exists()
    assert response["ETag"] == f'"{order.version}"'


def test_a_refused_order_names_the_field(tb_api, cast):
    response = tb_api.post(
        "/api/v1/orders/",
        {"department": cast.tb_main.pk, "description": "Fødselsnummer 13091850189"},
        format="json",
    )

    assert response.status_code == 400
    assert "description" in response.json()["errors"]
    assert "13091850189" not in response.content.decode()


def test_updated_since_gives_the_orders_changed_since(staff_api, cast, make_order):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=2), tick=False):
        old, confirmed = make_order(), make_order()
    with time_machine.travel(start, tick=False):
        services.order_confirm_as_seller(order=confirmed, actor=cast.kam)
        new = make_order()

    response = staff_api.get("/api/v1/orders/", {"updated_since": start.isoformat()})

    numbers = [row["number"] for row in response.json()["results"]]
    assert confirmed.number in numbers
    assert new.number in numbers
    assert old.number not in numbers


def test_pages_follow_one_another_in_the_order_rows_changed(staff_api, cast):
    seen, url = [], "/api/v1/orders/?page_size=3"
    while url:
        body = staff_api.get(url).json()
        seen += [(row["updated_at"], row["id"]) for row in body["results"]]
        url = body["next"]

    assert len(seen) == Order.objects.count()
    assert len(set(seen)) == len(seen)
    assert [updated for updated, _ in seen] == sorted(updated for updated, _ in seen)


def test_a_customers_token_is_not_told_as_an_approver(tb_api, cast, make_order):
    """The seller's confirmation tells the customer's approvers: people, not the token."""
    order = make_order()

    services.order_confirm_as_seller(order=order, actor=cast.kam)

    assert Notification.objects.filter(recipient=cast.testweb).exists()
    assert not Notification.objects.filter(recipient=tb_api.token.user).exists()
