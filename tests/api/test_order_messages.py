"""An order's thread («Meldinger») through the API: read by whoever sees the order, written
as the token, the other side told; another customer's thread does not exist."""

import pytest

from portal.models import Notification, OrderMessage
from portal.services.messages import order_message_post

pytestmark = pytest.mark.django_db


def test_the_customers_system_reads_the_thread_oldest_first(tb_api, cast, world):
    order = world.tb_order
    first = order_message_post(order=order, actor=cast.kam, text="Når passer det?")
    second = order_message_post(order=order, actor=cast.testweb, text="Tirsdag.")

    response = tb_api.get(f"/api/v1/orders/{order.pk}/messages/", {"page_size": 1})

    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["id"] for row in body["results"]] == [first.pk]
    assert body["results"][0]["from_staff"] is True
    rest = tb_api.get(body["next"]).json()["results"]
    assert [(row["id"], row["text"]) for row in rest] == [(second.pk, "Tirsdag.")]


def test_a_message_is_written_as_the_token_and_the_kam_is_told(tb_api, cast, world):
    order = world.tb_order

    response = tb_api.post(
        f"/api/v1/orders/{order.pk}/messages/", {"text": "Vi trenger 12 plasser."}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["author_name"] == "Testbedriften HR-system"
    assert response.json()["from_staff"] is False
    message = OrderMessage.objects.get(order=order)
    assert message.author == tb_api.token.user
    assert Notification.objects.filter(recipient=cast.kam, link__contains=str(order.pk)).exists()


def test_a_national_id_in_a_message_is_refused_naming_text(tb_api, world):
    response = tb_api.post(
        f"/api/v1/orders/{world.tb_order.pk}/messages/",
        {"text": "Fødselsnummer 13091850189"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["text"]
    assert not OrderMessage.objects.filter(order=world.tb_order).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_customers_thread_is_404(tb_api, cast, world, method):
    order_message_post(order=world.ek_order, actor=cast.annen, text="Hemmelig plan")

    response = getattr(tb_api, method)(
        f"/api/v1/orders/{world.ek_order.pk}/messages/", {"text": "Hei"}, format="json"
    )

    assert response.status_code == 404
    assert "Hemmelig" not in response.content.decode()
    assert OrderMessage.objects.filter(order=world.ek_order).count() == 1


def test_reading_needs_orders_read_and_writing_orders_write(token, world):
    reader = token(["orders:read"], name="Leser")

    assert reader.get(f"/api/v1/orders/{world.tb_order.pk}/messages/").status_code == 200
    refused = reader.post(
        f"/api/v1/orders/{world.tb_order.pk}/messages/", {"text": "Hei"}, format="json"
    )
    assert refused.status_code == 403
    assert not OrderMessage.objects.filter(order=world.tb_order).exists()
