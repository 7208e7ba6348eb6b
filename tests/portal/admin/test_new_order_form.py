"""«Ny bestilling» as the seed shows it: what the user has one of is chosen already, the
contract's reference is there when the page opens, and after «Send bestilling» the order's
page says who at Avonova was told."""

import re

import pytest

from portal.models import Notification, Order, ProductGroup
from portal.models.orders import OrderStatus
from tests.portal.admin.helpers import ADD_URL, new_order_data

pytestmark = pytest.mark.usefixtures("norwegian")


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select {name!r} on the page"
    return match.group(1)


def _options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each choice of a select."""
    return [
        (value, label.strip(), "selected" in attrs)
        for value, attrs, label in re.findall(
            r'<option value="([^"]*)"([^>]*)>(.*?)</option>', _select(page, name), re.S
        )
    ]


def _selected(page: str, name: str) -> list[str]:
    """The chosen value, if one is: the empty choice, selected, is none."""
    return [value for value, label, selected in _options(page, name) if selected and value]


def _reference(page: str) -> str | None:
    match = re.search(r'<input[^>]*name="customer_reference"[^>]*>', page)
    assert match, "no customer reference on the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


# -- the page as it opens --------------------------------------------------------------------


def test_the_one_valid_contract_is_chosen_and_its_reference_is_filled_in(cast, login):
    page = login(cast.testweb).get(ADD_URL).content.decode()

    assert _selected(page, "contract") == [str(cast.tb_contract.pk)]
    assert _reference(page) == "abonnement123"


def test_of_two_departments_none_is_chosen_and_the_empty_choice_says_velg(cast, login):
    page = login(cast.testweb).get(ADD_URL).content.decode()

    assert _selected(page, "department") == []
    assert _options(page, "department")[0][:2] == ("", "Velg bedrift/avdeling")


def test_a_user_of_one_department_has_it_chosen_without_an_empty_choice(cast, login):
    page = login(cast.bergen).get(ADD_URL).content.decode()

    assert [(value, label) for value, label, _ in _options(page, "department")] == [
        (str(cast.tb_bergen.pk), "Bergen TEST")
    ]
    assert _selected(page, "department") == [str(cast.tb_bergen.pk)]


def test_the_only_product_group_is_chosen(cast, login):
    Order.objects.update(product_group=cast.product_group)
    ProductGroup.objects.exclude(pk=cast.product_group.pk).delete()

    page = login(cast.testweb).get(ADD_URL).content.decode()

    assert _selected(page, "product_group") == [str(cast.product_group.pk)]


def test_every_empty_choice_reads_velg(cast, login):
    page = login(cast.testweb).get(ADD_URL).content.decode()

    empty = {
        name: _options(page, name)[0][1] for name in ("department", "contract", "product_group")
    }
    assert empty == {
        "department": "Velg bedrift/avdeling",
        "contract": "Velg kontrakt",
        "product_group": "Velg produktgruppe",
    }


def test_the_sensitive_information_hint_is_shown_once(cast, login):
    page = login(cast.testweb).get(ADD_URL).content.decode()

    assert page.count("(Ikke skriv sensitive opplysninger her)") == 1
    assert page.count("kke skriv sensitive opplysninger her") == 1


def test_a_reference_typed_by_the_user_is_kept_when_the_form_comes_back(cast, login):
    data = new_order_data(cast, customer_reference="PO-77", description="")
    data.pop("department")

    page = login(cast.testweb).post(ADD_URL, data).content.decode()

    assert _reference(page) == "PO-77"


# -- «Send bestilling» ------------------------------------------------------------------------


def test_after_sending_the_user_sees_the_order_its_status_and_that_the_kam_was_told(
    cast, login, on_commit, mailoutbox
):
    client = login(cast.testweb)

    with on_commit():
        response = client.post(ADD_URL, new_order_data(cast), follow=True)

    order = Order.objects.get(description="Helsekontroll for lageret")
    assert response.redirect_chain[-1][0] == f"/portal/order/{order.pk}/change/"
    page = response.content.decode()
    assert str(order.number) in page
    assert order.status == OrderStatus.AWAITING_SELLER
    assert "Venter på selgers godkjenning" in page
    assert (
        "Bestillingen er sendt. Kundeansvarlig hos Avonova (Kari Kundeansvarlig (KAM)) har fått "
        "beskjed og bekrefter den. En kvittering er sendt til testweb@testikkeibruk.no." in page
    )
    # ... and it is so: the KA/KAM has the notification and the e-mail with the link.
    assert Notification.objects.filter(recipient=cast.kam, link=order.get_absolute_url()).exists()
    # (and testweb their receipt)
    assert [message.to for message in mailoutbox] == [
        ["kam@example.no"],
        ["testweb@testikkeibruk.no"],
    ]
    assert order.get_absolute_url() in mailoutbox[0].body


def test_without_a_kam_the_user_is_told_customer_service_was(cast, login, on_commit, mailoutbox):
    cast.testbedriften.account_manager = None
    cast.testbedriften.save(update_fields=["account_manager"])
    cast.make("customer_service")
    client = login(cast.testweb)

    with on_commit():
        page = client.post(ADD_URL, new_order_data(cast), follow=True).content.decode()

    assert "Bestillingen er sendt. Kundeservice hos Avonova har fått beskjed" in page
    assert "Kundeansvarlig hos Avonova" not in page
    assert [message.to for message in mailoutbox] == [
        [cast.customer_service.email],
        ["testweb@testikkeibruk.no"],
    ]


def test_when_nobody_at_avonova_could_be_told_the_user_is_not_told_so(cast, login, on_commit):
    cast.testbedriften.account_manager = None
    cast.testbedriften.save(update_fields=["account_manager"])
    client = login(cast.testweb)

    with on_commit():
        page = client.post(ADD_URL, new_order_data(cast), follow=True).content.decode()

    assert "Bestillingen er sendt. Den venter på selgers godkjenning." in page
    assert "har fått beskjed" not in page


def test_the_sent_orders_page_shows_no_hint_for_a_description_that_cannot_be_written(
    cast, make_order, login
):
    order = make_order(description="Helsekontroll for lageret")

    page = login(cast.testweb).get(f"/portal/order/{order.pk}/change/").content.decode()

    assert "Helsekontroll for lageret" in page
    # (the hint belongs to the field of a new message in «Meldinger», which can be written)
    order_fields, thread = page.split('id="meldinger"')
    assert "kke skriv sensitive opplysninger her" not in order_fields
    assert thread.count("kke skriv sensitive opplysninger her") == 1
