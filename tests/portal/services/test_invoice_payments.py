"""A payment lowers what an invoice owes, by one rule for the API's payments and a payment
file's rows: more than nothing, no more than is owed, never on a credit note."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from portal.services.invoices import InvoiceData, invoice_payment_register, invoices_import

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 11, 30)


def test_a_payment_lowers_what_is_owed_and_is_audited(seed_invoice, cast):
    version = seed_invoice.version

    invoice = invoice_payment_register(
        invoice=seed_invoice, amount=Decimal("1500"), paid_on=PAID_ON, actor=cast.superuser
    )

    seed_invoice.refresh_from_db()
    assert seed_invoice.outstanding == invoice.outstanding == 0
    assert seed_invoice.version == version + 1
    event = AuditEvent.objects.get(object_id=str(seed_invoice.pk), action=AuditAction.CHANGED)
    assert event.actor == cast.superuser
    assert event.changes["payment"][1] == "1\xa0500,00\xa0kr betalt 30.11.2026"


def test_a_customer_user_registers_no_payment(seed_invoice, cast):
    with pytest.raises(PermissionDenied):
        invoice_payment_register(
            invoice=seed_invoice, amount=Decimal("1"), paid_on=PAID_ON, actor=cast.testweb
        )

    seed_invoice.refresh_from_db()
    assert seed_invoice.outstanding == Decimal("1500")


def test_a_payment_file_paying_more_than_is_owed_is_refused_by_the_same_rule(seed_invoice, cast):
    """1 500 kr owed; a row saying -100 kr is a payment of 1 600 kr."""
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        invoices_import(
            invoices=[InvoiceData(number="2017-118350", fields={"outstanding": Decimal("-100")})],
            actor=cast.superuser,
        )

    assert refused.value.message_dict["2017-118350"] == [
        "Innbetalingen på 1\xa0600,00\xa0kr er mer enn de 1\xa0500,00\xa0kr som er utestående "
        "på faktura 2017-118350."
    ]
    seed_invoice.refresh_from_db()
    assert seed_invoice.outstanding == Decimal("1500")
