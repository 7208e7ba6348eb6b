"""The staff invoice form (staff with the permission to add or change invoices): the same KID,
organisation number and amount rules as the import."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.models import Department, Invoice, Order
from portal.validators import validate_kid

LINES = "lines"  # the inline's prefix


def nb(msgid: str, **params) -> str:
    with translation.override("nb"):
        text = translation.gettext(msgid)
    return text % params if params else text


def form(payer, **fields) -> dict:
    data = {
        "number": "",
        "payer": payer.pk,
        "invoice_date": "01.06.2024",
        "due_date": "21.06.2024",
        "kid": "1234567897",
        "total": "1500.00",
        "outstanding": "1500.00",
        f"{LINES}-TOTAL_FORMS": "1",
        f"{LINES}-INITIAL_FORMS": "0",
        f"{LINES}-MIN_NUM_FORMS": "0",
        f"{LINES}-MAX_NUM_FORMS": "1000",
        f"{LINES}-0-description": "Helsekontroll",
        f"{LINES}-0-quantity": "1",
        f"{LINES}-0-unit_price": "1500.00",
        f"{LINES}-0-amount": "1500.00",
    }
    data.update(fields)
    return data


def errors(response) -> dict:
    adminform = response.context["adminform"].form
    found = {name: list(messages) for name, messages in adminform.errors.items()}
    for formset in response.context["inline_admin_formsets"]:
        if formset.formset.non_form_errors():
            found["lines"] = list(formset.formset.non_form_errors())
        for line_errors in formset.formset.errors:
            for name, messages in line_errors.items():
                found[f"line-{name}"] = list(messages)
    return found


@pytest.fixture
def admin_client(client, login, demo):
    return login("admin")


@pytest.mark.django_db
def test_staff_add_an_invoice_with_its_lines(admin_client, cast):
    payer = cast.tb_bergen

    response = admin_client.post(
        "/portal/invoice/add/", form(payer, kid="1234 5678 97", **{f"{LINES}-0-order": ""})
    )

    assert response.status_code == 302, errors(response)
    invoice = Invoice.objects.get(payer=payer, invoice_date=datetime.date(2024, 6, 1))
    assert invoice.number.startswith("2024-")
    assert invoice.kid == "1234567897"  # typed in groups, stored as the bank reads it
    assert invoice.lines.get().amount == Decimal("1500")


@pytest.mark.django_db
def test_a_line_without_a_vat_rate_is_exempt(admin_client, cast):
    response = admin_client.post("/portal/invoice/add/", form(cast.tb_bergen))

    assert response.status_code == 302, errors(response)
    line = Invoice.objects.get(invoice_date=datetime.date(2024, 6, 1)).lines.get()
    assert line.vat_rate == 0


@pytest.mark.django_db
def test_a_line_with_vat_adds_its_vat_to_the_total(admin_client, cast):
    """Given a line of 1 500,00 kr at 25 %, the invoice's total is 1 875,00 kr, not 1 500,00."""
    at_25 = {f"{LINES}-0-vat_rate": "25"}

    refused = admin_client.post("/portal/invoice/add/", form(cast.tb_bergen, **at_25))
    saved = admin_client.post(
        "/portal/invoice/add/",
        form(cast.tb_bergen, total="1875.00", outstanding="1875.00", **at_25),
    )

    assert "lines" in errors(refused)
    assert saved.status_code == 302, errors(saved)
    line = Invoice.objects.get(invoice_date=datetime.date(2024, 6, 1)).lines.get()
    assert (line.amount, line.vat_rate, line.vat_amount) == (
        Decimal("1500"),
        Decimal("25"),
        Decimal("375"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kid", ["1234567890", "12AB", "1"])
def test_a_kid_the_bank_would_refuse_is_refused(admin_client, cast, kid):
    response = admin_client.post("/portal/invoice/add/", form(cast.tb_bergen, kid=kid))

    assert response.status_code == 200
    with translation.override("nb"):
        with pytest.raises(ValidationError) as expected:
            validate_kid(kid)
        messages = expected.value.messages
    assert errors(response) == {"kid": messages}


@pytest.mark.django_db
def test_a_payer_without_a_valid_organisation_number_cannot_be_invoiced(admin_client, demo):
    testbedriften = Department.objects.get(name="Testbedriften AS").customer
    # Saved around the model's validation, as old data might have been.
    broken = Department.objects.create(customer=testbedriften, name="Gammel avdeling")
    Department.objects.filter(pk=broken.pk).update(org_number="123456789")
    testbedriften.__class__.objects.filter(pk=testbedriften.pk).update(org_number="998877660")

    response = admin_client.post("/portal/invoice/add/", form(broken))

    assert list(errors(response)) == ["payer"]
    assert "Gammel avdeling" in errors(response)["payer"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outstanding": "2000.00"}, "outstanding"),  # more owed than billed
        ({"due_date": "31.05.2024"}, "__all__"),  # due before the invoice date
        ({f"{LINES}-0-amount": "1400.00", "total": "1400.00", "outstanding": "0"}, "line-amount"),
        ({"total": "1600.00", "outstanding": "0"}, "lines"),  # the lines add up to 1 500
    ],
)
def test_amounts_and_dates_that_do_not_add_up_are_refused(admin_client, cast, fields, field):
    response = admin_client.post("/portal/invoice/add/", form(cast.tb_bergen, **fields))

    assert response.status_code == 200
    assert field in errors(response), errors(response)
    assert not Invoice.objects.filter(invoice_date=datetime.date(2024, 6, 1)).exists()


@pytest.mark.django_db
def test_a_line_cannot_be_for_another_customers_order(admin_client, cast):
    order = Order.objects.get(number=301122)  # Eksempel Industri's

    response = admin_client.post(
        "/portal/invoice/add/",
        form(cast.tb_bergen, **{f"{LINES}-0-order": str(order.pk)}),
    )

    assert errors(response)["lines"] == [
        nb("Order %(number)s belongs to another customer than the payer.", number=301122)
    ]


@pytest.mark.django_db
def test_the_kam_reads_invoices_but_does_not_edit_them(client, login, demo):
    invoice = Invoice.objects.get(number="2017-118350")
    seed_kid = invoice.kid
    login("kam")

    page = client.get(f"/portal/invoice/{invoice.pk}/change/")
    response = client.post(f"/portal/invoice/{invoice.pk}/change/", {"kid": "1234567897"})

    assert page.status_code == 200
    assert 'name="kid"' not in page.text
    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.kid == seed_kid
