"""The order pages of the admin: «Ny bestilling», the order page with its buttons, history,
appointments and status explanations, the workflow actions, and opening a notification."""

import datetime
import html
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.services import audit_for
from portal.models import Contract, Notification, Order, OrderEvent
from portal.models.orders import OrderState, OrderStatus
from portal.services import order_confirm_as_seller
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    ContractFactory,
    EmployeeFactory,
    NotificationFactory,
    OrderFactory,
)
from tests.permissions.helpers import form_data
from tests.portal.admin.helpers import ADD_URL, new_order_data

DIALOG_SUBMITTED = {"_form_submitted": "on"}

CONFIRM_AS_CUSTOMER = "Bekreft bestilling"
CONFIRM_AS_SELLER = "Bekreft som selger"
CONFIRM_ON_BEHALF = "Bekreft på vegne av kunden"
MARK_DELIVERED = "Merk som levert"
CHANGE_STATE = "Endre ordrestatus"

STATUS_EXPLANATIONS = [
    "Du har spurt om en tjeneste med «Spør om en tjeneste». Avonova svarer under "
    "«Meldinger»; deretter kan den bli en bestilling.",
    "Bestillingen er ikke bekreftet av selger i CRM-systemet; bestillingen er ikke "
    "gjennomgått av Avonova ennå.",
    "Bekreftet av selger (Avonova): bestillingen er korrekt satt opp, og du trenger å "
    "verifisere at leveransen skal gjennomføres.",
    "Du har klikket på «Bekreft bestilling» i portalen, eller Avonova har bekreftet på "
    "vegne av dere i CRM-systemet.",
    "Bestillingen er bekreftet levert av Avonova.",
]


def change_url(order) -> str:
    return f"/portal/order/{order.pk}/change/"


def action_url(order, path: str) -> str:
    return f"/portal/order/{order.pk}/{path}/"


def _text(response) -> str:
    return response.content.decode()


def _snapshot(order):
    return (
        Order.objects.filter(pk=order.pk).values().get(),
        list(OrderEvent.objects.filter(order=order).values_list("pk", flat=True)),
        Notification.objects.count(),
    )


def _buttons(response) -> list[str]:
    """The workflow buttons at the top of the order page, by their label."""
    return [str(action["title"]) for action in response.context["actions_detail"]]


# -- «Ny bestilling» ----------------------------------------------------------------------


def test_the_new_order_form_offers_testweb_only_testbedriftens_departments_and_contracts(
    cast, login
):
    """Given an expired and a future contract of Testbedriften AS besides its valid one,
    when testweb opens «Ny bestilling», then only Testbedriften's departments and its valid
    contract can be chosen, and nothing of Eksempel Industri is on the page."""
    ContractFactory(
        customer=cast.testbedriften,
        name="Gammel avtale",
        valid_from="2015-01-01",
        valid_to="2016-12-31",
    )
    ContractFactory(customer=cast.testbedriften, name="Fremtidig avtale", valid_from="2099-01-01")

    response = login(cast.testweb).get(ADD_URL)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.fields["department"].queryset) == {cast.tb_main, cast.tb_bergen}
    assert list(form.fields["contract"].queryset) == [cast.tb_contract]
    page = _text(response)
    for hidden in ("Eksempel Industri", "Rammeavtale", "Gammel avtale", "Fremtidig avtale"):
        assert hidden not in page


def test_the_new_order_form_warns_and_says_send_order(cast, login):
    response = login(cast.testweb).get(ADD_URL)

    page = _text(response)
    assert "(Ikke skriv sensitive opplysninger her)" in page
    assert re.search(r"<button[^>]*name=\"_save\"[^>]*>\s*Send bestilling\s*</button>", page), (
        "the submit button should say «Send bestilling»"
    )
    assert "Lagre og fortsett" not in page
    assert "Lagre og legg til ny" not in page


def test_sending_the_new_order_form_places_the_order_and_opens_it(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.testweb)
    before = set(Order.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, new_order_data(cast))

    [order] = Order.objects.exclude(pk__in=before)
    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    assert order.status == OrderStatus.AWAITING_SELLER
    assert order.submitted_by == cast.testweb
    assert order.customer_reference == "abonnement123"
    assert order.description == "Helsekontroll for lageret"
    assert Notification.objects.filter(recipient=cast.kam, link=change_url(order)).exists()

    page = _text(client.get(response["Location"]))
    assert str(order.number) in page
    assert "Venter på selgers godkjenning" in page


def test_staff_choose_the_department_of_a_new_order_by_typing_and_place_it(
    cast, login, django_capture_on_commit_callbacks
):
    """Staff may order for every customer: the department is an autocomplete, not a select of
    every customer's departments."""
    client = login(cast.kam)
    page = client.get(ADD_URL).content.decode()
    select = re.search(r'<select name="department"([^>]*)>(.*?)</select>', page, re.S)
    before = set(Order.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, new_order_data(cast))

    assert select
    assert "admin-autocomplete" in select.group(1)
    assert re.findall(r'<option value="\d+"', select.group(2)) == []
    [order] = Order.objects.exclude(pk__in=before)
    assert response.status_code == 302
    assert (order.department, order.submitted_by) == (cast.tb_main, cast.kam)


def test_staff_find_the_contract_of_a_new_order_by_its_customers_name(cast, login):
    """Every customer has contracts, often named alike: staff type the customer's name and
    each contract found says whose it is and brings its customer reference for the form."""
    tb = cast.tb_contract
    expired = ContractFactory(
        customer=tb.customer,
        name="Gammel avtale",
        valid_from=datetime.date(2019, 1, 1),
        valid_to=datetime.date(2020, 12, 31),
    )
    client = login(cast.kam)
    page = client.get(ADD_URL).content.decode()
    select = re.search(r'<select name="contract"([^>]*)>(.*?)</select>', page, re.S)

    found = client.get(
        "/autocomplete/?app_label=portal&model_name=order&field_name=contract&term="
        + tb.customer.name.split()[0]
    ).json()["results"]

    assert select
    assert "admin-autocomplete" in select.group(1)
    assert 'data-reference-from-choice="true"' in select.group(1)
    assert re.findall(r'<option value="\d+"', select.group(2)) == []
    assert {"id": str(tb.pk), "text": f"{tb.customer.name} – {tb.name}"} | {
        "reference": tb.default_customer_reference
    } in found
    assert str(expired.pk) not in {result["id"] for result in found}
    assert {result["id"] for result in found} <= {
        str(pk) for pk in Contract.objects.filter(customer=tb.customer).values_list("pk", flat=True)
    }


def test_a_customer_picks_among_their_own_contracts_with_their_references_in_the_page(cast, login):
    page = login(cast.testweb).get(ADD_URL).content.decode()
    select = re.search(r'<select name="contract"([^>]*)>(.*?)</select>', page, re.S)

    assert select
    assert "admin-autocomplete" not in select.group(1)
    assert re.findall(r'<option value="(\d+)"', select.group(2)) == [str(cast.tb_contract.pk)]
    references = json.loads(
        html.unescape(re.search(r'data-references="([^"]*)"', select.group(1)).group(1))
    )
    assert references == {str(cast.tb_contract.pk): cast.tb_contract.default_customer_reference}


def test_a_sent_orders_contract_is_a_select_of_its_own_customers_contracts(cast, login):
    order = OrderFactory(department=cast.tb_main, contract=cast.tb_contract)

    page = login(cast.kam).get(f"/portal/order/{order.pk}/change/").content.decode()
    select = re.search(r'<select name="contract"([^>]*)>(.*?)</select>', page, re.S)

    assert select
    assert "admin-autocomplete" not in select.group(1)
    offered = set(re.findall(r'<option value="(\d+)"', select.group(2)))
    assert offered == {str(cast.tb_contract.pk)}


@pytest.mark.parametrize(
    ("field", "forged"),
    [("department", "ek_main"), ("contract", "ek_contract")],
)
def test_a_forged_department_or_contract_of_another_customer_is_refused(cast, login, field, forged):
    """Given testweb's new-order form, when the department (or contract) is swapped for
    Eksempel Industri's by hand, then the form refuses that field and nothing is placed."""
    client = login(cast.testweb)
    before = _order_rows()

    response = client.post(ADD_URL, new_order_data(cast, **{field: str(getattr(cast, forged).pk)}))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert _order_rows() == before
    assert Notification.objects.count() == 0
    page = _text(response)
    assert "Eksempel Industri" not in page
    assert "Rammeavtale" not in page


def test_a_description_with_a_national_id_is_refused_on_the_form_with_the_reason(cast, login):
    client = login(cast.testweb)
    before = _order_rows()

    response = client.post(ADD_URL, new_order_data(cast, description="Gjelder 311299 56715"))

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["description"]
    assert "fødselsnummer" in message
    assert message in _text(response)
    assert _order_rows() == before


def _order_rows():
    return sorted(Order.objects.values_list("number", "department_id", "status"))


# -- the buttons on the order page match the steps this user may take now -----------------


@pytest.mark.parametrize(
    ("user", "status", "expected"),
    [
        ("testweb", OrderStatus.AWAITING_SELLER, []),
        ("testweb", OrderStatus.AWAITING_CUSTOMER, [CONFIRM_AS_CUSTOMER]),
        ("testweb", OrderStatus.APPROVED, []),
        ("testweb", OrderStatus.DELIVERED, []),
        ("orderer", OrderStatus.AWAITING_CUSTOMER, [CONFIRM_AS_CUSTOMER]),
        ("hr", OrderStatus.AWAITING_CUSTOMER, []),
        ("finance", OrderStatus.AWAITING_CUSTOMER, []),
        ("kam", OrderStatus.AWAITING_SELLER, [CONFIRM_AS_SELLER, CHANGE_STATE]),
        ("kam", OrderStatus.AWAITING_CUSTOMER, [CONFIRM_ON_BEHALF, CHANGE_STATE]),
        ("kam", OrderStatus.APPROVED, [MARK_DELIVERED, CHANGE_STATE]),
        ("kam", OrderStatus.DELIVERED, [CHANGE_STATE]),
        ("superuser", OrderStatus.AWAITING_SELLER, [CONFIRM_AS_SELLER, CHANGE_STATE]),
    ],
)
def test_the_order_page_shows_the_buttons_of_the_allowed_steps(
    cast, make_order, login, user, status, expected
):
    order = make_order(status)

    response = login(getattr(cast, user)).get(change_url(order))

    assert response.status_code == 200
    assert _buttons(response) == expected
    page = _text(response)
    for path, label in [
        ("confirm", CONFIRM_AS_CUSTOMER),
        ("confirm-on-behalf", CONFIRM_ON_BEHALF),
        ("confirm-seller", CONFIRM_AS_SELLER),
        ("delivered", MARK_DELIVERED),
        ("state", CHANGE_STATE),
    ]:
        shown = f'href="{action_url(order, path)}"' in page
        assert shown == (label in expected), (path, shown)


# -- a GET of an action URL changes nothing -----------------------------------------------


@pytest.mark.parametrize(
    ("user", "path", "status", "code"),
    [
        ("testweb", "confirm", OrderStatus.AWAITING_CUSTOMER, 200),
        ("kam", "confirm-on-behalf", OrderStatus.AWAITING_CUSTOMER, 200),
        ("kam", "confirm-seller", OrderStatus.AWAITING_SELLER, 200),
        ("kam", "delivered", OrderStatus.APPROVED, 200),
        ("kam", "state", OrderStatus.APPROVED, 200),
        ("testweb", "confirm-seller", OrderStatus.AWAITING_SELLER, 403),
        ("testweb", "delivered", OrderStatus.APPROVED, 403),
        ("testweb", "state", OrderStatus.APPROVED, 403),
    ],
)
def test_a_get_of_an_action_url_changes_nothing(cast, make_order, login, user, path, status, code):
    """Given an order where the step is allowed (or not), when the action's URL is merely
    opened (a link followed, a prefetch), then the dialog is shown (or refused) and nothing
    changes."""
    order = make_order(status)
    before = _snapshot(order)

    response = login(getattr(cast, user)).get(action_url(order, path))

    assert response.status_code == code
    assert _snapshot(order) == before


def test_a_get_of_an_allowed_action_shows_its_confirmation_dialog(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)

    response = login(cast.testweb).get(action_url(order, "confirm"))

    assert response.status_code == 200
    page = _text(response)
    assert 'method="post"' in page
    assert 'name="_form_submitted"' in page
    assert CONFIRM_AS_CUSTOMER in page


# -- the actions post ---------------------------------------------------------------------


def test_testweb_confirms_the_order_through_the_dialog(
    cast, make_order, login, django_capture_on_commit_callbacks
):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    client = login(cast.testweb)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(order, "confirm"), DIALOG_SUBMITTED)

    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.customer_confirmed_by == cast.testweb
    page = _text(client.get(change_url(order)))
    assert "Godkjent" in page
    assert "Bestillingen er godkjent." in page  # the success message
    assert _buttons(client.get(change_url(order))) == []


def test_the_dialog_posted_through_htmx_reloads_the_order_page(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)

    response = login(cast.testweb).post(
        action_url(order, "confirm"), DIALOG_SUBMITTED, headers={"HX-Request": "true"}
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == change_url(order)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_a_post_without_the_dialogs_confirmation_changes_nothing(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    before = _snapshot(order)

    response = login(cast.testweb).post(action_url(order, "confirm"), {})

    assert response.status_code == 200  # the dialog again
    assert _snapshot(order) == before


def test_a_post_without_a_csrf_token_is_refused(cast, make_order):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.testweb)
    before = _snapshot(order)

    response = client.post(action_url(order, "confirm"), DIALOG_SUBMITTED)

    assert response.status_code == 403
    assert _snapshot(order) == before


def test_another_customers_confirmation_answers_as_for_a_missing_order(cast, make_order, login):
    """Given testweb's order awaiting the customer, when annen posts its confirmation, then
    the answer is the one for an order id that does not exist, and nothing changes."""
    order = make_order(OrderStatus.AWAITING_CUSTOMER)
    missing = Order.objects.order_by("-pk").first().pk + 1000
    client = login(cast.annen)
    before = _snapshot(order)

    response = client.post(action_url(order, "confirm"), DIALOG_SUBMITTED)
    response_missing = client.post(f"/portal/order/{missing}/confirm/", DIALOG_SUBMITTED)

    assert response.status_code == response_missing.status_code
    assert response.status_code in (403, 404)
    assert str(order.number) not in _text(response)
    assert "Testbedriften" not in _text(response)
    assert _snapshot(order) == before


def test_a_confirmation_posted_on_an_order_awaiting_the_seller_changes_nothing(
    cast, make_order, login
):
    order = make_order(OrderStatus.AWAITING_SELLER)
    before = _snapshot(order)

    response = login(cast.testweb).post(action_url(order, "confirm"), DIALOG_SUBMITTED)

    assert response.status_code == 403
    assert _snapshot(order) == before


def test_kam_confirms_as_seller_marks_delivered_and_changes_the_state(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER, state=OrderState.STARTED)
    client = login(cast.kam)

    client.post(action_url(order, "confirm-seller"), DIALOG_SUBMITTED)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_CUSTOMER
    assert order.seller_confirmed_by == cast.kam

    client.post(action_url(order, "confirm-on-behalf"), DIALOG_SUBMITTED)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.confirmed_on_behalf is True

    client.post(action_url(order, "delivered"), DIALOG_SUBMITTED)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED

    client.post(action_url(order, "state"), {**DIALOG_SUBMITTED, "state": "closed"})
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED
    page = _text(client.get(change_url(order)))
    assert "Levert" in page
    assert "Avsluttet" in page
    assert "på vegne av kunden" in page


def test_taking_a_step_marks_the_users_notifications_about_the_order_read(cast, make_order, login):
    """Given kam's unread notifications about an order awaiting the seller and about another
    order, and testweb's about the first, when kam confirms the first as seller, then kam's
    notification about it is read, and the other two are still unread."""
    order, other = make_order(OrderStatus.AWAITING_SELLER), make_order(OrderStatus.AWAITING_SELLER)
    about_it = NotificationFactory(recipient=cast.kam, link=change_url(order))
    about_other = NotificationFactory(recipient=cast.kam, link=change_url(other))
    someone_elses = NotificationFactory(recipient=cast.testweb, link=change_url(order))

    login(cast.kam).post(action_url(order, "confirm-seller"), DIALOG_SUBMITTED)

    for notification in (about_it, about_other, someone_elses):
        notification.refresh_from_db()
    assert about_it.read_at is not None
    assert about_other.read_at is None
    assert someone_elses.read_at is None


def test_the_order_page_fetches_its_order_once_for_all_its_buttons(cast, make_order, login):
    """Each button asks whether its step is allowed on this order: they share one fetch of it,
    besides the page's own."""
    order = make_order(OrderStatus.AWAITING_SELLER)
    client = login(cast.kam)
    client.get(change_url(order))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(change_url(order))

    assert _buttons(response) == [CONFIRM_AS_SELLER, CHANGE_STATE]
    fetches = [q["sql"] for q in queries if q["sql"].startswith('SELECT "portal_order"."id"')]
    assert len(fetches) == 2, "\n".join(fetches)


@pytest.mark.parametrize("member", ["testweb", "kam"])
def test_an_order_page_costs_the_same_however_far_the_order_has_come(
    cast, make_order, login, member
):
    """Who sent, confirmed and delivered an order are fetched with it: a delivered order's
    page costs no more queries than a new one's."""
    now = timezone.now()
    new = make_order(OrderStatus.AWAITING_SELLER, submitted_by=cast.orderer, submitted_at=now)
    delivered = make_order(
        OrderStatus.DELIVERED,
        submitted_by=cast.orderer,
        submitted_at=now,
        seller_confirmed_by=cast.kam,
        seller_confirmed_at=now,
        customer_confirmed_by=cast.testweb,
        customer_confirmed_at=now,
        delivered_by=cast.superuser,
        delivered_at=now,
    )
    client = login(getattr(cast, member))
    client.get(change_url(new))

    counts = []
    for order in (new, delivered):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(change_url(order)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_customer_cannot_post_a_staff_step(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER)
    client = login(cast.testweb)
    before = _snapshot(order)

    for path, data in [
        ("confirm-seller", DIALOG_SUBMITTED),
        ("state", {**DIALOG_SUBMITTED, "state": "closed"}),
    ]:
        response = client.post(action_url(order, path), data)
        assert response.status_code == 403, path

    assert _snapshot(order) == before


# -- staff editing an order keep the rules of «Ny bestilling» ------------------------------


@pytest.mark.parametrize(
    "description", ["Gjelder 31129956715", "Ola er sykemeldt og trenger oppfølging"]
)
def test_staff_cannot_edit_a_national_id_or_health_details_into_the_description(
    cast, make_order, login, description
):
    """Given an order on kam's page, when kam writes a national id number or health details
    into the description and saves, then the form refuses it as «Ny bestilling» does."""
    order = make_order(OrderStatus.AWAITING_SELLER, description="Helsekontroll")
    client = login(cast.kam)
    data = form_data(client.get(change_url(order)))
    data.update(description=description, _save="")

    response = client.post(change_url(order), data)

    assert response.status_code == 200, "the edit was saved"
    assert "description" in response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.description == "Helsekontroll"


def test_staff_cannot_give_an_order_a_contract_of_another_customer(cast, make_order, login):
    """Given a Testbedriften order, when kam picks Eksempel Industri's contract for it and
    saves, then the form refuses the contract, as «Ny bestilling» does."""
    order = make_order(OrderStatus.AWAITING_SELLER)
    client = login(cast.kam)
    data = form_data(client.get(change_url(order)))
    data.update(contract=str(cast.ek_contract.pk), _save="")

    response = client.post(change_url(order), data)

    assert response.status_code == 200, "the edit was saved"
    assert "contract" in response.context["adminform"].form.errors
    order.refresh_from_db()
    assert order.contract == cast.tb_contract


def test_staff_editing_an_order_leaves_an_audit_event_of_what_changed(cast, make_order, login):
    """Given an order, when kam corrects its reference and description and saves, then the
    order is changed and the audit trail says who, when, and each field's old and new value."""
    order = make_order(OrderStatus.AWAITING_SELLER, description="Helsekontroll")
    client = login(cast.kam)
    data = form_data(client.get(change_url(order)))
    data.update(customer_reference="PO-4411", description="Helsekontroll, lager", _save="")

    response = client.post(change_url(order), data)

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.customer_reference, order.description) == ("PO-4411", "Helsekontroll, lager")
    [event] = audit_for(order)
    assert (event.actor, event.action) == (cast.kam, "changed")
    assert event.changes["description"] == ["Helsekontroll", "Helsekontroll, lager"]
    assert event.changes["customer_reference"][1] == "PO-4411"
    assert set(event.changes) == {"description", "customer_reference"}
    assert event.created_at is not None


# -- what the order page shows ------------------------------------------------------------


def test_the_order_page_shows_the_history_who_and_from_to(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER)
    order_confirm_as_seller(order=order, actor=cast.kam)

    response = login(cast.testweb).get(change_url(order))

    page = _text(response)
    assert "Historikk" in page
    assert "Kari Kundeansvarlig (KAM)" in page
    assert "Venter på selgers godkjenning → Venter på kundens godkjenning" in page


def test_the_order_page_shows_the_appointments_with_the_booked_employees(cast, make_order, login):
    order = make_order(OrderStatus.APPROVED)
    appointment = AppointmentFactory(order=order, location="Bryggen legekontor")
    BookingFactory(
        appointment=appointment,
        employee=EmployeeFactory(department=cast.tb_main, first_name="Fetter", last_name="Anton"),
    )

    response = login(cast.testweb).get(change_url(order))

    page = _text(response)
    assert "Timeavtaler og bookinger" in page
    assert "Bryggen legekontor" in page
    assert "Fetter Anton" in page


def test_the_order_page_explains_the_four_statuses(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_CUSTOMER)

    response = login(cast.testweb).get(change_url(order))

    page = _text(response)
    for label in (
        "Venter på selgers godkjenning",
        "Venter på kundens godkjenning",
        "Godkjent",
        "Levert",
    ):
        assert f"«{label}»" in page
    for explanation in STATUS_EXPLANATIONS:
        assert explanation in page


# -- notifications: the badge, and opening one --------------------------------------------


def test_the_info_tab_shows_the_unread_notification_with_a_badge(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER)
    NotificationFactory(
        recipient=cast.kam,
        text=f"Ny bestilling {order.number} fra Testbedriften AS",
        link=change_url(order),
    )

    response = login(cast.kam).get("/")

    page = _text(response)
    assert f"Ny bestilling {order.number} fra Testbedriften AS" in page
    info = next(
        item
        for group in response.context["sidebar_navigation"]
        for item in group["items"]
        if item["link"] == "/"
    )
    assert info.get("badge") == "1"


def test_opening_a_notification_marks_it_read_and_goes_to_the_order(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER)
    notification = NotificationFactory(recipient=cast.kam, link=change_url(order))
    client = login(cast.kam)

    response = client.post(f"/varsler/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert str(order.number) in _text(client.get(response["Location"]))


def test_another_users_notification_is_not_found_and_stays_unread(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER)
    notification = NotificationFactory(recipient=cast.kam, link=change_url(order))

    response = login(cast.testweb).post(f"/varsler/{notification.pk}/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_get_of_a_notification_changes_nothing(cast, make_order, login):
    order = make_order(OrderStatus.AWAITING_SELLER)
    notification = NotificationFactory(recipient=cast.kam, link=change_url(order))

    response = login(cast.kam).get(f"/varsler/{notification.pk}/")

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("which", ["another customer's", "none"])
def test_an_order_that_is_not_there_is_told_in_a_sentence(cast, login, which):
    pk = Order.objects.get(number=301122).pk if which == "another customer's" else 999999

    response = login(cast.testweb).get(change_url(Order(pk=pk)), follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert [str(m) for m in response.context["messages"]] == [
        "Bestillingen finnes ikke, eller du har ikke tilgang til den."
    ]
    assert str(pk) not in " ".join(str(m) for m in response.context["messages"])
