"""The Fakturaer list and the invoice page, as the customer's finance contact reads them."""

import html
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from permissions.models import DepartmentUserObjectPermission
from portal.models import Order
from tests.factories import InvoiceFactory, InvoiceLineFactory, UserFactory
from tests.permissions.helpers import form_data
from tests.portal.filters.helpers import column
from tests.portal.helpers import pdf_text

NBSP = "\xa0"


def text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def editable_fields(response) -> list[str]:
    """The inputs of the page's form a user could type into or pick from."""
    form = response.text.split('id="invoice_form"', 1)[1].split("</form>", 1)[0]
    inputs = [tag for tag in re.findall(r"<input[^>]*>", form) if 'type="hidden"' not in tag]
    return inputs + re.findall(r"<(?:select|textarea)[^>]*>", form)


def headings(response) -> list[str]:
    thead = re.search(r"<thead.*?</thead>", response.text, flags=re.S)
    assert thead is not None, "the page has no table"
    row = thead.group(0)
    cells = re.findall(r"<th.*?</th>", row, re.S)
    # The sort arrows are icons (spans) and a priority number: the heading is the link's text.
    cells = [
        re.sub(r"<span.*?</span>|<div[^>]*>\s*\d+\s*</div>", "", cell, flags=re.S) for cell in cells
    ]
    return [" ".join(strip_tags(cell).split()) for cell in cells]


@pytest.mark.django_db
def test_the_list_has_the_seeds_columns_amounts_and_dates(demo, client, login):
    """Given the demo world, when testweb opens Fakturaer, then the seed's columns show its
    invoices with Norwegian amounts and dates."""
    login("testweb")

    response = client.get("/portal/invoice/")

    assert headings(response) == [
        "Fakturanummer",
        "Fakturadato",
        "Forfallsdato",
        "Betaler",
        "Total",
        "Utestående",
        "Status",
    ]
    rows = list(
        zip(
            column(response, "number"),
            column(response, "invoice_date"),
            column(response, "due_date"),
            column(response, "payer"),
            column(response, "total_display"),
            column(response, "outstanding_display"),
            column(response, "status_display"),
            strict=True,
        )
    )
    assert (
        "2017-118350",
        "31.12.2017",
        "20.01.2018",
        "Testbedriften AS",
        "1 500,00 kr",
        "1 500,00 kr",
        "Forfalt",
    ) in rows
    assert (
        "2018-118376",
        "06.03.2018",
        "26.03.2018",
        "Testbedriften AS",
        "5,00 kr",
        "5,00 kr",
        "Forfalt",
    ) in rows
    assert len(rows) == 5
    assert f"1{NBSP}500,00{NBSP}kr" in response.text  # never split across two lines


@pytest.mark.django_db
def test_amounts_are_right_aligned(demo, client, login):
    login("testweb")

    response = client.get("/portal/invoice/")

    styles = " ".join(re.findall(r"<style>(.*?)</style>", response.text, re.S))
    rule = re.search(r"([^{}]*)\{([^}]*)\}", styles[styles.find(".field-total_display") :])
    assert rule
    assert "text-align: right" in rule.group(2)
    assert 'class="field-total_display' in response.text


@pytest.mark.django_db
def test_the_list_pins_its_queries(client, login, invoice, django_assert_max_num_queries):
    """Sixteen more invoices add no query: payer and status come with the rows."""
    login("testweb")
    client.get("/portal/invoice/")
    for _ in range(16):
        InvoiceFactory(payer=invoice.payer)

    with django_assert_max_num_queries(14):
        response = client.get("/portal/invoice/")

    assert len(column(response, "number")) == 22


@pytest.mark.django_db
def test_the_invoice_page_shows_everything_read_only(client, login, cast, invoice):
    """Given an invoice with a KID and two lines, when the finance user opens it, then they read
    payer, dates, KID, status, totals and lines, with nothing to save."""
    login(cast.finance)

    response = client.get(f"/portal/invoice/{invoice.pk}/change/")

    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Fakturanummer 2024-500001",
        "Betaler Testbedriften AS",
        "998 877 660",  # grouped, as the PDF writes it
        "Fakturadato 01.03.2024",
        "Forfallsdato 21.03.2024",
        "KID 1234567897",
        "Status Forfalt",
        "Sum eks. mva 4 250,00 kr Mva 0,00 kr Total 4 250,00 kr",
        "Utestående 1 250,50 kr",
        "Helsekontroll – ÆØÅ æøå 3 1 000,00 kr 0 % Unntatt mva 0,00 kr 3 000,00 kr 290467",
        "Oppfølgingssamtale <b>psykolog</b> 2,5 500,00 kr 0 % Unntatt mva 0,00 kr 1 250,00 kr "
        "282207",
    ):
        assert expected in page, expected
    assert "<b>psykolog</b>" not in response.text  # escaped, not markup
    assert 'name="_save"' not in response.text
    assert editable_fields(response) == []


@pytest.mark.django_db
def test_each_line_links_its_order_for_whoever_may_see_it(client, login, cast, invoice):
    login(cast.finance)

    response = client.get(f"/portal/invoice/{invoice.pk}/change/")

    for number in (290467, 282207):
        order = Order.objects.get(number=number)
        assert f'href="/portal/order/{order.pk}/change/"' in response.text


@pytest.mark.django_db
def test_an_order_the_user_may_not_see_is_named_but_not_linked(client, login, cast, invoice):
    """A user with invoices but without orders reads the order number, no link to follow."""

    bookkeeper = UserFactory(username="regnskap")
    DepartmentUserObjectPermission.objects.create(
        user=bookkeeper,
        content_object=invoice.payer,
        permission=Permission.objects.get(codename="view_invoices"),
    )
    login(bookkeeper)

    response = client.get(f"/portal/invoice/{invoice.pk}/change/")

    assert response.status_code == 200
    assert "290467" in text(response)
    assert "/portal/order/" not in response.text.split('id="invoice_form"', 1)[1]


@pytest.mark.django_db
def test_the_order_page_lists_its_invoices_linked(client, login, cast, invoice, seed_invoice):
    """Given an invoice with a line for order 290467 and one made out for 282207, when the
    finance user opens each order, then "Fakturaer" lists the invoice with a link."""
    seed_invoice.order = Order.objects.get(number=282207)
    seed_invoice.save()
    login(cast.finance)

    for number, invoices in ((290467, ["2024-500001"]), (282207, ["2024-500001", "2017-118350"])):
        order = Order.objects.get(number=number)
        response = client.get(f"/portal/order/{order.pk}/change/")
        section = text(response).split("Fakturaer Fakturanummer", 1)[1].split("Historikk", 1)[0]
        assert re.findall(r"\d{4}-\d{6}", section) == invoices
        for invoice_number in invoices:
            pk = order.invoices.model.objects.get(number=invoice_number).pk
            assert f'href="/portal/invoice/{pk}/change/"' in response.text


@pytest.mark.django_db
def test_an_hr_user_sees_the_order_but_not_its_invoices(client, login, cast, invoice):
    order = Order.objects.get(number=290467)
    login(cast.hr)

    response = client.get(f"/portal/order/{order.pk}/change/")

    assert response.status_code == 200
    assert "2024-500001" not in response.text
    assert "/portal/invoice/" not in response.text


@pytest.mark.django_db
def test_saving_an_order_leaves_its_invoices_alone(client, login, invoice):
    """The invoices shown on the order page are not part of its form: the KA/KAM saving the
    order changes none of them."""
    order = Order.objects.get(number=290467)
    login("kam")
    page = client.get(f"/portal/order/{order.pk}/change/")
    assert "2024-500001" in page.text

    response = client.post(f"/portal/order/{order.pk}/change/", form_data(page))

    assert response.status_code == 302, response.context and response.context.get("errors")
    invoice.refresh_from_db()
    assert invoice.order_id is None
    assert invoice.lines.count() == 2


@pytest.mark.django_db
def test_a_credit_note_reads_kreditert(client, login, cast):
    credit = InvoiceFactory(
        number="2024-900001",
        payer=cast.tb_bergen,
        total=-1500,
        outstanding=0,
        is_credit_note=True,
    )
    InvoiceLineFactory(invoice=credit, unit_price=-1500, amount=-1500)
    login("testweb")

    response = client.get("/portal/invoice/", {"number": "2024-900001"})

    assert column(response, "status_display") == ["Kreditert"]
    assert column(response, "total_display") == ["-1 500,00 kr"]


@pytest.fixture
def vat_invoice(invoice):
    """The invoice with a third line, a first-aid course at 25 %: 2 000,00 kr and 500,00 kr
    VAT on top."""
    InvoiceLineFactory(
        invoice=invoice,
        description="Førstehjelpskurs",
        quantity=Decimal("1"),
        unit_price=Decimal("2000.00"),
        amount=Decimal("2000.00"),
        vat_rate=Decimal("25"),
    )
    invoice.total = invoice.outstanding = Decimal("6750.00")
    invoice.save()
    return invoice


def lines_table(response) -> str:
    """The text of the lines' table, headings and rows."""
    start = response.text.index('id="lines-group"')
    return " ".join(html.unescape(strip_tags(response.text[start:])).split())


@pytest.mark.django_db
def test_the_invoice_page_shows_vat_per_line_and_in_the_totals(client, login, cast, vat_invoice):
    """Given an invoice with lines exempt from VAT and a line at 25 %, when the finance user
    opens it, then each line shows its rate and VAT, and the totals the sum before VAT, the VAT
    and the total, as the PDF does."""
    login(cast.finance)

    response = client.get(f"/portal/invoice/{vat_invoice.pk}/change/")

    page = text(response)
    assert "Sum eks. mva 6 250,00 kr Mva 500,00 kr Total 6 750,00 kr" in page
    table = lines_table(response)
    assert "Beskrivelse Antall Enhetspris Mva-sats Mva Beløp eks. mva Bestilling" in table
    assert "Helsekontroll – ÆØÅ æøå 3 1 000,00 kr 0 % Unntatt mva 0,00 kr 3 000,00 kr" in table
    assert "Førstehjelpskurs 1 2 000,00 kr 25 % 500,00 kr 2 000,00 kr" in table
    assert "25 % Unntatt mva" not in table


@pytest.mark.django_db
def test_the_page_and_the_pdf_agree_on_the_vat(client, login, cast, vat_invoice):
    """One computation for both: the page's totals are the PDF's."""
    login(cast.finance)

    page = text(client.get(f"/portal/invoice/{vat_invoice.pk}/change/"))
    pdf = client.get(f"/portal/invoice/{vat_invoice.pk}/pdf/")
    shown = pdf_text(b"".join(pdf.streaming_content))

    for label in ("Sum eks. mva", "Mva"):
        figure = re.search(rf"{label} (-?[\d ]+,\d\d kr)", page.replace(NBSP, " "))
        assert figure
        assert f"{label} {figure[1]}" in shown, label


@pytest.mark.django_db
def test_staff_see_each_lines_vat_and_the_sums_on_the_invoice_form(client, login, vat_invoice):
    login("kam")

    response = client.get(f"/portal/invoice/{vat_invoice.pk}/change/")

    page = text(response)
    assert "Sum eks. mva 6 250,00 kr Mva 500,00 kr" in page
    assert "500,00 kr" in lines_table(response)


@pytest.mark.django_db
def test_the_invoice_page_costs_the_same_queries_however_many_lines(client, login, cast, invoice):
    """Thirty more lines, each for an order, add no query: the lines' orders and the totals
    come from one read of the lines, and the table shows a page of them."""
    login(cast.finance)
    url = f"/portal/invoice/{invoice.pk}/change/"
    client.get(url)
    with CaptureQueriesContext(connection) as two_lines:
        client.get(url)
    order = Order.objects.get(number=290467)
    for n in range(30):
        InvoiceLineFactory(
            invoice=invoice,
            description=f"Linje {n}",
            quantity=Decimal("1"),
            unit_price=Decimal("100.00"),
            amount=Decimal("100.00"),
            vat_rate=Decimal("25") if n % 2 else Decimal("0"),
            order=order,
        )

    with CaptureQueriesContext(connection) as many_lines:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many_lines) == len(two_lines), [q["sql"] for q in many_lines]
    assert "Sum eks. mva 7 250,00 kr Mva 375,00 kr" in text(response)


@pytest.mark.django_db
def test_the_invoice_page_shows_the_payers_postal_address_as_the_pdf_does(client, login, invoice):
    payer = invoice.payer
    payer.postal_address, payer.postal_code, payer.city = "Storgata 10", "0155", "Oslo"
    payer.save(update_fields=["postal_address", "postal_code", "city"])
    login("testweb")

    response = client.get(f"/portal/invoice/{invoice.pk}/change/")

    assert "Betaler Testbedriften AS (org.nr. 998 877 660)" in text(response)
    assert "(org.nr. 998 877 660)<br>Storgata 10<br>0155 Oslo" in response.content.decode()
