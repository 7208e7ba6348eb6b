"""The accounting system reads, creates and changes invoices with their lines and registers
the bank's payments, through the services staff and the invoice import use; a customer's token
reads its own customer's invoices and writes none."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from api.scopes import Scope
from audit.models import AuditAction, AuditEvent
from portal.models import Invoice
from portal.validators import kid_make

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
INVOICE_SCOPES = [Scope.INVOICES_READ, Scope.INVOICES_WRITE]
# A day after every demo invoice's due date: the unpaid ones are overdue.
TODAY = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def accounting(token):
    """The accounting system's token: no customer, the invoice scopes."""
    return token(INVOICE_SCOPES, name="Regnskap")


@pytest.fixture
def tb_invoice(world):
    return world.tb_invoice  # 2017-118350, Testbedriften AS, 1 500 kr owed


def new_invoice(payer, **fields) -> dict:
    return {
        "number": "2026-900001",
        "payer": payer.pk,
        "invoice_date": "2026-11-20",
        "due_date": "2026-12-10",
        "kid": kid_make(reference="2026900001"),
        "total": "2250.00",
        "lines": [
            {"description": "Helsekontroll", "quantity": "2", "unit_price": "750.00"},
            {"description": "Audiometri", "quantity": "1", "unit_price": "750.00"},
        ],
    } | fields


def pay(client, invoice, amount, **headers):
    return client.post(
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount": amount, "paid_on": "2026-11-30", "reference": "Arkiv 4711"},
        format="json",
        **headers,
    )


# -- reading ---------------------------------------------------------------------------------


def test_an_invoice_reads_with_its_lines_status_and_what_is_owed(accounting, tb_invoice, cast):
    response = accounting.get(f"/api/v1/invoices/{tb_invoice.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "2017-118350"
    assert body["payer"] == cast.tb_main.pk
    assert body["customer"] == cast.testbedriften.pk
    assert body["outstanding"] == "1500.00"
    assert body["status"] == "overdue"
    assert [line["description"] for line in body["lines"]] == [
        line.description for line in tb_invoice.lines.all()
    ]
    assert response["ETag"] == f'"{tb_invoice.version}"'


def test_the_list_filters_by_status_and_by_time_of_change(accounting, tb_invoice, world):
    overdue = accounting.get("/api/v1/invoices/?status=overdue&page_size=500").json()["results"]
    assert tb_invoice.number in {row["number"] for row in overdue}
    since = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()

    with time_machine.travel(TODAY + datetime.timedelta(minutes=2), tick=False):
        pay(accounting, tb_invoice, "100.00")
        changed = accounting.get("/api/v1/invoices/", {"updated_since": since}).json()

    assert [row["number"] for row in changed["results"]] == [tb_invoice.number]


def test_a_customer_token_reads_its_own_invoices_only(token, cast, world):
    client = token([Scope.INVOICES_READ], customer=cast.testbedriften)

    listed = client.get("/api/v1/invoices/?page_size=500").json()["results"]
    other = client.get(f"/api/v1/invoices/{world.ek_invoice.pk}/")
    missing = client.get("/api/v1/invoices/999999/")

    assert {row["customer"] for row in listed} == {cast.testbedriften.pk}
    assert world.tb_invoice.number in {row["number"] for row in listed}
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


def test_the_list_pins_its_number_of_queries(accounting, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = accounting.get("/api/v1/invoices/?page_size=500")

    assert len(response.json()["results"]) == Invoice.objects.count()


@pytest.mark.parametrize(("method", "url"), [("get", "/api/v1/invoices/")])
def test_without_the_invoice_scope_403(token, method, url):
    client = token([Scope.ORDERS_READ])

    response = getattr(client, method)(url)

    assert response.status_code == 403
    assert Scope.INVOICES_READ in response.json()["detail"]


# -- writing ---------------------------------------------------------------------------------


def test_the_accounting_system_creates_an_invoice_with_its_lines(accounting, cast):
    response = accounting.post("/api/v1/invoices/", new_invoice(cast.tb_bergen), format="json")

    assert response.status_code == 201, response.content
    invoice = Invoice.objects.get(number="2026-900001")
    assert invoice.payer == cast.tb_bergen
    assert invoice.outstanding == invoice.total == Decimal("2250")
    assert [(line.description, line.amount) for line in invoice.lines.all()] == [
        ("Helsekontroll", Decimal("1500")),
        ("Audiometri", Decimal("750")),
    ]
    assert response.json()["status"] == "unpaid"
    assert response["ETag"] == f'"{invoice.version}"'
    event = AuditEvent.objects.get(object_id=str(invoice.pk), action=AuditAction.CREATED)
    assert event.actor == accounting.token.user
    assert "Regnskap" in event.actor.get_full_name()


def test_lines_that_do_not_add_up_to_the_total_are_refused_by_field(accounting, cast):
    response = accounting.post(
        "/api/v1/invoices/", new_invoice(cast.tb_main, total="2000.00"), format="json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"]["lines"] == [
        "Linjene summerer seg til 2\xa0250,00\xa0kr, men totalbeløpet er 2\xa0000,00\xa0kr."
    ]
    assert not Invoice.objects.filter(number="2026-900001").exists()


def test_the_refusal_is_in_english_when_asked(accounting, cast):
    response = accounting.post(
        "/api/v1/invoices/",
        new_invoice(cast.tb_main, total="2000.00"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.json()["errors"]["lines"] == [
        "The lines add up to 2\xa0250,00\xa0kr, but the total is 2\xa0000,00\xa0kr."
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kid": "12345678"}, "kid"),
        ({"number": "2026 900001"}, "number"),
        ({"number": "2017-118350"}, "number"),
        ({"due_date": "2026-11-01"}, "due_date"),
    ],
)
def test_a_wrong_field_is_named(accounting, cast, world, fields, field):
    response = accounting.post(
        "/api/v1/invoices/", new_invoice(cast.tb_main, **fields), format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_a_line_of_another_customers_order_is_refused(accounting, cast, world):
    data = new_invoice(cast.tb_main)
    data["lines"][0]["order"] = world.ek_order.pk

    response = accounting.post("/api/v1/invoices/", data, format="json")

    assert response.status_code == 400
    assert "Linje 1" in response.json()["errors"]["lines"][0]


def test_a_customer_token_may_not_write_invoices(token, cast, tb_invoice):
    client = token(INVOICE_SCOPES, customer=cast.testbedriften)
    etag = f'"{tb_invoice.version}"'

    created = client.post("/api/v1/invoices/", new_invoice(cast.tb_main), format="json")
    changed = client.patch(
        f"/api/v1/invoices/{tb_invoice.pk}/", {"kid": ""}, format="json", HTTP_IF_MATCH=etag
    )
    paid = pay(client, tb_invoice, "1500.00")

    assert [created.status_code, changed.status_code, paid.status_code] == [403, 403, 403]
    assert not Invoice.objects.filter(number="2026-900001").exists()
    tb_invoice.refresh_from_db()
    assert (tb_invoice.outstanding, tb_invoice.kid) != (Decimal("0"), "")


def test_a_change_replaces_the_lines_on_the_version_it_was_made_on(accounting, tb_invoice):
    etag = accounting.get(f"/api/v1/invoices/{tb_invoice.pk}/")["ETag"]

    response = accounting.patch(
        f"/api/v1/invoices/{tb_invoice.pk}/",
        {
            "total": "1600.00",
            "outstanding": "1600.00",
            "lines": [
                {"description": "Abonnement", "unit_price": "1500.00"},
                {"description": "Reise", "unit_price": "100.00"},
            ],
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.content
    assert [line["description"] for line in response.json()["lines"]] == ["Abonnement", "Reise"]
    assert response["ETag"] != etag
    assert AuditEvent.objects.filter(
        object_id=str(tb_invoice.pk), action=AuditAction.CHANGED, actor=accounting.token.user
    ).exists()


def test_two_changes_with_the_same_etag_one_412_and_the_first_stays(accounting, tb_invoice):
    etag = accounting.get(f"/api/v1/invoices/{tb_invoice.pk}/")["ETag"]
    url = f"/api/v1/invoices/{tb_invoice.pk}/"

    first = accounting.patch(url, {"due_date": "2018-02-01"}, format="json", HTTP_IF_MATCH=etag)
    second = accounting.patch(url, {"due_date": "2018-03-01"}, format="json", HTTP_IF_MATCH=etag)
    without = accounting.patch(url, {"due_date": "2018-03-01"}, format="json")

    assert (first.status_code, second.status_code, without.status_code) == (200, 412, 428)
    assert second.json()["type"] == "urn:kundeportal:problem:stale"
    tb_invoice.refresh_from_db()
    assert tb_invoice.due_date == datetime.date(2018, 2, 1)


def test_an_invoice_keeps_its_number(accounting, tb_invoice):
    response = accounting.patch(
        f"/api/v1/invoices/{tb_invoice.pk}/",
        {"number": "2017-999999"},
        format="json",
        HTTP_IF_MATCH=f'"{tb_invoice.version}"',
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["number"]


# -- payments --------------------------------------------------------------------------------


def test_a_payment_lowers_what_is_owed_until_the_invoice_is_paid(accounting, tb_invoice):
    part = pay(accounting, tb_invoice, "1000.00")
    rest = pay(accounting, tb_invoice, "500.00")

    assert part.status_code == rest.status_code == 200, part.content
    assert (part.json()["outstanding"], part.json()["status"]) == ("500.00", "overdue")
    assert (rest.json()["outstanding"], rest.json()["status"]) == ("0.00", "paid")
    tb_invoice.refresh_from_db()
    assert tb_invoice.outstanding == 0


def test_a_payment_is_audited_with_the_tokens_name(accounting, tb_invoice):
    pay(accounting, tb_invoice, "1500.00")

    event = AuditEvent.objects.get(object_id=str(tb_invoice.pk), action=AuditAction.CHANGED)
    assert event.actor == accounting.token.user
    assert event.actor.get_full_name() == "API: Regnskap"
    assert event.changes["outstanding"] == ["1\xa0500,00\xa0kr", "0,00\xa0kr"]
    assert "Arkiv 4711" in event.changes["payment"][1]


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("1500.01", "er mer enn de 1\xa0500,00\xa0kr som er utestående"),
        ("-100.00", "må være mer enn 0,00"),
        ("0", "må være mer enn 0,00"),
    ],
)
def test_a_payment_of_more_than_is_owed_or_of_nothing_is_refused(
    accounting, tb_invoice, amount, says
):
    response = pay(accounting, tb_invoice, amount)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert says in response.json()["errors"]["amount"][0]
    tb_invoice.refresh_from_db()
    assert tb_invoice.outstanding == Decimal("1500")


def test_a_credit_note_takes_no_payment(accounting, cast):
    created = accounting.post(
        "/api/v1/invoices/",
        new_invoice(
            cast.tb_main,
            total="-750.00",
            kid="",
            lines=[{"description": "Kreditert audiometri", "unit_price": "-750.00"}],
        ),
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "credited"
    credit_note = Invoice.objects.get(pk=created.json()["id"])

    response = pay(accounting, credit_note, "100.00")

    assert response.status_code == 400
    assert "er en kreditnota" in response.json()["errors"]["amount"][0]


def test_a_wrong_line_is_named_by_its_place(accounting, cast):
    data = new_invoice(cast.tb_main)
    data["lines"][1] = {"quantity": "1", "unit_price": "750.00"}

    response = accounting.post("/api/v1/invoices/", data, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lines.1.description"]
    assert "lines.1.description" in response.json()["detail"]


def test_a_payment_sent_again_with_its_etag_is_not_paid_twice(accounting, tb_invoice):
    etag = accounting.get(f"/api/v1/invoices/{tb_invoice.pk}/")["ETag"]

    first = pay(accounting, tb_invoice, "500.00", HTTP_IF_MATCH=etag)
    again = pay(accounting, tb_invoice, "500.00", HTTP_IF_MATCH=etag)

    assert (first.status_code, again.status_code) == (200, 412)
    assert again["Content-Type"] == PROBLEM
    tb_invoice.refresh_from_db()
    assert tb_invoice.outstanding == Decimal("1000")


def test_a_payment_with_an_empty_if_match_is_paid_as_one_without(accounting, tb_invoice):
    response = pay(accounting, tb_invoice, "500.00", HTTP_IF_MATCH="")

    assert response.status_code == 200
    assert response.json()["outstanding"] == "1000.00"
