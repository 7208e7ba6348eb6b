"""Invoices in the audit trail: made or changed in the staff form, imported from the accounting
system; shown to staff under «Invoices». A refused form or import writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.trail import KINDS
from portal.formatting import format_nok
from portal.models import Invoice
from portal.services.invoices import (
    InvoiceData,
    InvoiceLineData,
    invoice_save,
    invoices_delete,
    invoices_import,
)
from tests.permissions.helpers import form_data
from tests.portal.admin.test_invoice_import import NEW_INVOICES, confirm, preview, xlsx
from tests.portal.admin.test_invoice_staff_form import LINES, form

pytestmark = pytest.mark.django_db

TRAIL = "/revisjonslogg/"


def invoice_events(**filters):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Invoice), **filters
        ).order_by("pk")
    )


def events_of(invoice):
    return invoice_events(object_id=str(invoice.pk))


def trail_rows(client):
    response = client.get(TRAIL, {"kind": "invoices"})
    assert response.status_code == 200
    return response.context["rows"]


def audit_inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith('INSERT INTO "portal_auditevent"'))


def nok(amount) -> str:
    return format_nok(Decimal(amount))


# -- the staff form -------------------------------------------------------------------------


def test_an_invoice_added_in_the_staff_form_is_in_the_trail(login, cast):
    client = login("admin")

    response = client.post("/portal/invoice/add/", form(cast.tb_bergen, **{f"{LINES}-0-order": ""}))

    assert response.status_code == 302
    invoice = Invoice.objects.get(payer__name="Bergen TEST", invoice_date=datetime.date(2024, 6, 1))
    [event] = events_of(invoice)
    assert (event.actor.username, event.action) == ("admin", "created")
    assert event.changes == {
        "number": [None, invoice.number],
        "order": [None, None],
        "payer": [None, "Bergen TEST"],
        "invoice_date": [None, "01.06.2024"],
        "due_date": [None, "21.06.2024"],
        "kid": [None, "1234567897"],
        "total": [None, nok("1500")],
        "outstanding": [None, nok("1500")],
        "is_credit_note": [None, False],
        "lines": [None, f"Helsekontroll 1 × {nok('1500')}"],
    }
    [row] = trail_rows(client)
    assert row.kind == str(KINDS["invoices"].label)
    assert row.object_label == invoice.number
    assert row.object_url == invoice.get_absolute_url()
    assert f"fakturalinjer: Helsekontroll 1 × {nok('1500')}" in row.summary
    assert "betaler: Bergen TEST" in row.summary  # lower case, as every field in a summary
    assert "KID: 1234567897" in row.summary


def test_a_change_in_the_staff_form_records_only_what_changed(login, invoice):
    client = login("admin")
    url = f"/portal/invoice/{invoice.pk}/change/"
    data = form_data(client.get(url))
    data["outstanding"] = "0.00"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = events_of(invoice)
    assert (event.actor.username, event.action) == ("admin", "changed")
    assert event.changes == {"outstanding": [nok("1250.50"), nok("0")]}
    [row] = trail_rows(client)
    assert row.summary == f"utestående: {nok('1250.50')} → {nok('0')}"


def test_saving_the_staff_form_unchanged_writes_no_event(login, invoice):
    client = login("admin")
    url = f"/portal/invoice/{invoice.pk}/change/"

    response = client.post(url, form_data(client.get(url)))

    assert response.status_code == 302
    assert events_of(invoice) == []


def test_a_refused_staff_form_writes_nothing(login, cast, invoice):
    client = login("admin")
    url = f"/portal/invoice/{invoice.pk}/change/"
    data = form_data(client.get(url))
    data["outstanding"] = "9999.00"  # more than the total

    refused_change = client.post(url, data)
    refused_new = client.post("/portal/invoice/add/", form(cast.tb_bergen, kid="12AB"))

    assert refused_change.status_code == refused_new.status_code == 200
    assert invoice_events() == []


def test_an_invoice_deleted_by_staff_stays_in_the_trail_as_it_was(login, invoice):
    """Deleting an invoice, from its page or as an action on the list, leaves what it was."""
    client = login("admin")
    number, pk = invoice.number, invoice.pk
    other = Invoice.objects.exclude(pk=pk).first()

    from_page = client.post(f"/portal/invoice/{pk}/delete/", {"post": "yes"})
    by_action = client.post(
        "/portal/invoice/",
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )

    assert from_page.status_code == by_action.status_code == 302
    assert not Invoice.objects.filter(pk__in=[pk, other.pk]).exists()
    deleted = {event.object_id: event for event in invoice_events(action="deleted")}
    assert set(deleted) == {str(pk), str(other.pk)}
    assert deleted[str(pk)].changes["number"] == [number, None]
    assert deleted[str(pk)].changes["outstanding"] == [nok("1250.50"), None]
    rows = {row.object_label: row for row in trail_rows(client)}
    assert rows[number].action == "Slettet"
    assert f"utestående: {nok('1250.50')}" in rows[number].summary


# -- the import -----------------------------------------------------------------------------


def test_an_import_writes_one_event_per_invoice_in_one_insert(client, login, demo):
    login("kam")
    checked = preview(client, xlsx(NEW_INVOICES))

    with CaptureQueriesContext(connection) as queries:
        confirm(client, checked)

    first = Invoice.objects.get(number="2024-700001")
    second = Invoice.objects.get(number="2024-700002")
    [event] = events_of(first)
    assert (event.actor.username, event.action) == ("kam", "imported")
    assert event.changes == {
        "number": [None, "2024-700001"],
        "order": [None, 290467],
        "payer": [None, "Bergen TEST"],
        "invoice_date": [None, "02.05.2024"],
        "due_date": [None, "22.05.2024"],
        "kid": [None, "1234567892"],
        "total": [None, nok("3000")],
        "outstanding": [None, nok("3000")],
        "is_credit_note": [None, False],
        "lines": [None, f"Helsekontroll 2 × {nok('1500')}"],
    }
    assert events_of(second)[0].changes["lines"] == [
        None,
        f"Psykologsamtale 1 × {nok('1500')} + Reise 1 × {nok('250')}",
    ]
    assert audit_inserts(queries) == 1
    rows = trail_rows(client)
    assert [row.action for row in rows] == ["Importert", "Importert"]
    assert {row.object_label for row in rows} == {"2024-700001", "2024-700002"}


def test_a_payment_file_records_what_is_owed_and_an_unchanged_invoice_nothing(
    client, login, seed_invoice
):
    login("kam")
    payments = [["Fakturanummer", "Utestående"], ["2017-118350", 0]]
    confirm(client, preview(client, xlsx(payments)))

    confirm(client, preview(client, xlsx(payments)))  # the same file again: nothing to change

    [event] = events_of(seed_invoice)
    assert event.action == "imported"
    assert event.changes == {"outstanding": [nok("1500"), nok("0")]}


def test_lines_replaced_by_an_import_are_recorded_old_and_new(cast, invoice):
    line = InvoiceLineData(
        description="Helsekontroll",
        quantity=Decimal("1"),
        unit_price=Decimal("4250.00"),
        amount=Decimal("4250.00"),
    )

    invoices_import(invoices=[InvoiceData(number=invoice.number, lines=[line])], actor=cast.kam)

    [event] = events_of(invoice)
    assert event.changes == {
        "lines": [
            f"Helsekontroll – ÆØÅ æøå 3 × {nok('1000')} + "
            f"Oppfølgingssamtale <b>psykolog</b> 2,5 × {nok('500')}",
            f"Helsekontroll 1 × {nok('4250')}",
        ]
    }


@pytest.mark.parametrize(
    ("member", "fields", "error"),
    [
        ("kam", {"due_date": datetime.date(2024, 2, 1)}, ValidationError),  # before the date
        ("customer_service", {"outstanding": Decimal("0")}, PermissionDenied),
    ],
)
def test_a_refused_import_writes_nothing(cast, invoice, member, fields, error):
    with pytest.raises(error):
        invoices_import(
            invoices=[InvoiceData(number=invoice.number, fields=fields)],
            actor=getattr(cast, member),
        )

    assert invoice_events() == []


def test_invoice_save_is_the_superusers_and_keeps_the_lines_adding_up(cast, invoice):
    lines = list(invoice.lines.all())
    lines[0].amount += Decimal("100.00")

    with pytest.raises(PermissionDenied):
        invoice_save(invoice=invoice, lines=lines, actor=cast.kam)
    with pytest.raises(ValidationError):
        invoice_save(invoice=invoice, lines=lines, actor=cast.superuser)
    with pytest.raises(PermissionDenied):
        invoices_delete(invoices=Invoice.objects.filter(pk=invoice.pk), actor=cast.kam)

    stored = Invoice.objects.get(pk=invoice.pk)
    assert [line.amount for line in stored.lines.all()] == [
        line.amount for line in invoice.lines.all()
    ]
    assert not events_of(invoice)
