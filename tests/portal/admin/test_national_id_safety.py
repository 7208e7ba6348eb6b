"""A national id number, once typed into the employee form, is never seen again: not in the
database's columns, not on any page, not in an export, an error page or a log — only masked,
and in clear only to staff with the dedicated permission, each look logged."""

import logging
import re
from io import BytesIO
from unittest import mock

import pytest
from django.core import mail
from django.urls import Resolver404, resolve
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from portal import services
from portal.admin.employees import EmployeeAdmin
from portal.models import Employee
from portal.models.employees import NATIONAL_ID_MASK
from tests.permissions.helpers import form_data
from tests.portal.helpers import MASK, NUMBER, OTHER_NUMBER, leaked_runs, raw_columns

pytestmark = pytest.mark.django_db


def change_url(employee, view="change"):
    return f"/portal/employee/{employee.pk}/{view}/"


def form_url(employee):
    """The employee's form: a customer reads the page first and gets it after «Rediger»."""
    return f"{change_url(employee)}?edit=1"


def save_through_form(client, employee, **changes):
    """Open the employee's form, change what is given, press «Lagre»."""
    data = form_data(client.get(form_url(employee)))
    data.update(changes)
    return client.post(form_url(employee), data)


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def saved(cast, login):
    """testweb has typed NUMBER into Donald Duck's form and saved it; the client is theirs."""
    client = login(cast.testweb)
    response = save_through_form(client, cast.donald, national_id=NUMBER, mobile="87654321")
    assert response.status_code == 302, response.context["adminform"].form.errors
    cast.donald.refresh_from_db()
    assert cast.donald.has_national_id
    return client


# -- at rest ---------------------------------------------------------------------------------


def test_the_raw_columns_hold_no_digits_of_the_number(saved, cast):
    encrypted, digest, row = raw_columns(cast.donald)

    assert encrypted
    assert digest
    assert leaked_runs(encrypted) == []
    assert leaked_runs(digest) == []
    assert leaked_runs(row) == []
    assert NUMBER[:6] not in row  # the birth part ddmmåå


# -- on every page ---------------------------------------------------------------------------


def test_the_change_page_after_saving_shows_the_number_masked_and_nothing_else(saved, cast):
    response = saved.get(form_url(cast.donald))

    page = text_of(response)
    assert response.status_code == 200
    assert f"Registrert: {MASK}." in page
    assert leaked_runs(page) == []
    # the write-only field comes back empty
    assert re.search(r'<input[^>]*name="national_id"[^>]*>', page)
    assert not re.search(r'<input[^>]*name="national_id"[^>]*value="[^"]', page)


@pytest.mark.parametrize("username", ["testweb", "kam", "admin"])
def test_the_employee_list_shows_no_number(saved, login, username):
    client = login(username)

    for params in ({}, {"text": "Donald"}, {"active": "all"}):
        response = client.get("/portal/employee/", params)
        assert response.status_code == 200
        assert "Donald Duck" in text_of(response)
        assert leaked_runs(text_of(response)) == [], params


def test_the_history_shows_the_number_only_as_changed(saved, cast, login):
    # given the number saved, then changed to another one
    response = save_through_form(saved, cast.donald, national_id=OTHER_NUMBER)
    assert response.status_code == 302

    # when the page's history section and the admin's history page are read
    page = text_of(saved.get(change_url(cast.donald)))
    history_page = text_of(saved.get(change_url(cast.donald, "history")))

    # then the number is told as changed, twice, and neither number appears
    section = re.search(r'<section[^>]*id="employee-history".*?</section>', page, flags=re.S)
    assert section, "no history section on the employee page"
    assert section.group(0).count("fødselsnummer</td>") == 2
    for text in (page, history_page):
        assert leaked_runs(text, NUMBER) == []
        assert leaked_runs(text, OTHER_NUMBER) == []


def test_a_form_sent_back_with_an_error_does_not_echo_the_number(cast, login):
    # given testweb types a new number but also an address that is not one
    client = login(cast.testweb)

    response = save_through_form(client, cast.donald, national_id=NUMBER, email="ikke-en-adresse")

    # then the form is shown again with the error, the number field empty, and nothing saved
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert leaked_runs(text_of(response)) == []
    cast.donald.refresh_from_db()
    assert not cast.donald.has_national_id


def test_a_new_employee_form_sent_back_with_an_error_does_not_echo_the_number(cast, login):
    client = login(cast.testweb)
    data = form_data(client.get("/portal/employee/add/"))
    data.update(
        first_name="Fetter",
        last_name="Anton",
        email="Duck@testikkeibruk.no",  # Donald's
        national_id=NUMBER,
    )

    response = client.post("/portal/employee/add/", data)

    assert response.status_code == 200
    assert leaked_runs(text_of(response)) == []
    assert not Employee.objects.filter(first_name="Fetter").exists()


def test_the_read_only_page_shows_the_mask_or_not_registered(saved, cast, login):
    client = login(cast.viewer)

    donald_page = text_of(client.get(change_url(cast.donald)))
    dolly_page = text_of(client.get(change_url(cast.dolly)))

    assert MASK in donald_page
    assert leaked_runs(donald_page) == []
    assert "Ikke registrert" in dolly_page
    assert MASK not in dolly_page


def test_the_edit_page_says_blank_means_not_registered(cast, login):
    page = text_of(login(cast.testweb).get(form_url(cast.dolly)))

    assert "Blankt betyr at det ikke er registrert noe nummer ennå." in page
    assert NATIONAL_ID_MASK not in page


# -- changing it -----------------------------------------------------------------------------


def test_saving_with_the_number_field_blank_keeps_the_number(saved, cast):
    digest = cast.donald.national_id_digest

    response = save_through_form(saved, cast.donald, mobile="11223344")

    assert response.status_code == 302
    cast.donald.refresh_from_db()
    assert cast.donald.mobile == "11223344"
    assert cast.donald.national_id_digest == digest
    assert cast.donald.reveal_national_id() == NUMBER


def test_a_partly_typed_number_is_refused_and_the_old_one_kept(saved, cast):
    response = save_through_form(saved, cast.donald, national_id="56715")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["national_id"] == [
        "Et fødselsnummer har nøyaktig 11 siffer (du skrev 5)."
    ]
    assert 'value="56715"' not in text_of(response)
    cast.donald.refresh_from_db()
    assert cast.donald.reveal_national_id() == NUMBER


def test_typing_a_whole_new_number_replaces_it(saved, cast):
    response = save_through_form(saved, cast.donald, national_id=OTHER_NUMBER)

    assert response.status_code == 302
    cast.donald.refresh_from_db()
    assert cast.donald.reveal_national_id() == OTHER_NUMBER


def test_the_number_can_be_removed(saved, cast):
    response = save_through_form(saved, cast.donald, remove_national_id="on")

    assert response.status_code == 302
    cast.donald.refresh_from_db()
    assert (cast.donald.national_id_encrypted, cast.donald.national_id_digest) == ("", "")
    assert "Blankt betyr at det ikke er registrert" in text_of(saved.get(form_url(cast.donald)))


# -- exports ---------------------------------------------------------------------------------


def _export_view(url):
    try:
        match = resolve(url)
    except Resolver404:
        return None
    return match if match.url_name == "portal_employee_export" else None


def _sheet_text(content: bytes) -> str:
    """Every cell of an exported sheet as text (.xlsx is a zip; .csv is text)."""
    if content.startswith(b"PK"):
        workbook = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            " ".join("" if value is None else str(value) for value in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8-sig")


@pytest.mark.parametrize("username", ["testweb", "kam"])
def test_the_employee_export_holds_no_number(saved, cast, login, username):
    url = "/portal/employee/export/"
    if _export_view(url) is None:
        pytest.skip(
            "The employee list has no export yet: /portal/employee/export/ is the admin's "
            "catch-all (a redirect to «export/change/»), not an export view."
        )
    client = login(username)
    page = client.get(url)
    assert page.status_code == 200
    assert leaked_runs(text_of(page)) == []
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        choices = [str(value) for value, _label in getattr(field, "choices", []) if value != ""]
        if getattr(field.widget, "input_type", None) == "checkbox":
            data[name] = "on"
        elif choices:
            data[name] = choices
        elif form[name].value() is not None:
            data[name] = str(form[name].value())
    formats = form.fields["format"].choices
    for value, label in formats:
        if value == "":
            continue
        response = client.post(url, {**data, "format": str(value)})
        assert response.status_code == 200, label
        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = _sheet_text(content)
        assert "Donald" in sheet, f"{label}: Donald is not in the export"
        assert leaked_runs(sheet) == [], label


# -- error pages and logs --------------------------------------------------------------------


@pytest.fixture
def server_errors(settings, client, caplog):
    """Production's error handling: DEBUG off, the 500 page instead of an exception, the error
    logged (and mailed to ADMINS, as Django does by default)."""
    settings.DEBUG = False
    settings.ADMINS = [("Drift", "drift@example.no")]
    client.raise_request_exception = False
    caplog.set_level(logging.INFO)
    return caplog


def _everything_logged(caplog) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(
        formatter.format(record) + " " + repr(getattr(record, "request", ""))
        for record in caplog.records
    )


def _everything_mailed() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        parts += [str(attachment) for attachment in message.attachments]
    return "\n".join(str(part) for part in parts)


def test_a_server_error_on_the_employee_page_shows_and_logs_no_number(saved, cast, server_errors):
    # given the employee page breaks after the employee (with a number) has been loaded
    loaded = []

    def exploding(self, request, context, add=False, change=False, form_url="", obj=None):
        loaded.append(obj)
        raise RuntimeError(f"the page of {obj!r} could not be drawn")

    mail.outbox.clear()
    with mock.patch.object(EmployeeAdmin, "render_change_form", exploding):
        response = saved.get(change_url(cast.donald))

    # then the visitor gets the 500 page, and neither it, the log nor the mail has the number
    assert response.status_code == 500
    assert loaded
    assert loaded[0].pk == cast.donald.pk
    assert loaded[0].has_national_id
    assert leaked_runs(text_of(response)) == []
    assert "Internal Server Error" in _everything_logged(server_errors)
    assert leaked_runs(_everything_logged(server_errors)) == []
    assert leaked_runs(_everything_mailed()) == []


def test_a_server_error_while_saving_a_typed_number_shows_logs_and_mails_no_number(
    cast, login, server_errors
):
    # given testweb types Donald's number and the save breaks in the middle
    client = login(cast.testweb)
    data = form_data(client.get(form_url(cast.donald)))
    data["national_id"] = NUMBER
    mail.outbox.clear()

    with mock.patch(
        "portal.services.employees._save", side_effect=RuntimeError("the database went away")
    ):
        response = client.post(form_url(cast.donald), data)

    # then the 500 page, the log records and the error report to ADMINS hold no number
    assert response.status_code == 500
    assert leaked_runs(text_of(response)) == []
    assert "Internal Server Error" in _everything_logged(server_errors)
    assert leaked_runs(_everything_logged(server_errors)) == []
    assert mail.outbox, "Django mails ADMINS a report of every server error"
    assert leaked_runs(_everything_mailed()) == [], (
        "the error report mailed to ADMINS carries the typed number"
    )
    cast.donald.refresh_from_db()
    assert not cast.donald.has_national_id


# -- revealing it ----------------------------------------------------------------------------


def _reveal(client, employee):
    """GET the reveal dialog, then POST it as the dialog's button does."""
    url = change_url(employee, "reveal")
    return client.get(url), client.post(url, {"_form_submitted": "on"})


def _reveals():
    return AuditEvent.objects.filter(action="national_id_revealed")


@pytest.mark.parametrize("member", ["testweb", "kam", "customer_service"])
def test_reveal_is_denied_without_the_permission(saved, cast, login, member):
    # given Donald's number saved; kam and customer service are staff without the permission
    client = login(getattr(cast, member))

    # when the user opens and posts the reveal dialog
    shown, posted = _reveal(client, cast.donald)

    # then both are refused, nothing shows the number, and no look is logged
    assert (shown.status_code, posted.status_code) == (403, 403)
    assert leaked_runs(text_of(shown) + text_of(posted)) == []
    assert not _reveals().exists()


def test_reveal_of_another_customers_employee_answers_like_a_missing_one(saved, cast, login):
    services.employee_update(employee=cast.ola, actor=cast.annen, national_id=OTHER_NUMBER)
    client = login("testweb")

    other = [response.status_code for response in _reveal(client, cast.ola)]
    missing = [
        client.get("/portal/employee/999999/reveal/").status_code,
        client.post("/portal/employee/999999/reveal/", {"_form_submitted": "on"}).status_code,
    ]

    assert other == missing == [403, 403]
    assert not _reveals().exists()


def test_reveal_with_the_permission_shows_the_number_and_logs_who_whose_when(
    saved, cast, reveal_permission, login
):
    # given kam, holding portal.reveal_national_id
    client = login(reveal_permission)
    before = timezone.now()

    # when kam opens the dialog: the number is not shown yet, and nothing is logged
    shown = client.get(change_url(cast.donald, "reveal"))
    assert shown.status_code == 200
    assert leaked_runs(text_of(shown)) == []
    assert not _reveals().exists()

    # when kam presses «Vis»
    posted = client.post(change_url(cast.donald, "reveal"), {"_form_submitted": "on"})

    # then the number is shown, not cached, and the look is logged: who, whose, when
    assert posted.status_code == 200
    assert re.search(rf'data-testid="revealed-number">\s*{NUMBER}\s*<', text_of(posted))
    assert "no-store" in posted["Cache-Control"]
    event = _reveals().get()
    assert event.actor == reveal_permission
    assert (event.content_type.model, event.object_id) == ("employee", str(cast.donald.pk))
    assert event.object_repr == "Donald Duck"
    assert before <= event.created_at <= timezone.now()
    assert leaked_runs(str(event.changes)) == []
    # and the look is listed in Donald's history for staff
    history = text_of(client.get(change_url(cast.donald)))
    assert "Fødselsnummer vist" in history
    assert leaked_runs(history) == []


def test_reveal_through_the_dialog_swaps_the_number_into_it(saved, cast, reveal_permission, login):
    """The dialog posts with htmx and swaps its `#dialog-form` for the answer's: the answer
    must carry that element, with the number in it."""
    client = login(reveal_permission)

    posted = client.post(
        change_url(cast.donald, "reveal"), {"_form_submitted": "on"}, headers={"HX-Request": "true"}
    )

    assert posted.status_code == 200
    swapped = re.search(r'<div id="dialog-form"[^>]*>(.*?)</div>', text_of(posted), re.S)
    assert swapped, "the answer has no #dialog-form for the dialog to swap in"
    assert re.search(rf'data-testid="revealed-number">\s*{NUMBER}\s*<', swapped.group(1))
    assert "no-store" in posted["Cache-Control"]
    assert _reveals().get().actor == reveal_permission


def test_reveal_without_a_registered_number_is_not_offered(cast, reveal_permission, login):
    client = login(reveal_permission)

    shown, posted = _reveal(client, cast.donald)

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert not _reveals().exists()


def test_the_reveal_button_shows_only_for_staff_with_the_permission(
    saved, cast, reveal_permission, login
):
    reveal_link = f'href="{change_url(cast.donald, "reveal")}"'

    assert reveal_link in text_of(login(reveal_permission).get(change_url(cast.donald)))
    assert reveal_link not in text_of(login("testweb").get(change_url(cast.donald)))
