"""Staff import invoices and payments from the accounting system's spreadsheet: upload, preview,
confirm; every row error named by row and column; all of it or nothing."""

import csv
import datetime
import html
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from imports.invoices import COLUMNS
from imports.models import ImportUpload
from portal.models import Invoice, Order
from portal.services.invoices import InvoiceData, invoices_import

HEADINGS = [
    "Fakturanummer",
    "Betalers org.nr.",
    "Fakturadato",
    "Forfallsdato",
    "KID",
    "Total",
    "Utestående",
    "Beskrivelse",
    "Antall",
    "Enhetspris",
    "Beløp",
    "Bestillingsnummer",
]
# Two invoices, three lines: the second invoice's own columns left empty on its second row.
NEW_INVOICES = [
    HEADINGS,
    [
        "2024-700001",
        "987654325",
        datetime.date(2024, 5, 2),
        datetime.date(2024, 5, 22),
        "1234567892",
        3000,
        3000,
        "Helsekontroll",
        2,
        1500,
        3000,
        290467,
    ],
    [
        "2024-700002",
        "998877660",
        "02.05.2024",
        "22.05.2024",
        "12345678903",
        "1 750,00",
        "1 750,00",
        "Psykologsamtale",
        1,
        "1 500,00",
        "",
        "",
    ],
    ["2024-700002", "", "", "", "", "", "", "Reise", "1", "250", "250", ""],
]


def xlsx(rows, name="fakturaer.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, *, delimiter=";", encoding="cp1252", name="fakturaer.csv"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def preview(client, upload):
    """Upload a file: the format is told by its content, whatever its name."""
    response = client.post("/portal/invoice/import/", {"import_file": upload})
    assert response.status_code == 200
    return response


def confirm(client, response):
    token = response.context["token"]
    assert token, "the preview offers no confirmation"
    return client.post("/portal/invoice/import/confirm/", {"token": token}, follow=True)


def kinds(response) -> list[str]:
    """What the preview says each row does: "new", "update" or "skip"."""
    return [kind for kind, _label, _number, _cells in response.context["plan"].preview_rows()]


def nb(msgid: str, **params) -> str:
    """A message as the Norwegian page shows it (the catalogue's, once it has it)."""
    with translation.override("nb"):
        text = translation.gettext(msgid)
    return text % params if params else text


def heading(key: str) -> str:
    """A column's heading as the Norwegian page names it."""
    with translation.override("nb"):
        return str(COLUMNS[key].heading)


PAYER = heading("payer_org_number")


def row_errors(response) -> dict[int, dict[str, list[str]]]:
    """{row: {column: [messages]}} of the preview's errors."""
    errors: dict[int, dict[str, list[str]]] = {}
    for error in response.context["plan"].errors:
        errors.setdefault(error.row, {}).setdefault(error.column, []).append(error.message)
    return errors


def finished(**counts) -> str:
    return nb(
        "Import finished: %(new)d new, %(updated)d updated and %(unchanged)d unchanged invoices.",
        **counts,
    )


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def kam(client, login, demo):
    return login("kam")


@pytest.mark.django_db
def test_preview_then_confirm_creates_the_invoices_with_their_lines(kam, client):
    """Given the accounting system's file of two new invoices, when the KA/KAM uploads it,
    then the preview shows what will be created and nothing is saved; when they confirm,
    both invoices exist with their payers, KIDs and lines."""
    response = preview(client, xlsx(NEW_INVOICES))

    assert not response.context["plan"].errors
    assert kinds(response) == ["new", "new", "new"]
    assert "Bergen TEST" in response.text  # the payer found from its org. number
    assert not Invoice.objects.filter(number__startswith="2024-7000").exists()
    # The wide preview scrolls in a box the keyboard reaches, named by the preview's heading.
    assert 'tabindex="0" role="region" aria-labelledby="import-preview-title"' in response.text
    assert '<h2 id="import-preview-title"' in response.text

    done = confirm(client, response)

    assert page_messages(done) == [finished(new=2, updated=0, unchanged=0)]
    first = Invoice.objects.get(number="2024-700001")
    assert first.payer.name == "Bergen TEST"
    assert (first.invoice_date, first.due_date) == (
        datetime.date(2024, 5, 2),
        datetime.date(2024, 5, 22),
    )
    assert (first.kid, first.total, first.outstanding) == (
        "1234567892",
        Decimal("3000"),
        Decimal("3000"),
    )
    assert first.order == Order.objects.get(number=290467)
    second = Invoice.objects.get(number="2024-700002")
    assert second.payer.name == "Testbedriften AS"
    assert [
        (line.description, line.quantity, line.unit_price, line.amount)
        for line in second.lines.order_by("pk")
    ] == [
        ("Psykologsamtale", Decimal("1"), Decimal("1500"), Decimal("1500")),
        ("Reise", Decimal("1"), Decimal("250"), Decimal("250")),
    ]


@pytest.mark.django_db
def test_a_payment_file_updates_what_is_owed_and_nothing_else(kam, client, seed_invoice):
    """Given 2017-118350 owing 1 500 kr, when a file of payments says it owes nothing, then
    the preview shows the change and, confirmed, it is Betalt with its lines untouched."""
    lines_before = list(seed_invoice.lines.values_list("pk", flat=True))
    payments = [["Fakturanummer", "Utestående"], ["2017-118350", 0], ["2018-118371", "400,00"]]

    response = preview(client, xlsx(payments))

    assert kinds(response) == ["update", "update"]
    assert "1\xa0500,00\xa0kr → 0,00\xa0kr" in response.text
    confirm(client, response)
    seed_invoice.refresh_from_db()
    assert seed_invoice.outstanding == 0
    assert seed_invoice.status.label == "Betalt"
    assert Invoice.objects.get(number="2018-118371").outstanding == Decimal("400")
    assert list(seed_invoice.lines.values_list("pk", flat=True)) == lines_before


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(kam, client):
    confirm(client, preview(client, xlsx(NEW_INVOICES)))
    lines = list(Invoice.objects.get(number="2024-700002").lines.values_list("pk", flat=True))

    response = preview(client, xlsx(NEW_INVOICES))

    assert set(kinds(response)) == {"skip"}
    done = confirm(client, response)
    assert page_messages(done) == [finished(new=0, updated=0, unchanged=2)]
    assert (
        list(Invoice.objects.get(number="2024-700002").lines.values_list("pk", flat=True)) == lines
    )


@pytest.mark.django_db
def test_reimporting_with_new_lines_replaces_them(kam, client):
    confirm(client, preview(client, xlsx(NEW_INVOICES)))
    changed = [
        HEADINGS,
        [
            "2024-700002",
            "998877660",
            "02.05.2024",
            "22.05.2024",
            "12345678903",
            "1750",
            "0",
            "Psykologsamtale, to timer",
            1,
            1750,
            1750,
            "",
        ],
    ]

    confirm(client, preview(client, xlsx(changed)))

    invoice = Invoice.objects.get(number="2024-700002")
    assert [line.description for line in invoice.lines.all()] == ["Psykologsamtale, to timer"]
    assert invoice.outstanding == 0


@pytest.mark.django_db
def test_every_row_error_names_its_row_and_column_and_nothing_is_saved(kam, client):
    """Given a file with a mistake on each row, when it is uploaded, then each mistake is told
    by its spreadsheet row and column, no confirmation is offered, and nothing is saved."""
    rows = [
        HEADINGS,
        [
            "2024-800001",
            "987654325",
            "02.05.2024",
            "31.02.2024",
            "",
            100,
            100,
            "A",
            1,
            100,
            100,
            "",
        ],
        [
            "2024-800002",
            "987654325",
            "02.05.2024",
            "22.05.2024",
            "1234567890",
            100,
            100,
            "B",
            1,
            100,
            100,
            "",
        ],
        [
            "2024-800003",
            "974760673",
            "02.05.2024",
            "22.05.2024",
            "",
            100,
            100,
            "C",
            1,
            100,
            100,
            "",
        ],
        [
            "2024-800004",
            "987654325",
            "02.05.2024",
            "22.05.2024",
            "",
            500,
            100,
            "D",
            1,
            100,
            100,
            "",
        ],
        [
            "2024-800005",
            "987654324",
            "02.05.2024",
            "22.05.2024",
            "",
            "100 kroner",
            100,
            "E",
            1,
            100,
            100,
            301122,
        ],
        ["", "987654325", "02.05.2024", "22.05.2024", "", 100, 100, "F", 1, 100, 100, ""],
        [
            "2024-800006",
            "987654325",
            "02.05.2024",
            "22.05.2024",
            "",
            100,
            150,
            "G",
            1,
            100,
            100,
            301122,
        ],
    ]
    invoices_before = Invoice.objects.count()

    response = preview(client, xlsx(rows))

    errors = row_errors(response)
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8}
    assert list(errors[2]) == ["Forfallsdato"]
    assert errors[2]["Forfallsdato"] == [
        nb("“%(value)s” is not a date; write it as dd.mm.yyyy.", value="31.02.2024")
    ]
    assert list(errors[3]) == ["KID"]
    assert list(errors[4]) == [PAYER]
    assert "974760673" in errors[4][PAYER][0]
    assert list(errors[5]) == ["Total"]  # the lines add up to 100
    assert set(errors[6]) == {PAYER, "Total"}
    assert list(errors[7]) == ["Fakturanummer"]
    assert set(errors[8]) == {
        "Utestående",
        "Bestillingsnummer",
    }  # more owed than billed; Eksempel's order
    assert response.context.get("token") is None
    assert "/portal/invoice/import/confirm/" not in response.text
    assert Invoice.objects.count() == invoices_before


@pytest.mark.django_db
def test_the_error_texts_are_shown_with_row_and_column(kam, client):
    rows = [
        HEADINGS,
        [
            "2024-800001",
            "987654325",
            "02.05.2024",
            "31.02.2024",
            "",
            100,
            100,
            "A",
            1,
            100,
            100,
            "",
        ],
    ]

    response = preview(client, xlsx(rows))

    text = " ".join(html.unescape(response.text).split())
    assert "Forfallsdato" in text
    assert nb("“%(value)s” is not a date; write it as dd.mm.yyyy.", value="31.02.2024") in text


@pytest.mark.django_db
def test_rows_of_one_invoice_must_agree(kam, client):
    rows = [
        HEADINGS,
        [
            "2024-800001",
            "987654325",
            "02.05.2024",
            "22.05.2024",
            "",
            200,
            200,
            "A",
            1,
            100,
            100,
            "",
        ],
        [
            "2024-800001",
            "987654325",
            "02.05.2024",
            "23.05.2024",
            "",
            200,
            200,
            "B",
            1,
            100,
            100,
            "",
        ],
    ]

    errors = row_errors(preview(client, xlsx(rows)))

    assert list(errors) == [3]
    assert errors[3]["Forfallsdato"] == [
        nb("Differs from row %(row)d of the same invoice (%(value)s).", row=2, value="22.05.2024")
    ]


@pytest.mark.django_db
def test_a_file_without_a_required_column_says_which(kam, client):
    errors = row_errors(preview(client, xlsx([["Fakturanummer", "Total"], ["2017-118350", 1500]])))

    assert list(errors) == [1]  # the headings' row
    assert list(errors[1]) == ["Utestående"]


@pytest.mark.django_db
def test_a_new_invoice_needs_its_payer_and_dates(kam, client):
    errors = row_errors(preview(client, xlsx([["Fakturanummer", "Utestående"], ["2024-1", 100]])))

    assert set(errors[2]) == {PAYER, "Fakturadato", "Forfallsdato", "Total"}


@pytest.mark.django_db
def test_an_invoice_does_not_change_payer(kam, client, seed_invoice):
    rows = [["Fakturanummer", "Betalers org.nr.", "Utestående"], ["2017-118350", "975312461", 0]]

    errors = row_errors(preview(client, xlsx(rows)))

    assert list(errors[2]) == [PAYER]
    seed_invoice.refresh_from_db()
    assert seed_invoice.payer.name == "Testbedriften AS"


@pytest.mark.django_db
def test_a_norwegian_csv_with_semicolons_and_windows_characters(kam, client):
    """Given a CSV as Norwegian Excel saves it (";" and Windows-1252, "1 500,00"), when it is
    uploaded without choosing a format, then it is read like the spreadsheet."""
    response = preview(
        client,
        csv_file(
            [
                *NEW_INVOICES[:1],
                [
                    "2024-700003",
                    "998877660",
                    "02.05.2024",
                    "22.05.2024",
                    "",
                    "1 500,00",
                    "1 500,00",
                    "Kurs i førstehjelp – Ålesund",
                    "1",
                    "1 500,00",
                    "1 500,00",
                    "",
                ],
            ]
        ),
    )

    assert not response.context["plan"].errors
    confirm(client, response)
    line = Invoice.objects.get(number="2024-700003").lines.get()
    assert line.description == "Kurs i førstehjelp – Ålesund"
    assert line.amount == Decimal("1500")


@pytest.mark.django_db
def test_english_headings_are_read_too(kam, client):
    rows = [
        ["Invoice number", "Payer org. number", "Invoice date", "Due date", "Total", "Outstanding"],
        ["2024-700009", "998877660", "2024-05-02", "2024-05-22", "99.50", "0"],
    ]

    confirm(client, preview(client, xlsx(rows)))

    assert Invoice.objects.get(number="2024-700009").total == Decimal("99.50")


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_says_so(kam, client):
    upload = SimpleUploadedFile("fakturaer.xlsx", b"not a spreadsheet")

    response = preview(client, upload)

    assert response.context["plan"].file_error in html.unescape(response.text)
    assert response.context.get("token") is None


@pytest.mark.django_db
def test_a_change_between_preview_and_confirmation_saves_nothing(kam, client, seed_invoice):
    """Given a previewed file creating one invoice and paying another, when the paid invoice's
    total is lowered before the confirmation, then nothing is saved and the error names the
    row and the column."""
    rows = [
        HEADINGS[:7],
        ["2024-700005", "998877660", "02.05.2024", "22.05.2024", "", 100, 100],
        ["2017-118350", "", "", "", "", "", 1000],
    ]
    response = preview(client, xlsx(rows))
    Invoice.objects.filter(pk=seed_invoice.pk).update(total=500, outstanding=500)

    done = confirm(client, response)

    assert done.redirect_chain[-1][0] == "/portal/invoice/import/"
    assert not Invoice.objects.filter(number="2024-700005").exists()
    seed_invoice.refresh_from_db()
    assert seed_invoice.outstanding == 500
    assert page_messages(done) == [
        nb(
            "Row %(row)d, column “%(column)s”: %(message)s",
            row=3,
            column="Utestående",
            message=nb("The outstanding amount lies between zero and the total."),
        )
    ]


@pytest.mark.django_db
def test_customers_never_see_the_import(client, login, demo, cast):
    for user in ("testweb", cast.finance, "annen"):
        login(user)
        assert client.get("/portal/invoice/import/").status_code == 403
        assert client.post("/portal/invoice/import/confirm/", {}).status_code == 403
        assert "/portal/invoice/import/" not in client.get("/portal/invoice/").text

    login("kam")
    assert 'href="/portal/invoice/import/"' in client.get("/portal/invoice/").text


@pytest.mark.django_db
def test_the_service_refuses_anyone_without_the_import_permission(demo, cast):
    with pytest.raises(PermissionDenied):
        invoices_import(invoices=[InvoiceData(number="2017-118350")], actor=cast.testweb)


PAYMENT = [["Fakturanummer", "Utestående"], ["2017-118350", 0]]
UPLOAD_AGAIN = (
    "This import is no longer waiting for confirmation: it was saved, cancelled or has "
    "expired. Upload the file again."
)


def paid(invoice) -> bool:
    invoice.refresh_from_db()
    return invoice.outstanding == 0


@pytest.mark.django_db
def test_a_confirm_after_the_cache_is_emptied_still_saves(kam, client, seed_invoice):
    """The upload waits in the database, not in a cache of one process: a confirm that finds
    the cache empty (another app server, a restart) still imports the file."""
    response = preview(client, xlsx(PAYMENT))
    cache.clear()

    done = confirm(client, response)

    assert page_messages(done) == [finished(new=0, updated=1, unchanged=0)]
    assert paid(seed_invoice)


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["unknown", "cancelled", "confirmed", "expired", "none"])
def test_a_missing_upload_says_upload_the_file_again(missing, kam, client, seed_invoice):
    """Whatever became of the upload, the confirm answers the import page with a Norwegian
    "upload the file again", never an error page."""
    response = preview(client, xlsx(PAYMENT))
    token = response.context["token"]
    if missing == "unknown":
        token = "x" * 43
    elif missing == "cancelled":
        client.post("/portal/invoice/import/cancel/", {"token": token}, follow=True)
    elif missing == "confirmed":
        confirm(client, response)
        Invoice.objects.filter(pk=seed_invoice.pk).update(outstanding=1500)
    elif missing == "expired":
        # (the session itself ends sooner; the upload's own end is what is tested)
        ImportUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif missing == "none":
        token = ""

    done = client.post("/portal/invoice/import/confirm/", {"token": token}, follow=True)

    assert done.redirect_chain == [("/portal/invoice/import/", 302)]
    assert done.status_code == 200
    assert page_messages(done) == [nb(UPLOAD_AGAIN)]
    assert "Last opp filen på nytt" in html.unescape(done.text)
    assert not paid(seed_invoice)


@pytest.mark.django_db
def test_another_users_upload_cannot_be_confirmed_and_nothing_of_it_shows(
    client, login, demo, seed_invoice
):
    """Given the KA/KAM's previewed upload, when another staff user (who may import invoices
    too) posts its id, then they get the answer of an unknown id, nothing is imported, nothing
    of the file is shown, and the upload still waits for the KA/KAM."""
    login("kam")
    token = preview(client, xlsx(PAYMENT, name="kams-innbetalinger.xlsx")).context["token"]

    login("admin")
    done = client.post("/portal/invoice/import/confirm/", {"token": token}, follow=True)

    assert page_messages(done) == [nb(UPLOAD_AGAIN)]
    assert "kams-innbetalinger" not in done.text
    assert "2017-118350" not in done.text
    assert not paid(seed_invoice)

    login("kam")
    mine = client.post("/portal/invoice/import/confirm/", {"token": token}, follow=True)
    assert page_messages(mine) == [finished(new=0, updated=1, unchanged=0)]
    assert paid(seed_invoice)


@pytest.mark.django_db
def test_a_confirm_whose_plan_changed_shows_the_new_preview(kam, client, seed_invoice):
    """Given a preview that pays 2017-118350 ("1 updated"), when someone records the payment
    before the confirm, then the confirm writes nothing and shows the new preview ("unchanged")
    with a Norwegian message; confirming that one saves it."""
    response = preview(client, xlsx(PAYMENT))
    assert kinds(response) == ["update"]
    Invoice.objects.filter(pk=seed_invoice.pk).update(outstanding=0)

    again = client.post("/portal/invoice/import/confirm/", {"token": response.context["token"]})

    assert again.status_code == 200
    assert page_messages(again) == [
        nb(
            "The register has changed since the preview: see the new preview below. Nothing "
            "has been imported yet."
        )
    ]
    assert "Registeret er endret siden forhåndsvisningen" in html.unescape(again.text)
    assert kinds(again) == ["skip"]
    done = confirm(client, again)
    assert page_messages(done) == [finished(new=0, updated=0, unchanged=1)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cell", "credit_note"),
    [("ja", True), ("x", True), ("Aktiv", True), ("TRUE", True), ("nei", False), ("0", False)],
)
def test_yes_and_no_are_the_words_of_every_import(kam, client, seed_invoice, cell, credit_note):
    """The invoice import reads Kreditnota with the employee import's yes/no words: a yes makes
    2017-118350 (a positive total) a credit note, which its rules then refuse; a no changes
    nothing."""
    rows = [["Fakturanummer", "Utestående", "Kreditnota"], ["2017-118350", 1500, cell]]

    errors = row_errors(preview(client, csv_file(rows)))

    assert heading("is_credit_note") not in errors.get(2, {})
    assert ("Total" in errors.get(2, {})) is credit_note


@pytest.mark.django_db
def test_a_two_digit_year_on_an_invoice_is_this_century(kam, client):
    """The date parser is the employee import's; on an invoice, 02.05.24 is 2024 (a date of
    birth would be 1924)."""
    rows = [
        HEADINGS[:7],
        ["2024-700010", "998877660", "02.05.24", "22.05.24", "", "100", "100"],
    ]

    confirm(client, preview(client, csv_file(rows, delimiter=",", encoding="utf-8")))

    invoice = Invoice.objects.get(number="2024-700010")
    assert (invoice.invoice_date, invoice.due_date) == (
        datetime.date(2024, 5, 2),
        datetime.date(2024, 5, 22),
    )
