"""The order workflow through the API: the admin's buttons as actions, each on the version
named in If-Match, with the services' own rules on who may take a step and when."""

import pytest

from portal.models import Order, OrderEvent
from portal.models.orders import OrderState, OrderStatus
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _step(client, order, step, data=None, etag=None):
    etag = etag or client.get(f"/api/v1/orders/{order.pk}/")["ETag"]
    return client.post(
        f"/api/v1/orders/{order.pk}/{step}/", data or {}, format="json", HTTP_IF_MATCH=etag
    )


def _status(order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def test_the_crm_walks_an_order_from_seller_to_delivered(staff_api, world):
    order = world.tb_order  # awaiting the seller

    seller = _step(staff_api, order, "confirm-seller")
    assert seller.status_code == 200, seller.content
    assert seller.json()["status"] == OrderStatus.AWAITING_CUSTOMER
    # The answer's ETag is the order's new version: the next step goes on it.
    confirmed = _step(staff_api, order, "confirm", etag=seller["ETag"])
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed["ETag"] != seller["ETag"]
    delivered = _step(staff_api, order, "delivered", etag=confirmed["ETag"])

    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["status"] == OrderStatus.DELIVERED
    assert delivered["ETag"] == staff_api.get(f"/api/v1/orders/{order.pk}/")["ETag"]
    order.refresh_from_db()
    assert order.confirmed_on_behalf  # a token without a customer confirms on its behalf
    assert order.seller_confirmed_by == staff_api.token.user
    assert list(
        OrderEvent.objects.filter(order=order, field=OrderEvent.Field.STATUS)
        .order_by("pk")
        .values_list("to_value", flat=True)
    )[-3:] == [OrderStatus.AWAITING_CUSTOMER, OrderStatus.APPROVED, OrderStatus.DELIVERED]


def test_the_customers_system_confirms_its_own_order(tb_api, world):
    order = world.awaiting_customer_order

    response = _step(tb_api, order, "confirm")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == OrderStatus.APPROVED
    order.refresh_from_db()
    assert not order.confirmed_on_behalf
    assert order.customer_confirmed_by == tb_api.token.user


@pytest.mark.parametrize("step", ["confirm-seller", "delivered", "accept-enquiry"])
def test_a_staff_step_is_403_for_a_customers_token_and_changes_nothing(tb_api, world, step):
    order = world.tb_order if step != "delivered" else world.approved_order
    before = _status(order)

    response = _step(tb_api, order, step)

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Bare Avonovas ansatte kan utføre dette steget."
    assert _status(order) == before


def test_the_order_state_is_staff_only(tb_api, staff_api, world):
    order = world.tb_order

    refused = _step(tb_api, order, "state", {"state": OrderState.CLOSED})
    done = _step(staff_api, order, "state", {"state": OrderState.CLOSED})

    assert refused.status_code == 403
    assert done.status_code == 200, done.content
    assert done.json()["state"] == OrderState.CLOSED


def test_an_unknown_state_is_400_naming_the_field(staff_api, world):
    response = _step(staff_api, world.tb_order, "state", {"state": "lost"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["state"]


@pytest.mark.parametrize(
    "step", ["confirm-seller", "confirm", "delivered", "state", "accept-enquiry"]
)
def test_another_customers_order_is_404_as_one_that_does_not_exist(tb_api, world, step):
    before = _status(world.ek_order)

    response = tb_api.post(
        f"/api/v1/orders/{world.ek_order.pk}/{step}/",
        {"state": OrderState.CLOSED},
        format="json",
        HTTP_IF_MATCH="*",
    )

    assert response.status_code == 404
    assert response.json()["detail"] == tb_api.get("/api/v1/orders/999999999/").json()["detail"]
    assert _status(world.ek_order) == before


def test_a_step_the_status_does_not_allow_is_409_naming_both(staff_api, world):
    order = world.approved_order

    response = _step(staff_api, order, "confirm-seller")

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:kundeportal:problem:conflict"
    assert "Godkjent" in body["detail"]
    assert "Venter på selgers godkjenning" in body["detail"]
    assert _status(order) == OrderStatus.APPROVED


def test_the_refusal_reads_in_english_when_asked(staff_api, world):
    order = world.approved_order
    etag = staff_api.get(f"/api/v1/orders/{order.pk}/")["ETag"]

    response = staff_api.post(
        f"/api/v1/orders/{order.pk}/confirm-seller/",
        HTTP_IF_MATCH=etag,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert "Approved" in response.json()["detail"]


def test_the_same_state_again_is_409(staff_api, world):
    order = world.tb_order
    state = Order.objects.values_list("state", flat=True).get(pk=order.pk)

    response = _step(staff_api, order, "state", {"state": state})

    assert response.status_code == 409


def test_a_stale_etag_is_412_and_the_status_stays(staff_api, world):
    order = world.tb_order
    etag = staff_api.get(f"/api/v1/orders/{order.pk}/")["ETag"]
    # Someone else moves the order on meanwhile (here: its state).
    assert _step(staff_api, order, "state", {"state": OrderState.CLOSED}).status_code == 200

    response = _step(staff_api, order, "confirm-seller", etag=etag)

    assert response.status_code == 412
    assert response.json()["type"] == "urn:kundeportal:problem:stale"
    assert _status(order) == OrderStatus.AWAITING_SELLER


def test_without_if_match_428_and_the_status_stays(staff_api, world):
    order = world.tb_order

    response = staff_api.post(f"/api/v1/orders/{order.pk}/confirm-seller/")

    assert response.status_code == 428
    assert _status(order) == OrderStatus.AWAITING_SELLER


def test_two_systems_on_the_same_etag_one_step_is_taken(staff_api, token, world):
    order = world.tb_order
    other = token(name="Annet system")
    etag = staff_api.get(f"/api/v1/orders/{order.pk}/")["ETag"]

    first = _step(staff_api, order, "confirm-seller", etag=etag)
    second = _step(other, order, "confirm-seller", etag=etag)

    assert (first.status_code, second.status_code) == (200, 412)
    assert OrderEvent.objects.filter(order=order, to_value=OrderStatus.AWAITING_CUSTOMER).count()


def test_an_enquiry_becomes_an_order(staff_api, cast):
    enquiry = OrderFactory(department=cast.tb_main, status=OrderStatus.ENQUIRY)

    response = _step(staff_api, enquiry, "accept-enquiry")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == OrderStatus.AWAITING_SELLER
