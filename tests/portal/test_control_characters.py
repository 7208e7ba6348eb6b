"""An invisible control character (ESC, BEL) typed or pasted into a text field is refused with
a Norwegian message beside the field, and nothing is saved; services called without a form
refuse it too. Tab and line breaks stay allowed in a multi-line field (a description)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from imports.invoice_cells import READERS
from permissions.forms import InviteContactForm
from portal import services
from portal.models import Department, Employee, Order
from portal.text import text_clean, validate_multiline_text, validate_single_line_text
from tests.permissions.helpers import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("norwegian")]

ESC, BEL = "\x1b", "\x07"
MESSAGE_NB = "Teksten inneholder et usynlig kontrolltegn"


def errors_on_page(response):
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.context["adminform"].form.errors


def test_the_employee_form_refuses_esc_beside_the_field(login, demo):
    client = login("testweb")
    data = form_data(client.get("/portal/employee/add/"))
    data.update(
        first_name=f"Fetter{ESC}",
        last_name="Anton",
        email="fetter@testikkeibruk.no",
        department=str(Department.objects.get(name="Testbedriften AS").pk),
    )

    response = client.post("/portal/employee/add/", data)

    errors = errors_on_page(response)
    assert list(errors) == ["first_name"]
    assert MESSAGE_NB in errors["first_name"][0]
    assert MESSAGE_NB in response.content.decode()
    assert not Employee.objects.filter(last_name="Anton").exists()


def test_the_new_order_form_refuses_bel_but_keeps_line_breaks(login, cast):
    client = login(cast.testweb)
    data = {
        "department": str(cast.tb_main.pk),
        "contract": str(cast.tb_contract.pk),
        "product_group": str(cast.product_group.pk),
        "customer_reference": "",
        "description": f"Helsekontroll{BEL} for lageret",
        "_save": "",
    }
    before = Order.objects.count()

    response = client.post("/portal/order/add/", data)

    errors = errors_on_page(response)
    assert MESSAGE_NB in errors["description"][0]
    assert Order.objects.count() == before

    data["description"] = "Helsekontroll\r\nfor\tlageret"
    response = client.post("/portal/order/add/", data)
    assert response.status_code == 302
    assert Order.objects.filter(description="Helsekontroll\r\nfor\tlageret").exists()


def test_a_form_without_a_model_refuses_it_too(cast):
    form = InviteContactForm(
        data={"email": "ny@testikkeibruk.no", "first_name": f"N{ESC}y", "last_name": "Kontakt"},
        customer=cast.testbedriften,
    )

    assert not form.is_valid()
    assert MESSAGE_NB in form.errors["first_name"][0]


def test_services_refuse_it_without_a_form(cast):
    actor = get_user_model().objects.get(username="testweb")
    with pytest.raises(ValidationError) as refused:
        services.employee_create(
            actor=actor,
            department=cast.tb_main,
            first_name="Ola",
            last_name=f"Nord{BEL}mann",
            email="ola.nord@testikkeibruk.no",
        )
    assert set(refused.value.message_dict) == {"last_name"}
    assert not Employee.objects.filter(email="ola.nord@testikkeibruk.no").exists()

    before = Order.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.order_submit(actor=actor, department=cast.tb_main, customer_reference=f"ref{ESC}")
    assert set(refused.value.message_dict) == {"customer_reference"}
    assert Order.objects.count() == before


def test_the_rules():
    for value in (f"a{ESC}", f"a{BEL}", "a\x00", "a\x7f", "a\x9b", "a\tb", "a\nb"):
        with pytest.raises(ValidationError):
            validate_single_line_text(value)
    validate_multiline_text("linje 1\r\nlinje 2\tmed tab")
    with pytest.raises(ValidationError):
        validate_multiline_text(f"linje{ESC}")
    validate_single_line_text("Åse Øvre-Ærlig (å)")
    assert text_clean(f"Hei{ESC}\n{BEL}du") == "Hei\ndu"


def test_the_invoice_import_reads_a_description_without_control_characters():
    """As the employee import reads names: the cell's text, its control characters left out."""
    assert READERS["description"](f"Helse{ESC}kontroll{BEL}\t") == "Helsekontroll"
