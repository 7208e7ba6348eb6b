"""Empty tables say what is missing and what to do about it, not just «Ingen resultater»."""

import re

import pytest

from portal.models import Employee, Invoice
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.usefixtures("norwegian")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_order_without_appointments_says_who_adds_them(cast, hk_order, login):
    page = text_of(login(cast.testweb).get(f"/portal/order/{hk_order.pk}/change/"))

    assert (
        "Ingen timeavtaler ennå. Timeavtaler legges inn av Avonova når bestillingen er godkjent."
        in page
    )
    assert "Ingen fakturaer for denne bestillingen ennå." in page
    assert "Ingenting har skjedd med denne bestillingen ennå." in page


def test_an_appointment_without_bookings_says_how_to_book(cast, make_appointment, login):
    appointment = make_appointment()

    page = text_of(login(cast.testweb).get(f"/portal/appointment/{appointment.pk}/change/"))

    assert "Ingen er booket på denne timeavtalen ennå. Book ansatte med «Book ansatt»" in page


def test_an_employee_without_bookings_says_how_to_book(cast, login):
    page = text_of(login(cast.testweb).get(f"/portal/employee/{cast.donald.pk}/change/"))

    assert "Ingen bookinger ennå. Sett den ansatte på en helsekontroll" in page


def test_an_invoice_without_lines_says_whom_to_ask(cast, login):
    invoice = InvoiceFactory(payer=cast.tb_main)

    page = text_of(login(cast.testweb).get(f"/portal/invoice/{invoice.pk}/change/"))

    assert "Fakturaen har ingen linjer. Spør kundeansvarlig hos Avonova" in page


def test_a_table_with_rows_says_nothing_of_the_kind(cast, login):
    # given a seed invoice, with its one line
    invoice = Invoice.objects.get(number="2017-118350")

    page = text_of(login(cast.testweb).get(f"/portal/invoice/{invoice.pk}/change/"))

    assert "Abonnement bedriftshelsetjeneste" in page
    assert 'data-testid="inline-empty"' not in page


def test_an_empty_employee_list_says_how_to_add_employees(cast, login):
    Employee.objects.filter(customer=cast.testbedriften).delete()

    page = text_of(login(cast.testweb).get("/portal/employee/"))

    assert "Ingen ansatte ennå" in page
    assert "«Legg til ny ansatt»" in page
    assert "«Importer»" in page


def test_a_search_that_finds_no_one_still_says_no_results(cast, login):
    page = text_of(login(cast.testweb).get("/portal/employee/?text=Ingensomhelst"))

    assert "Ingen resultater funnet" in page
    assert "Ingen ansatte ennå" not in page


def test_no_unread_notifications_says_what_would_come(cast, login):
    page = text_of(login(cast.testweb).get("/"))

    assert "Du har ingen uleste varsler. Her får du beskjed når en bestilling venter" in page
