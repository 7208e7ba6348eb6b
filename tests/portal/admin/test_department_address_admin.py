"""Staff keep a department's postal address on the department's page and on its customer's."""

import html

import pytest
from django.utils.html import strip_tags

from tests.permissions.helpers import form_data


def text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


@pytest.mark.django_db
def test_staff_save_a_departments_postal_address(client, login, cast):
    """Given the KA/KAM on Bergen TEST's page, when they fill in its address and save, then
    the department has it."""
    login("kam")
    url = f"/portal/department/{cast.tb_bergen.pk}/change/"
    page = client.get(url)
    for label in ("Postadresse", "Postnummer", "Poststed"):
        assert label in text(page), label
    data = form_data(page)
    data.update(postal_address="Strandkaien 2", postal_code="5013", city="Bergen")

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    cast.tb_bergen.refresh_from_db()
    assert cast.tb_bergen.address_lines == ["Strandkaien 2", "5013 Bergen"]


@pytest.mark.django_db
def test_a_wrong_postal_code_is_refused_with_the_reason(client, login, cast):
    login("kam")
    url = f"/portal/department/{cast.tb_bergen.pk}/change/"
    data = form_data(client.get(url))
    data.update(postal_address="Strandkaien 2", postal_code="513", city="Bergen")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Et postnummer har nøyaktig 4 siffer (0–9), for eksempel 0155." in text(response)
    cast.tb_bergen.refresh_from_db()
    assert cast.tb_bergen.address_lines == []


@pytest.mark.django_db
def test_a_control_character_in_the_address_is_refused(client, login, cast):
    """The address takes the rule of every text field: no invisible control characters."""
    login("kam")
    url = f"/portal/department/{cast.tb_bergen.pk}/change/"
    data = form_data(client.get(url))
    data.update(postal_address="Strandkaien\x1b 2")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "usynlig kontrolltegn" in text(response)
    cast.tb_bergen.refresh_from_db()
    assert cast.tb_bergen.postal_address == ""


@pytest.mark.django_db
def test_the_customer_page_edits_its_departments_addresses(client, login, cast):
    """The departments inline on the customer's page has the address fields and saves them."""
    login("kam")
    url = f"/portal/customer/{cast.testbedriften.pk}/change/"
    page = client.get(url)
    data = form_data(page)
    prefix = next(
        key.removesuffix("-TOTAL_FORMS")
        for key in data
        if key.endswith("-TOTAL_FORMS") and key.startswith("departments")
    )
    row = next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data[f"{prefix}-{i}-name"] == "Testbedriften AS"
    )
    data.update(
        {
            f"{prefix}-{row}-postal_address": "Storgata 10",
            f"{prefix}-{row}-postal_code": "0155",
            f"{prefix}-{row}-city": "Oslo",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    cast.tb_main.refresh_from_db()
    assert cast.tb_main.address_lines == ["Storgata 10", "0155 Oslo"]
