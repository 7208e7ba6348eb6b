"""«Spør om en tjeneste» on «Ny bestilling», and «Gjør om til bestilling» on the enquiry's page."""

import pytest

from portal.models import Order, OrderMessage
from portal.models.orders import OrderStatus
from tests.permissions.helpers import form_data

pytestmark = pytest.mark.usefixtures("norwegian")

QUESTION = "Kan dere holde et kurs i ergonomi for lageret?"


def _ask(client, description, department):
    data = form_data(client.get("/portal/order/add/"))
    data.update(description=description, department=str(department.pk), _enquire="1")
    return client.post("/portal/order/add/", data)


def test_testweb_asks_about_a_service_and_lands_on_its_thread(cast, login):
    client = login(cast.testweb)
    assert "Spør om en tjeneste" in client.get("/portal/order/add/").content.decode()

    response = _ask(client, QUESTION, cast.tb_main)

    assert response.status_code == 302, response.context["adminform"].form.errors
    enquiry = Order.objects.get(status=OrderStatus.ENQUIRY)
    assert response["Location"] == f"/portal/order/{enquiry.pk}/change/#meldinger"
    page = client.get(response["Location"]).content.decode()
    assert "Forespørselen er sendt." in page
    assert "Forespørsel" in page
    assert QUESTION in page
    assert enquiry.description == ""
    assert OrderMessage.objects.get(order=enquiry).text == QUESTION


def test_an_enquiry_without_a_question_stays_on_the_form(cast, login):
    client = login(cast.testweb)
    before = Order.objects.count()

    response = _ask(client, "", cast.tb_main)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["description"] == [
        "Skriv hva du vil spørre om."
    ]
    assert Order.objects.count() == before


def test_staff_place_orders_without_the_enquiry_button(cast, login):
    assert "Spør om en tjeneste" not in login(cast.kam).get("/portal/order/add/").content.decode()


def test_the_kam_makes_the_enquiry_an_order(cast, login):
    _ask(login(cast.testweb), QUESTION, cast.tb_main)
    enquiry = Order.objects.get(status=OrderStatus.ENQUIRY)
    client = login(cast.kam)
    assert (
        "Gjør om til bestilling"
        in client.get(f"/portal/order/{enquiry.pk}/change/").content.decode()
    )

    client.post(f"/portal/order/{enquiry.pk}/accept-enquiry/", {"_form_submitted": "on"})

    enquiry.refresh_from_db()
    assert enquiry.status == OrderStatus.AWAITING_SELLER
