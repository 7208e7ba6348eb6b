"""«Meldinger» on the order's page, «1 ny melding» in the order list, and the messages on Info,
as the users read them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Notification, Order, OrderMessage
from portal.services import order_message_post

pytestmark = pytest.mark.usefixtures("norwegian")

QUESTION = "Kan helsekontrollen flyttes til Bergen-kontoret?"
ANSWER = "Ja, den flyttes til Bergen."


@pytest.fixture
def order(cast):
    return Order.objects.get(number=306990)


def _page(client, order):
    response = client.get(f"/portal/order/{order.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def _post(client, order, text):
    return client.post(f"/portal/order/{order.pk}/messages/", {"text": text})


def test_testweb_writes_and_reads_the_thread_on_the_order_page(cast, order, login):
    """Given order 306990 without messages, when testweb writes, then they land on the thread
    with «Meldingen er sendt.» and their message, author and time."""
    client = login(cast.testweb)
    assert "Ingen meldinger ennå" in _page(client, order)

    response = _post(client, order, QUESTION)

    assert response.status_code == 302
    assert response["Location"] == f"/portal/order/{order.pk}/change/#meldinger"
    text = _page(client, order)
    assert "Meldingen er sendt." in text
    assert "Meldinger" in text
    assert QUESTION in text
    assert "TESTWEB WEB (TESTWEB)" in text


def test_a_refused_message_shows_the_reason_under_the_field_and_keeps_the_text(cast, order, login):
    client = login(cast.testweb)

    response = _post(client, order, "Ansatt 01010012356 har diabetes")

    assert response.status_code == 200
    form = response.context["message_form"]
    assert "fødselsnummer" in form.errors["text"][0]
    text = response.content.decode()
    assert "Ikke skriv sensitive opplysninger her" in text
    assert 'data-testid="message-error"' in text
    assert "01010012356" not in text.split('data-testid="message-error"')[1].split("</div>")[0]
    assert not OrderMessage.objects.exists()


def test_an_empty_message_is_refused_by_the_form(cast, order, login):
    response = _post(login(cast.testweb), order, "  ")

    assert response.status_code == 200
    assert response.context["message_form"].errors["text"]
    assert not OrderMessage.objects.exists()


def test_the_list_and_info_show_new_messages_until_the_order_is_read(cast, order, login):
    """Given kam's answer on 306990, testweb's order list says «1 ny melding» on it and Info
    lists it; once testweb opens the order, both are gone and the notice is read."""
    order_message_post(order=order, actor=cast.testweb, text=QUESTION)
    order_message_post(order=order, actor=cast.kam, text=ANSWER)
    client = login(cast.testweb)

    listed = client.get("/portal/order/").content.decode()
    info = client.get("/").content.decode()
    assert listed.count("1 ny melding") == 1
    assert "Nye meldinger" in info
    assert "1 ny melding" in info
    assert Notification.objects.filter(recipient=cast.testweb).unread().count() == 1

    page = _page(client, order)
    assert ANSWER in page

    assert "ny melding" not in client.get("/portal/order/").content.decode()
    assert "Nye meldinger" not in client.get("/").content.decode()
    assert Notification.objects.filter(recipient=cast.testweb).unread().count() == 0


def test_staff_info_lists_unanswered_customer_messages(cast, order, login):
    order_message_post(order=order, actor=cast.testweb, text=QUESTION)
    client = login(cast.kam)

    info = client.get("/").content.decode()

    assert "Ubesvarte meldinger fra kunder" in info
    assert f'href="/portal/order/{order.pk}/change/#meldinger"' in info

    _post(client, order, ANSWER)
    assert "Ubesvarte meldinger fra kunder" not in client.get("/").content.decode()


def test_the_order_list_counts_unread_messages_without_a_query_per_row(cast, login):
    """Given unread messages on three orders, the list costs what it costs with one."""
    client = login(cast.testweb)
    orders = list(Order.objects.filter(department__customer=cast.testbedriften)[:3])
    order_message_post(order=orders[0], actor=cast.kam, text=ANSWER)
    client.get("/portal/order/")
    with CaptureQueriesContext(connection) as one:
        client.get("/portal/order/")
    for other in orders[1:]:
        order_message_post(order=other, actor=cast.kam, text=ANSWER)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/portal/order/")

    assert response.content.decode().count("1 ny melding") == 3
    assert len(three) == len(one)


@pytest.mark.parametrize("member", ["testweb", "kam"])
def test_info_costs_the_same_with_messages_on_one_order_or_three(cast, login, member):
    """Given unread (for testweb) or unanswered (for kam) messages on one order, then on three,
    Info costs the same number of queries."""
    client = login(getattr(cast, member))
    writer = cast.kam if member == "testweb" else cast.testweb
    orders = list(Order.objects.filter(department=cast.tb_main)[:3])
    order_message_post(order=orders[0], actor=writer, text=ANSWER)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for other in orders[1:]:
        order_message_post(order=other, actor=writer, text=ANSWER)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/")

    assert response.content.decode().count('href="/portal/order/') >= 3
    assert len(three) == len(one)
