"""order_submit: «Send bestilling» — who may place an order, and what a new order looks like."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.models import Notification, Order, OrderEvent
from portal.models.orders import OrderState, OrderStatus
from portal.services import order_submit
from tests.factories import ContractFactory, StaffFactory

pytestmark = pytest.mark.usefixtures("norwegian")

SENSITIVE_HINT_NB = "Ikke skriv sensitive opplysninger her."
HIGHEST_DEMO_NUMBER = 306990


def _submit(cast, actor, **fields):
    fields.setdefault("department", cast.tb_main)
    fields.setdefault("contract", cast.tb_contract)
    fields.setdefault("product_group", cast.product_group)
    fields.setdefault("description", "Helsekontroll for verkstedet, høsten")
    return order_submit(actor=actor, **fields)


def _footprint():
    """What a refused submission must leave as it was."""
    return (
        sorted(Order.objects.values_list("number", "status", "state")),
        OrderEvent.objects.count(),
        Notification.objects.count(),
    )


def _messages(error: ValidationError, field: str) -> str:
    assert field in error.message_dict, error.message_dict
    return " ".join(error.message_dict[field])


# -- who may place an order --------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["testweb", "orderer", "kam", "superuser"])
def test_an_allowed_actor_places_an_order_that_awaits_the_seller(frozen_clock, cast, actor):
    """Given someone who may place orders for Testbedriften AS, when they send an order,
    then it awaits the seller's approval, is started, and its first event says who sent it."""
    user = getattr(cast, actor)
    before = timezone.now()

    order = _submit(cast, user, description="Helsekontroll verksted")

    order = Order.objects.get(pk=order.pk)
    assert order.status == OrderStatus.AWAITING_SELLER
    assert order.get_status_display() == "Venter på selgers godkjenning"
    assert order.state == OrderState.STARTED
    assert order.department == cast.tb_main
    assert order.description == "Helsekontroll verksted"
    assert order.submitted_by == user
    assert before <= order.submitted_at <= timezone.now()
    assert order.order_date == timezone.localdate()
    assert order.number > HIGHEST_DEMO_NUMBER
    events = list(order.events.all())
    assert len(events) == 1
    assert events[0].actor == user
    assert events[0].field == OrderEvent.Field.STATUS
    assert (events[0].from_value, events[0].to_value) == ("", OrderStatus.AWAITING_SELLER)
    assert events[0].on_behalf_of_customer is False


def test_each_new_order_gets_a_new_higher_number(cast):
    first = _submit(cast, cast.testweb)
    second = _submit(cast, cast.orderer)

    assert HIGHEST_DEMO_NUMBER < first.number < second.number


@pytest.mark.parametrize("actor", ["hr", "finance", "annen", "bergen"])
def test_an_actor_without_place_orders_on_the_department_is_refused(cast, actor):
    """hr and finance hold no *place orders*; annen belongs to another customer; the Bergen
    administrator holds it on "Bergen TEST" only — none may order for "Testbedriften AS"."""
    before = _footprint()

    with pytest.raises(PermissionDenied):
        _submit(cast, getattr(cast, actor), department=cast.tb_main)

    assert _footprint() == before


def test_the_bergen_administrator_may_order_for_bergen(cast):
    order = _submit(cast, cast.bergen, department=cast.tb_bergen)

    assert order.department == cast.tb_bergen
    assert order.status == OrderStatus.AWAITING_SELLER


def test_a_customer_user_cannot_order_for_another_customers_department(cast):
    """Given testweb, when they send an order for Eksempel Industri's department (and
    contract), then it is refused and nothing is created."""
    before = _footprint()

    with pytest.raises(PermissionDenied):
        _submit(
            cast,
            cast.testweb,
            department=cast.ek_main,
            contract=cast.ek_contract,
        )

    assert _footprint() == before


def test_a_staff_user_without_order_permissions_is_refused(cast):
    staff_without_group = StaffFactory(username="ansatt-uten-gruppe")
    before = _footprint()

    with pytest.raises(PermissionDenied):
        _submit(cast, staff_without_group)

    assert _footprint() == before


# -- the contract --------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["testweb", "kam"])
def test_a_contract_of_another_customer_is_refused(cast, actor):
    before = _footprint()

    with pytest.raises(ValidationError) as refused:
        _submit(cast, getattr(cast, actor), contract=cast.ek_contract)

    assert _messages(refused.value, "contract") == (
        "Kontrakten tilhører ikke valgt bedrift/avdeling."
    )
    assert _footprint() == before


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        pytest.param(-400, -1, id="expired-yesterday"),
        pytest.param(1, None, id="starts-tomorrow"),
    ],
)
def test_a_contract_not_valid_today_is_refused(frozen_clock, cast, valid_from, valid_to):
    today = timezone.localdate()
    contract = ContractFactory(
        customer=cast.testbedriften,
        valid_from=today + datetime.timedelta(days=valid_from),
        valid_to=None if valid_to is None else today + datetime.timedelta(days=valid_to),
    )
    before = _footprint()

    with pytest.raises(ValidationError) as refused:
        _submit(cast, cast.testweb, contract=contract)

    assert _messages(refused.value, "contract") == "Kontrakten er ikke gyldig på bestillingsdatoen."
    assert _footprint() == before


def test_a_contract_valid_from_and_to_today_is_accepted(frozen_clock, cast):
    today = timezone.localdate()
    contract = ContractFactory(customer=cast.testbedriften, valid_from=today, valid_to=today)

    order = _submit(cast, cast.testweb, contract=contract)

    assert order.contract == contract


def test_an_empty_customer_reference_is_filled_from_the_contract(cast):
    order = _submit(cast, cast.testweb, customer_reference="")

    assert Order.objects.get(pk=order.pk).customer_reference == "abonnement123"


def test_a_customer_reference_typed_by_the_customer_is_kept(cast):
    order = _submit(cast, cast.testweb, customer_reference="PO-4711")

    assert Order.objects.get(pk=order.pk).customer_reference == "PO-4711"


# -- the description: no national id numbers, no health details ---------------------------


@pytest.mark.parametrize(
    "description",
    [
        "Gjelder 31129956715",
        "Gjelder 311299 56715",
        "311299 56715",
        "Gjelder 311299-56715 og kollegaene hans",
    ],
)
def test_a_description_with_a_national_id_number_is_refused(cast, description):
    before = _footprint()

    with pytest.raises(ValidationError) as refused:
        _submit(cast, cast.testweb, description=description)

    message = _messages(refused.value, "description")
    assert "fødselsnummer" in message
    assert SENSITIVE_HINT_NB in message
    assert "31129956715" not in message  # the number itself is not echoed back
    assert _footprint() == before


@pytest.mark.parametrize(
    ("description", "word"),
    [
        ("Ola er sykemeldt og trenger oppfølging", "sykemeldt"),
        ("Samtale om diagnose for to ansatte", "diagnose"),
    ],
)
def test_a_description_with_health_details_is_refused(cast, description, word):
    before = _footprint()

    with pytest.raises(ValidationError) as refused:
        _submit(cast, cast.testweb, description=description)

    message = _messages(refused.value, "description")
    assert "helseopplysninger" in message
    assert f"«{word}»" in message
    assert SENSITIVE_HINT_NB in message
    assert _footprint() == before


def test_an_ordinary_description_with_numbers_and_dates_is_accepted(cast):
    description = "Som bestilling 204334: 15 ansatte, oppstart 01.09.2025, tlf. 55 12 34 56"

    order = _submit(cast, cast.testweb, description=description)

    assert Order.objects.get(pk=order.pk).description == description
