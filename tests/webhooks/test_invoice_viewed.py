"""«invoice.viewed»: the first time someone of the customer opens an invoice (its page or its
PDF), the time is kept and the accounting system hears of it, once; staff opening it, another
customer's user and later openings change nothing."""

import datetime

import pytest
import time_machine

from portal.models import Invoice
from tests.factories import InvoiceFactory
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db

OPENED = datetime.datetime(2026, 12, 7, 9, 15, tzinfo=datetime.UTC)


def page(invoice) -> str:
    return f"/portal/invoice/{invoice.pk}/change/"


def pdf(invoice) -> str:
    return f"/portal/invoice/{invoice.pk}/pdf/"


def sent(receiver) -> list[tuple[str, dict]]:
    return [(r["body"]["type"], r["body"]["data"]) for r in receiver.received]


@pytest.fixture
def invoice(cast):
    return InvoiceFactory(payer=cast.tb_bergen, number="2026-900001")


def test_the_customers_first_look_is_kept_and_told_once(
    cast, invoice, endpoint, receiver, login, django_capture_on_commit_callbacks
):
    with time_machine.travel(OPENED, tick=False) as clock:
        client = login(cast.testweb)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(page(invoice)).status_code == 200
        clock.shift(datetime.timedelta(minutes=5))
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(page(invoice)).status_code == 200
            assert client.get(pdf(invoice)).status_code == 200

    invoice.refresh_from_db()
    assert invoice.first_viewed_at == OPENED
    assert sent(receiver) == [
        (
            "invoice.viewed",
            {
                "id": invoice.pk,
                "number": "2026-900001",
                "customer_id": cast.testbedriften.pk,
                "payer_id": cast.tb_bergen.pk,
                "first_viewed_at": OPENED.isoformat(),
            },
        )
    ]


def test_the_pdf_downloaded_first_counts_as_opened(cast, invoice, endpoint, login):
    response = login(cast.testweb).get(pdf(invoice))

    assert response["Content-Type"] == "application/pdf"
    assert Invoice.objects.get(pk=invoice.pk).first_viewed_at is not None
    assert WebhookDelivery.objects.filter(event="invoice.viewed").count() == 1


@pytest.mark.parametrize("who", ["kam", "superuser", "annen"])
def test_staff_and_other_customers_leave_it_unopened(cast, invoice, endpoint, login, who):
    client = login(getattr(cast, who))
    client.get(page(invoice))
    client.get(pdf(invoice))

    assert Invoice.objects.get(pk=invoice.pk).first_viewed_at is None
    assert not WebhookDelivery.objects.filter(event="invoice.viewed").exists()


@time_machine.travel(OPENED, tick=False)
def test_staff_see_when_the_customer_first_opened_it(cast, invoice, login):
    assert "Ikke ennå" in login(cast.superuser).get(page(invoice)).content.decode()

    login(cast.testweb).get(page(invoice))

    shown = login(cast.superuser).get(page(invoice)).content.decode()
    assert "Først åpnet av kunden" in shown
    assert "07.12.2026 10:15" in shown  # Oslo time
