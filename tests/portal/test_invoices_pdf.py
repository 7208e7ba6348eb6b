"""«Last ned PDF»: the invoice as a Norwegian PDF, for invoices the user may see and no others."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from pypdf import PdfReader

from portal.models import Invoice
from tests.factories import InvoiceFactory, InvoiceLineFactory
from tests.portal.helpers import pdf_text

MISSING = 999999


def response_text(response) -> str:
    return pdf_text(b"".join(response.streaming_content))


def pages(response) -> int:
    return len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)


@pytest.mark.django_db
def test_the_pdf_is_a_norwegian_invoice(client, login, cast, invoice):
    """Given an invoice with a KID and two lines, when the finance user clicks «Last ned PDF»,
    then they get a PDF naming provider and payer, its number, dates, KID, lines and amounts."""
    login(cast.finance)

    response = client.get(f"/portal/invoice/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="faktura-2024-500001.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = response_text(response)
    for expected in (
        "Avonova",
        "Faktura",
        "Fakturanummer 2024-500001",
        "Fakturadato 01.03.2024",
        "Forfallsdato 21.03.2024",
        "KID 1234567897",
        "Testbedriften AS",
        "Org.nr. 998 877 660",
        "Helsekontroll – ÆØÅ æøå Bestilling 290467, deres ref. abonnement123 "
        "3 1 000,00 kr 0 % Unntatt mva 0,00 kr 3 000,00 kr",
        "Oppfølgingssamtale <b>psykolog</b> Bestilling 282207, deres ref. abonnement123 "
        "2,5 500,00 kr 0 % Unntatt mva 0,00 kr 1 250,00 kr",
        "Sum eks. mva 4 250,00 kr",
        "Mva 0,00 kr",
        "Total 4 250,00 kr",
        "Å betale 1 250,50 kr",
        "Forfalt",
    ):
        assert expected in text, expected


@pytest.mark.django_db
@override_settings(PORTAL_PROVIDER_NAME="Avonova Helse AS")
def test_the_provider_comes_from_the_settings(client, login, cast, invoice):
    login(cast.finance)

    text = response_text(client.get(f"/portal/invoice/{invoice.pk}/pdf/"))

    assert "Avonova Helse AS" in text


@pytest.mark.django_db
def test_a_long_invoice_runs_over_pages_with_every_line(client, login, cast):
    invoice = InvoiceFactory(payer=cast.tb_bergen, total=Decimal("6000"))
    for n in range(60):
        InvoiceLineFactory(
            invoice=invoice,
            description=f"Helsekontroll ansatt nr. {n:02d}",
            unit_price=Decimal("100"),
            amount=Decimal("100"),
        )
    login("testweb")

    response = client.get(f"/portal/invoice/{invoice.pk}/pdf/")
    text = response_text(client.get(f"/portal/invoice/{invoice.pk}/pdf/"))

    assert pages(response) >= 2
    assert all(f"Helsekontroll ansatt nr. {n:02d}" in text for n in range(60))
    assert "Total 6 000,00 kr" in text


@pytest.mark.django_db
def test_a_credit_note_is_titled_so(client, login, cast):
    credit = InvoiceFactory(
        payer=cast.tb_main,
        total=Decimal("-1500"),
        outstanding=Decimal("0"),
        is_credit_note=True,
    )
    login("testweb")

    text = response_text(client.get(f"/portal/invoice/{credit.pk}/pdf/"))

    assert "Kreditnota" in text
    assert "Total -1 500,00 kr" in text
    assert "Kreditert" in text


@pytest.mark.django_db
def test_downloading_changes_nothing_but_when_the_customer_first_opened_it(
    client, login, cast, invoice
):
    login(cast.finance)

    def writes():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/portal/invoice/{invoice.pk}/pdf/")
            b"".join(response.streaming_content)
        return [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]

    [first] = writes()
    assert "first_viewed_at" in first
    assert writes() == []


def _answer(client, url):
    response = client.get(url)
    messages = []
    if response.status_code == 302:
        messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    return response.status_code, response.get("Location"), messages


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["testweb", "finance", "hr"])
def test_another_customers_invoice_pdf_answers_like_a_missing_one(
    client, login, cast, member, other_customers_invoice
):
    """Given Eksempel Industri's invoice, when a Testbedriften user asks for its PDF, then the
    answer is that of an id no invoice has, and no PDF."""
    login({"testweb": "testweb", "finance": cast.finance, "hr": cast.hr}[member])

    theirs = _answer(client, f"/portal/invoice/{other_customers_invoice.pk}/pdf/")
    missing = _answer(client, f"/portal/invoice/{MISSING}/pdf/")

    assert theirs == missing
    assert theirs[0] != 200


@pytest.mark.django_db
def test_the_other_customer_gets_their_own_pdf_and_not_ours(client, login, invoice):
    login("annen")
    own = Invoice.objects.get(number="2021-119001")

    assert client.get(f"/portal/invoice/{own.pk}/pdf/").status_code == 200
    assert _answer(client, f"/portal/invoice/{invoice.pk}/pdf/") == _answer(
        client, f"/portal/invoice/{MISSING}/pdf/"
    )


@pytest.mark.django_db
def test_the_invoice_page_offers_the_download(client, login, cast, invoice):
    login(cast.finance)

    response = client.get(f"/portal/invoice/{invoice.pk}/change/")

    assert f'href="/portal/invoice/{invoice.pk}/pdf/"' in response.text
