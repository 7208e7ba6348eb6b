"""Finn bestillinger: each field of the panel alone and combined, scoped to the user."""

import datetime

import pytest

from portal.filters.orders import OrderFilterSet
from portal.models import Order
from tests.factories import OrderFactory

from .helpers import (
    autocomplete_source,
    column,
    offered,
    options,
    panel,
    panel_html,
    queries_and_rows,
    query_plan,
    shown_count,
)

TESTBEDRIFTEN = {"204334", "200400", "198279", "306990", "290467", "282207", "277341"}
EKSEMPEL = {"301122", "301188"}


def numbers(response) -> set[str]:
    listed = column(response, "number")
    assert shown_count(response) == len(listed) == response.context["cl"].result_count
    return set(listed)


@pytest.fixture
def bergen_order(cast, product_group):
    """An order of Testbedriften's other department."""
    return OrderFactory(
        department=cast.tb_bergen,
        product_group=product_group("Arbeidsmiljø"),
        order_date=datetime.date(2022, 3, 1),
    )


# -- testweb: Testbedriften's orders only ------------------------------------------------------


@pytest.mark.django_db
def test_without_search_testweb_sees_all_testbedriften_orders(changelist):
    response = changelist("testweb", "order")

    assert numbers(response) == TESTBEDRIFTEN


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"number": "204334"}, {"204334"}),
        ({"order_date_after": "01.01.2021"}, {"306990", "290467"}),
        ({"order_date_before": "29.05.2019"}, {"198279"}),
        ({"status": "awaiting_seller"}, {"204334", "200400", "198279", "277341"}),
        ({"status": "delivered"}, {"282207"}),
    ],
)
def test_each_field_alone_as_testweb(changelist, params, expected):
    response = changelist("testweb", "order", **params)

    assert numbers(response) == expected


@pytest.mark.django_db
def test_product_group_alone_as_testweb(changelist, product_group):
    response = changelist("testweb", "order", product_group=product_group("Helsekontroll (HK)").pk)

    assert numbers(response) == {"200400", "306990", "290467", "282207"}


@pytest.mark.django_db
def test_department_alone_as_testweb(changelist, cast, bergen_order):
    bergen = changelist("testweb", "order", department=cast.tb_bergen.pk)
    main = changelist("testweb", "order", department=cast.tb_main.pk)

    assert numbers(bergen) == {str(bergen_order.number)}
    assert numbers(main) == TESTBEDRIFTEN


@pytest.mark.django_db
def test_fields_combined_as_testweb(changelist, product_group):
    response = changelist(
        "testweb",
        "order",
        status="awaiting_seller",
        product_group=product_group("Allmennhelse").pk,
        order_date_after="01.06.2019",
    )

    assert numbers(response) == {"204334"}


@pytest.mark.django_db
def test_a_date_range_combined_with_status_as_testweb(changelist):
    response = changelist(
        "testweb",
        "order",
        order_date_after="01.01.2020",
        order_date_before="31.12.2020",
        status="delivered",
    )

    assert numbers(response) == {"282207"}


@pytest.mark.django_db
def test_a_date_typed_as_in_the_seed_finds_the_order_of_that_day(changelist):
    response = changelist(
        "testweb", "order", order_date_after="04.07.2019", order_date_before="04.07.2019"
    )

    assert numbers(response) == {"204334"}
    assert 'value="04.07.2019"' in response.text  # the panel shows what was typed


@pytest.mark.django_db
def test_another_customers_order_number_finds_nothing_for_testweb(changelist):
    response = changelist("testweb", "order", number="301122")

    assert numbers(response) == set()
    assert "301122" not in column(response, "number")


# -- kam: every customer, and the customer filter ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, TESTBEDRIFTEN | EKSEMPEL),
        ({"number": "301122"}, {"301122"}),
        ({"status": "approved"}, {"290467", "301122"}),
        (
            {"order_date_after": "01.02.2021", "order_date_before": "31.03.2021"},
            {"301122", "301188"},
        ),
    ],
)
def test_each_field_as_kam(changelist, params, expected):
    response = changelist("kam", "order", **params)

    assert numbers(response) == expected


@pytest.mark.django_db
def test_customer_and_department_as_kam(changelist, cast):
    by_customer = changelist("kam", "order", customer=cast.eksempel.pk)
    by_department = changelist("kam", "order", department=cast.ek_trondheim.pk)
    combined = changelist("kam", "order", customer=cast.testbedriften.pk, status="approved")

    assert numbers(by_customer) == EKSEMPEL
    assert numbers(by_department) == {"301188"}
    assert numbers(combined) == {"290467"}


@pytest.mark.django_db
def test_kam_picks_customer_and_department_by_typing(changelist, client):
    """Staff have thousands of departments: the panel renders none of them, only the
    autocomplete, which offers every customer's, named with their customer."""
    response = changelist("kam", "order")

    assert options(response, "customer") == []
    assert options(response, "department") == []
    assert autocomplete_source(response, "customer") == ("portal", "department", "customer")
    assert autocomplete_source(response, "department") == ("portal", "order", "department")
    assert "select2.full" in response.text  # the script that makes the select a search

    assert offered(client, "department", "customer") == [
        "Eksempel Industri AS",
        "Testbedriften AS",
    ]
    assert offered(client, "order", "department") == [
        "Eksempel Industri AS",
        "Eksempel Industri AS – Eksempel Industri Trondheim",
        "Testbedriften AS – Bergen TEST",
        "Testbedriften AS",
    ]
    assert offered(client, "order", "department", term="bergen") == [
        "Testbedriften AS – Bergen TEST"
    ]
    assert offered(client, "order", "department", term="testbedriften") == [
        "Testbedriften AS – Bergen TEST",
        "Testbedriften AS",
    ]


@pytest.mark.django_db
def test_kam_sees_the_chosen_customer_and_department_named_in_the_panel(changelist, cast):
    bergen = cast.tb_bergen
    response = changelist("kam", "order", customer=bergen.customer_id, department=bergen.pk)

    assert options(response, "customer") == ["Testbedriften AS"]
    assert options(response, "department") == ["Testbedriften AS – Bergen TEST"]
    assert numbers(response) == set()  # Bergen has no orders in the demo


# -- the choices and what a customer user cannot pick ------------------------------------------


@pytest.mark.django_db
def test_department_choices_are_the_users_own(changelist):
    testweb = changelist("testweb", "order")
    annen = changelist("annen", "order")

    assert options(testweb, "department") == ["Bergen TEST", "Testbedriften AS"]
    assert options(annen, "department") == ["Eksempel Industri AS", "Eksempel Industri Trondheim"]


@pytest.mark.django_db
def test_a_customer_user_has_no_customer_filter(changelist):
    response = changelist("testweb", "order")

    assert 'name="customer"' not in response.text
    assert "Eksempel" not in response.text


@pytest.mark.django_db
def test_a_forged_department_of_another_customer_lists_nothing_and_says_why(changelist, cast):
    response = changelist("testweb", "order", department=cast.ek_main.pk)

    assert numbers(response) == set()
    assert "Velg et gyldig valg" in panel(response)
    assert "Eksempel" not in response.text


@pytest.mark.django_db
def test_a_forged_customer_parameter_never_lists_another_customers_orders(client, login, cast):
    login("testweb")

    response = client.get("/portal/order/", {"customer": cast.eksempel.pk}, follow=True)

    assert response.status_code == 200
    assert not set(column(response, "number")) & EKSEMPEL
    assert "Eksempel" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["31.02.2019", "2019-13-01", "i går"])
def test_a_bad_date_says_so_in_the_panel_and_lists_nothing(changelist, bad):
    response = changelist("testweb", "order", order_date_after=bad)

    assert numbers(response) == set()
    assert "Oppgi en gyldig dato." in panel(response)
    assert "Vennligst korriger feil" in panel(response)


@pytest.mark.django_db
def test_an_absurd_order_number_is_refused_not_a_crash(changelist):
    response = changelist("testweb", "order", number="9" * 30)

    assert numbers(response) == set()
    assert "19 eller færre tegn" in panel(response)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", "2904%", "29_4"])
def test_an_order_number_of_other_than_digits_says_so(changelist, bad):
    response = changelist("testweb", "order", number=bad)

    assert numbers(response) == set()
    assert "Skriv bare sifre" in panel(response)


# -- any part of the number finds the order -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2904", {"290467"}),
        ("0467", {"290467"}),
        ("290 467", {"290467"}),
        ("99", {"306990"}),
        ("1188", set()),  # Eksempel's 301188
    ],
)
def test_any_part_of_the_number_finds_testwebs_orders(changelist, typed, expected):
    response = changelist("testweb", "order", number=typed)

    assert numbers(response) == expected


@pytest.mark.django_db
def test_any_part_of_the_number_finds_every_customers_orders_for_kam(changelist):
    response = changelist("kam", "order", number="11")

    assert numbers(response) == {"301122", "301188"}


@pytest.mark.django_db
def test_a_number_part_costs_the_same_queries_as_the_rows_grow(client, login, cast):
    login("testweb")

    before, rows_before = queries_and_rows(client, "/portal/order/", {"number": "77"})
    # Numbers with 77 inside: the next ones handed out (306991, ...) have none, and the
    # search would then list no more rows than before.
    for number in range(770001, 770013):
        OrderFactory(department=cast.tb_main, number=number)
    after, rows_after = queries_and_rows(client, "/portal/order/", {"number": "77"})

    assert rows_after == rows_before + 12
    assert after == before


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_number_part_is_answered_by_a_trigram_index_on_postgresql():
    """Migration 0002's index is only of use if its expression is exactly the one the search
    writes (`number::text LIKE '%2904%'`)."""
    searched = OrderFilterSet.base_filters["number"].filter(Order.objects.order_by(), "2904")

    plan = query_plan(searched)

    assert "order_number_trgm_idx" in plan, plan


# -- the panel sits above the results, and the page costs the same at any size ------------------


@pytest.mark.django_db
def test_the_panel_is_above_the_results_with_the_seeds_fields(changelist):
    response = changelist("testweb", "order")
    text = response.text

    assert text.index('id="search-panel"') < text.index('id="result_list"')
    for name in ("number", "order_date_after", "order_date_before", "status", "department"):
        assert f'name="{name}"' in text
    assert 'name="product_group"' in text


@pytest.mark.django_db
def test_the_search_keeps_the_sorting_and_drops_the_page(changelist):
    response = changelist("testweb", "order", status="approved", o="1", p="2")
    form = panel_html(response)

    assert '<input type="hidden" name="o" value="1">' in form
    assert 'name="p"' not in form
    assert '<input type="hidden" name="status"' not in form


@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_the_rows(client, login, cast, product_group):
    login("testweb")
    params = {
        "order_date_after": "01.01.2000",
        "status": "awaiting_seller",
        "department": cast.tb_main.pk,
        "product_group": product_group("Allmennhelse").pk,
    }

    before, rows_before = queries_and_rows(client, "/portal/order/", params)
    OrderFactory.create_batch(
        15,
        department=cast.tb_main,
        product_group=product_group("Allmennhelse"),
        order_date=datetime.date(2023, 5, 1),
    )
    after, rows_after = queries_and_rows(client, "/portal/order/", params)

    assert rows_after == rows_before + 15
    assert after == before
