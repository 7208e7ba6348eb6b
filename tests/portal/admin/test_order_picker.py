"""The order picker of a new appointment: staff find an order by the start of its number or its
customer's name, each named as «306990 – Testbedriften AS – Helsekontroll (HK)»."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrderFactory
from tests.portal.filters.helpers import offered

EKSEMPEL = {"301122", "301188"}


def picked(client, term: str = "") -> list[str]:
    """The choices the appointment form's order picker offers for `term`."""
    return offered(client, "appointment", "order", term)


def numbers(labels: list[str]) -> set[str]:
    return {label.split(" – ")[0] for label in labels}


@pytest.mark.django_db
def test_an_order_is_named_by_number_customer_and_product_group(cast, login):
    client = login(cast.kam)

    assert picked(client, "306990") == ["306990 – Testbedriften AS – Helsekontroll (HK)"]


@pytest.mark.django_db
def test_an_order_without_a_product_group_is_named_by_number_and_customer(cast, login):
    client = login(cast.kam)

    assert picked(client, "277341") == ["277341 – Testbedriften AS"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("3069", {"306990"}),
        ("30", {"306990", "301122", "301188"}),
        ("2", {"204334", "200400", "290467", "282207", "277341"}),
        ("9904", set()),  # inside a number, not its start
        ("Eksempel", EKSEMPEL),
        ("eksempel industri", EKSEMPEL),
        ("testbedriften 29", {"290467"}),
    ],
)
def test_staff_find_an_order_by_the_start_of_its_number_or_the_customers_name(
    cast, login, term, expected
):
    client = login(cast.kam)

    assert numbers(picked(client, term)) == expected


@pytest.mark.django_db
def test_customer_service_find_every_customers_orders_too(cast, login):
    client = login(cast.customer_service)

    assert numbers(picked(client, "30")) == {"306990", "301122", "301188"}


@pytest.mark.django_db
def test_a_customer_user_is_never_offered_another_customers_order(cast, login):
    client = login(cast.testweb)

    assert not numbers(picked(client)) & EKSEMPEL
    assert picked(client, "Eksempel") == []
    assert picked(client, "3011") == []
    assert "Eksempel" not in " ".join(picked(client, "3"))


@pytest.mark.django_db
def test_the_picker_costs_the_same_queries_for_more_orders(cast, login):
    client = login(cast.kam)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            labels = picked(client, "Testbedriften")
        return len(captured), len(labels)

    before, shown_before = queries()
    OrderFactory.create_batch(5, department=cast.tb_bergen, product_group=cast.product_group)
    after, shown_after = queries()

    assert shown_after == shown_before + 5
    assert after == before


@pytest.mark.django_db
def test_the_new_appointment_form_names_the_chosen_order_as_the_picker_does(cast, login):
    client = login(cast.kam)
    order = cast.testbedriften.departments.get(name="Testbedriften AS").orders.get(number=306990)

    response = client.post("/portal/appointment/add/", {"order": order.pk})

    assert response.status_code == 200  # the form again: the other fields are missing
    assert "306990 – Testbedriften AS – Helsekontroll (HK)" in response.text
