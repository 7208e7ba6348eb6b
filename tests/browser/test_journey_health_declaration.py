"""The health declaration, end to end: kam defines a questionnaire for «Helsekontroll (HK)» in
the admin's form, with a follow-up question added once its question is saved; testweb books
Donald and Dolly on a health check of that product group; Donald opens the form from his
booking mail on a phone (375 px, no account), sees the follow-up appear on «Ja», is told which
answer is wrong, keeps a draft, submits, and gets a receipt that shows none of his answers;
testweb sees «mottatt» and nothing more, and reminds Dolly once; health personnel read the
answers, download the PDF for the health record and mark it transferred, and the audit page
shows the reads; kam sees only the status. The form is also shot at 1366 px."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from health.models import Questionnaire
from portal import services
from portal.models import Employee, Order
from portal.services.booking_mail import BookingMail, booking_mail_render
from tests.browser.helpers import AXE_JS, appointment_at, assert_accessible, phone_context
from tests.health.conftest import MARKER

PLACE = "Bergen, Strandkaien 2"
QUESTIONNAIRE = "Helsekontroll før oppmøte"


def _form_path(booking) -> str:
    """The form's link in the booking mail, as the employee follows it."""
    body = str(booking_mail_render(booking=booking, kind=BookingMail.BOOKED).body)
    found = re.search(r"https?://\S+/egenerklaering/", body)
    assert found, "no form link in the booking mail"
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def test_donald_fills_in_his_declaration_on_his_phone(
    page, chromium, live_server, login, logout, screenshot
):
    order = Order.objects.get(number=290467)
    users = get_user_model().objects

    # kam defines the questionnaire in the admin: two questions, saved, then the follow-up.
    login(page, "kam")
    page.goto("/health/questionnaire/add/")
    page.get_by_label("Navn").fill(QUESTIONNAIRE)
    page.get_by_label("Helsekontroll (HK)").check()
    _question(page, 0, order=1, text="Røyker du?")
    page.get_by_text("Legg til ny Spørsmål").click()
    _question(page, 1, order=3, text="Har du sykdommer?", kind="long_text")
    screenshot(page, "health-declaration-kam-defines-1")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator("body")).to_contain_text("er lagt til")
    _question(page, 2, order=2, text="Hvor mange om dagen?", kind="number", unit="stk")
    page.locator("[name=questions-2-parent]").select_option(label="Røyker du?")
    page.locator("[name=questions-2-shown_on]").fill("ja")
    screenshot(page, "health-declaration-kam-defines-2-follow-up")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator("body")).to_contain_text("er lagret")
    questionnaire = Questionnaire.objects.get(name=QUESTIONNAIRE)
    assert questionnaire.version == 1
    follow_up = questionnaire.questions.get(text="Hvor mange om dagen?")
    assert (follow_up.parent.text, follow_up.shown_on) == ("Røyker du?", "yes")
    logout(page)

    day = timezone.localdate() + datetime.timedelta(days=10)
    eight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    appointment = appointment_at(order, eight, PLACE, capacity=2)
    testweb = users.get(username="testweb")
    donald, dolly = (
        services.booking_create(
            appointment=appointment,
            employee=Employee.objects.get(first_name=first, last_name="Duck"),
            actor=testweb,
        )
        for first in ("Donald", "Dolly")
    )

    # Dolly's form on a laptop, as it first opens.
    desktop = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1366, "height": 900},
        locale="nb-NO",
        timezone_id="Europe/Oslo",
    )
    wide = desktop.new_page()
    wide.goto(_form_path(dolly))
    expect(wide.get_by_test_id("question")).to_have_count(3)
    screenshot(wide, "health-declaration-1366-form")
    desktop.close()

    phone_browser = phone_context(chromium, live_server)
    phone = phone_browser.new_page()
    try:
        # From the booking page's «Fyll ut egenerklæring» to the form.
        booking_page = re.sub(r"egenerklaering/$", "", _form_path(donald))
        phone.goto(booking_page)
        screenshot(phone, "health-declaration-375-0-booking-page")
        phone.get_by_role("link", name="Fyll ut egenerklæring").click()
        expect(phone).to_have_url(re.compile(r"/egenerklaering/$"))
        follow_up = phone.locator("[data-parent]")
        expect(follow_up).to_be_hidden()
        screenshot(phone, "health-declaration-375-1-form")

        # «Ja» shows «Hvis ja: Hvor mange om dagen?»; a word for a number is refused by name.
        phone.get_by_role("radio", name="Ja").first.check()
        expect(follow_up).to_be_visible()
        phone.get_by_label("Hvor mange om dagen?").fill("mange")
        phone.get_by_role("button", name="Send inn").click()
        errors = phone.get_by_test_id("question-error")
        expect(errors.first).to_have_text("«Hvor mange om dagen?»: skriv et tall.")
        expect(errors.nth(1)).to_have_text("«Har du sykdommer?»: svar på spørsmålet.")
        screenshot(phone, "health-declaration-375-2-errors")

        # A draft is kept, then submitted once.
        phone.get_by_label("Hvor mange om dagen?").fill("10")
        phone.get_by_label("Har du sykdommer?").fill(MARKER)
        phone.get_by_role("button", name="Lagre utkast").click()
        expect(phone.locator("body")).to_contain_text("Utkastet er lagret")
        expect(phone.get_by_label("Har du sykdommer?")).to_have_value(MARKER)
        screenshot(phone, "health-declaration-375-3-draft")
        phone.get_by_role("button", name="Send inn").click()
        state = phone.get_by_test_id("declaration-state")
        expect(state).to_have_attribute("data-state", "received")
        expect(state).to_contain_text(f"Mottatt {timezone.localdate():%d.%m.%Y}")
        expect(phone.locator("body")).not_to_contain_text(MARKER)
        screenshot(phone, "health-declaration-375-4-received")
        if AXE_JS.is_file():
            assert_accessible(phone, "the receipt of the health declaration")

        # The link never shows the answers again.
        phone.reload()
        expect(phone.locator("body")).not_to_contain_text(MARKER)
        expect(phone.locator("textarea, input[type=text], input[type=radio]")).to_have_count(0)
    finally:
        phone_browser.close()

    # testweb sees that it is received, and nothing of it; Dolly is reminded, once.
    login(page, "testweb")
    page.goto(f"/portal/appointment/{appointment.pk}/change/")
    rows = page.locator("tr")
    expect(rows.filter(has_text="Donald Duck")).to_contain_text(re.compile(r"(?<!ikke )mottatt"))
    expect(rows.filter(has_text="Dolly Duck")).to_contain_text("ikke mottatt")
    expect(page.locator("body")).not_to_contain_text(MARKER)
    screenshot(page, "health-declaration-testweb-sees-received")
    page.get_by_role("link", name="Påminn om egenerklæring").click()
    dialog = page.locator("#dialog")
    expect(dialog).to_contain_text("Det kan sendes én påminnelse per booking")
    dialog.get_by_label("Ansatt").select_option(label="Dolly Duck")
    screenshot(page, "health-declaration-testweb-reminds")
    dialog.get_by_role("button", name="Send påminnelse").click()
    expect(page.locator("body")).to_contain_text(
        "En påminnelse om egenerklæringen er sendt til Dolly Duck."
    )
    expect(rows.filter(has_text="Dolly Duck")).to_contain_text("påminnelse sendt")
    logout(page)

    # Health personnel read the answers, take the PDF for the health record, mark it
    # transferred; the audit page shows each read.
    login(page, "helse")
    page.goto(f"/egenerklaering/{donald.pk}/")
    expect(page.locator("body")).not_to_contain_text(MARKER)
    page.get_by_role("button", name="Les svarene").click()
    answers = page.get_by_test_id("health-answers")
    expect(answers).to_contain_text(MARKER)
    expect(answers).to_contain_text("Oppfølging: Hvor mange om dagen?")
    screenshot(page, "health-declaration-health-personnel-read")
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("button", name="Merk som overført til journal").click()
    expect(page.locator("body")).to_contain_text("Merket som overført til journal")
    screenshot(page, "health-declaration-health-personnel-transferred")
    page.goto("/revisjonslogg/?kind=health")
    trail = page.locator("body")
    expect(trail).to_contain_text("Egenerklæring lest")
    expect(trail).to_contain_text("Egenerklæring for Donald Duck, som PDF")
    expect(trail).to_contain_text("Egenerklæring overført til journal")
    expect(trail).not_to_contain_text(MARKER)
    screenshot(page, "health-declaration-audit-page")
    logout(page)

    # kam sees the status and nothing more: no way to the answers, and the page refuses.
    login(page, "kam")
    page.goto(f"/portal/appointment/{appointment.pk}/change/")
    donald_row = page.locator("tr").filter(has_text="Donald Duck")
    expect(donald_row).to_contain_text(re.compile(r"(?<!ikke )mottatt"))
    expect(donald_row.get_by_role("link", name="Les")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(MARKER)
    screenshot(page, "health-declaration-kam-sees-status")
    # The reading page's address typed by hand answers with a refusal, without the answers
    # (asked beside the page: a 403 in the page itself is a console error).
    refused = page.request.get(f"/egenerklaering/{donald.pk}/")
    assert refused.status == 403
    assert MARKER not in refused.text()


def _question(page, row: int, *, order: int, text: str, kind: str = "yes_no", unit: str = ""):
    """Fill row `row` of the questions in the questionnaire's admin form."""
    page.locator(f"[name=questions-{row}-order]").fill(str(order))
    page.locator(f"[name=questions-{row}-kind]").select_option(kind)
    page.locator(f"[name=questions-{row}-text]").fill(text)
    if unit:
        page.locator(f"[name=questions-{row}-unit]").fill(unit)
