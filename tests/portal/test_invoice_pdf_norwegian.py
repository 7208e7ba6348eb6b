"""The invoice PDF as a Norwegian bank customer pays it: the seller with address, organisation
number («MVA», «Foretaksregisteret») and account, the payer, a valid KID, VAT per line and in
total, the payment sentence, a text layer that reads in order and fonts embedded in the file."""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from pypdf import PdfReader

from portal.formatting import format_account_number
from portal.models import Order
from portal.validators import kid_make, validate_kid, validate_org_number
from tests.factories import InvoiceFactory, InvoiceLineFactory
from tests.portal.helpers import pdf_text

ACCOUNT = "1503.12.34562"  # the demo's PORTAL_PROVIDER_ACCOUNT_NUMBER, as banks print it
KID = kid_make(reference="2026500002")


@pytest.fixture
def vat_invoice(cast):
    """2026-500002 to Testbedriften AS: a health check, exempt from VAT, and a first-aid course
    at 25 %; 5 500,00 kr to pay by 21.12.2026."""
    invoice = InvoiceFactory(
        number="2026-500002",
        payer=cast.tb_main,
        invoice_date=datetime.date(2026, 12, 1),
        due_date=datetime.date(2026, 12, 21),
        kid=KID,
        total=Decimal("5500.00"),
        outstanding=Decimal("5500.00"),
    )
    InvoiceLineFactory(
        invoice=invoice,
        description="Helsekontroll",
        quantity=Decimal("3"),
        unit_price=Decimal("1000.00"),
        amount=Decimal("3000.00"),
        order=Order.objects.get(number=290467),
    )
    InvoiceLineFactory(
        invoice=invoice,
        description="Førstehjelpskurs",
        quantity=Decimal("1"),
        unit_price=Decimal("2000.00"),
        amount=Decimal("2000.00"),
        vat_rate=Decimal("25"),
    )
    return invoice


def download(client, login, cast, invoice) -> bytes:
    login(cast.finance)
    response = client.get(f"/portal/invoice/{invoice.pk}/pdf/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_the_pdf_says_what_a_norwegian_invoice_must(client, login, cast, vat_invoice):
    """Given an invoice with a VAT-exempt line and a line at 25 %, when the finance user
    downloads its PDF, then it names seller and payer with valid organisation numbers, the
    account and a valid KID, the VAT per line and in total, and how to pay."""
    text = pdf_text(download(client, login, cast, vat_invoice))

    # the seller: name, address, organisation number with MVA, the register
    for expected in ("Avonova", "Eksempelveien 1", "0150 Oslo", "Foretaksregisteret"):
        assert expected in text, expected
    assert "Org.nr. 999 999 999 MVA" in text
    # both organisation numbers valid by mod-11: the provider's and the payer's
    org_numbers = {n.replace(" ", "") for n in re.findall(r"Org\.nr\. (\d{3} \d{3} \d{3})", text)}
    assert org_numbers == {settings.PORTAL_PROVIDER_ORG_NUMBER, cast.tb_main.org_number}
    for number in org_numbers:
        validate_org_number(number)
    # the account, as banks print it, and the KID, valid by its check digit
    assert format_account_number(settings.PORTAL_PROVIDER_ACCOUNT_NUMBER) == ACCOUNT
    assert f"Kontonummer {ACCOUNT}" in text
    kid = re.search(r"KID (\d+)", text)
    assert kid
    assert kid[1] == KID
    validate_kid(kid[1])
    # the payer, dates, customer number
    for expected in (
        "Betaler Testbedriften AS",
        "Fakturadato 01.12.2026",
        "Forfallsdato 21.12.2026",
        f"Kundenummer {cast.testbedriften.customer_number}",
    ):
        assert expected in text, expected
    # each line with its order and reference, rate and VAT; the totals
    for expected in (
        "Helsekontroll Bestilling 290467, deres ref. abonnement123",
        "3 1 000,00 kr 0 % Unntatt mva 0,00 kr 3 000,00 kr",
        "Førstehjelpskurs 1 2 000,00 kr 25 % 500,00 kr 2 000,00 kr",
        "Sum eks. mva 5 000,00 kr",
        "Mva 500,00 kr",
        "Total 5 500,00 kr",
        "Å betale 5 500,00 kr",
    ):
        assert expected in text, expected
    # how to pay
    assert (
        f"Betal 5 500,00 kr til konto {ACCOUNT} innen 21.12.2026, merk betalingen med KID {KID}."
        in text
    )


@pytest.mark.django_db
def test_the_fonts_are_embedded(client, login, cast, vat_invoice):
    reader = PdfReader(io.BytesIO(download(client, login, cast, vat_invoice)))

    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]

    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_text_layer_reads_in_order(client, login, cast, vat_invoice, tmp_path):
    """Seller, payer, lines, totals and the payment sentence, in that order, as a screen reader
    or a bank's invoice scanner reads them; and page 1 as a picture, where pdftoppm is."""
    pdf = tmp_path / "faktura.pdf"
    pdf.write_bytes(download(client, login, cast, vat_invoice))

    for layout in ([], ["-layout"]):
        text = subprocess.run(
            ["pdftotext", *layout, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        places = [
            text.index(part)
            for part in (
                "Avonova",
                "Foretaksregisteret",
                "Betaler",
                "Fakturanummer",
                "Helsekontroll",
                "Førstehjelpskurs",
                "Sum eks. mva",
                "Å betale",
            )
        ]
        places.append(text.index("Betal "))
        assert places == sorted(places), layout

    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
            check=True,
        )
        assert list(tmp_path.glob("p*.png"))


def lines_of_payer_block(content: bytes) -> list[str]:
    """The text lines of page 1 from «Betaler» down to the payer's «Org.nr.», top to bottom,
    each as the PDF places it (one per line of the payer's block)."""
    reader = PdfReader(io.BytesIO(content))
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # where the run starts on the page: the text matrix within the current transform
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((round(y, 1), x, " ".join(text.split())))

    reader.pages[0].extract_text(visitor_text=visit)
    start = next(i for i, (_y, _x, text) in enumerate(runs) if text == "Betaler")
    left = runs[start][1]
    block = []
    for _y, x, text in runs[start:]:
        if abs(x - left) < 1:  # the payer's column, not the invoice's facts beside it
            block.append(text)
            if text.startswith("Org.nr."):
                return block
    raise AssertionError(f"no Org.nr. under the payer: {block}")


@pytest.mark.django_db
def test_the_payers_address_is_printed_under_the_payers_name(client, login, cast, vat_invoice):
    """Given a payer department with a postal address, when its invoice is downloaded, then
    the address stands under the payer's name (and its customer's), before the org. number."""
    cast.tb_bergen.postal_address = "Strandkaien 2"
    cast.tb_bergen.postal_code = "5013"
    cast.tb_bergen.city = "Bergen"
    cast.tb_bergen.save()
    vat_invoice.payer = cast.tb_bergen
    vat_invoice.save()

    content = download(client, login, cast, vat_invoice)

    assert lines_of_payer_block(content) == [
        "Betaler",
        "Bergen TEST",
        "Testbedriften AS",
        "Strandkaien 2",
        "5013 Bergen",
        "Org.nr. 987 654 325",
    ]
    assert (
        "Betaler Bergen TEST Testbedriften AS Strandkaien 2 5013 Bergen Org.nr. 987 654 325"
        in pdf_text(content)
    )


@pytest.mark.django_db
def test_a_payer_without_an_address_gets_no_address_lines(client, login, cast, vat_invoice):
    """Given a payer without a postal address, then its name is followed by its org. number
    and nothing in between: no empty lines where an address would be."""
    assert (cast.tb_main.postal_address, cast.tb_main.postal_code, cast.tb_main.city) == (
        "",
        "",
        "",
    )

    content = download(client, login, cast, vat_invoice)

    assert lines_of_payer_block(content) == ["Betaler", "Testbedriften AS", "Org.nr. 998 877 660"]
    reader = PdfReader(io.BytesIO(content))
    heights: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        text = " ".join(text.split())
        if text in ("Testbedriften AS", "Org.nr. 998 877 660") and text not in heights:
            heights[text] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    reader.pages[0].extract_text(visitor_text=visit)
    # one line's leading (9 pt × 1.3) between the name and the org. number, no blank line
    assert heights["Testbedriften AS"] - heights["Org.nr. 998 877 660"] == pytest.approx(11.7)


@pytest.mark.django_db
def test_only_the_parts_of_an_address_given_are_printed(client, login, cast, vat_invoice):
    """A postal code and city without a street make one line, and no line for the street."""
    cast.tb_main.postal_code = "0155"
    cast.tb_main.city = "Oslo"
    cast.tb_main.save()

    content = download(client, login, cast, vat_invoice)

    assert lines_of_payer_block(content) == [
        "Betaler",
        "Testbedriften AS",
        "0155 Oslo",
        "Org.nr. 998 877 660",
    ]
