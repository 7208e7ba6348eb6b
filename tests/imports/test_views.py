"""The pages: template, upload → preview → confirm, and the traps of import-export's own flow
closed (the upload belongs to its uploader, lives in the database, goes when done)."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from imports.models import ImportUpload
from imports.uploads import upload_content, upload_lines
from portal.models import Employee
from tests.factories import EmployeeFactory
from tests.imports.conftest import HEADERS, csv_file, read
from tests.imports.nid import KARI

pytestmark = pytest.mark.django_db

IMPORT = "/portal/employee/import/"
CONFIRM = "/portal/employee/import/confirm/"
CANCEL = "/portal/employee/import/cancel/"
TEMPLATE = "/portal/employee/import/template/"


def upload(client, name, content=None, **data):
    file = SimpleUploadedFile(name, read(name) if content is None else content)
    return client.post(IMPORT, {"import_file": file, **data})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no confirm button on the page"
    return match.group(1)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def testweb(cast, client_en):
    client_en.force_login(cast.testweb)
    return client_en


def test_the_list_has_import_and_export_buttons(testweb):
    page = testweb.get("/portal/employee/").content.decode()
    assert f'href="{IMPORT}"' in page
    assert 'href="/portal/employee/export/?' in page


def test_the_import_page(testweb):
    response = testweb.get(IMPORT)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{TEMPLATE}"' in page
    for heading in HEADERS:
        assert heading in page
    assert 'name="customer"' in page
    assert 'type="hidden"' in page


def test_the_template(testweb):
    response = testweb.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ansatte-mal.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert rows[0] == (*HEADERS, "Eksponering")
    assert rows[1][:7] == (
        "Ola",
        "Eksempelsen",
        "ola.eksempelsen@example.no",
        "912 34 567",
        datetime.datetime(1985, 5, 17),  # noqa: DTZ001 - an Excel date cell has no time zone; openpyxl reads it naive
        "Mann",
        "Bergen TEST",
    )
    assert sheet["H5"].number_format == "@"  # Fødselsnummer as text: leading zeros kept


def test_the_filled_in_template_imports_as_it_is(testweb, cast):
    content = testweb.get(TEMPLATE).content
    response = upload(testweb, "ansatte-mal.xlsx", content)
    testweb.post(CONFIRM, {"token": token_of(response)})
    ola = Employee.objects.get(email="ola.eksempelsen@example.no")
    assert (ola.department, ola.mobile, ola.is_active) == (cast.tb_bergen, "91234567", True)


def test_upload_preview_confirm(testweb, cast):
    response = upload(testweb, "template_filled.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-created">3<' in page
    assert "Kari Hansen" in page
    assert KARI_NOT_SHOWN(page)
    assert not Employee.objects.filter(email="kari.hansen@testbedriften.no").exists()
    [stored] = ImportUpload.objects.all()
    assert stored.user == cast.testweb
    assert upload_content(stored) == read("template_filled.xlsx")

    response = testweb.post(CONFIRM, {"token": token_of(response)})

    assert response.status_code == 302
    assert response["Location"] == "/portal/employee/"
    assert messages_of(testweb.get(response["Location"])) == [
        "The import is saved. New: 3, updated: 0, unchanged: 0."
    ]
    assert Employee.objects.filter(email="kari.hansen@testbedriften.no").exists()
    assert not ImportUpload.objects.exists()  # the upload is gone once confirmed


def scrolling_boxes(page) -> list[str]:
    """The opening tags of the boxes a wide table scrolls in."""
    return re.findall(r'<div class="overflow-x-auto"[^>]*>', page)


def assert_reachable_and_named(page):
    """Every scrolling box can be reached with the keyboard and is named by a heading on the
    page (axe-core: scrollable-region-focusable)."""
    boxes = scrolling_boxes(page)
    assert boxes
    for box in boxes:
        assert 'tabindex="0"' in box, box
        assert 'role="region"' in box, box
        heading = re.search(r'aria-labelledby="([^"]+)"', box)
        assert heading, box
        assert f'<h2 id="{heading.group(1)}"' in page, box


def test_the_previews_tables_scroll_in_a_box_the_keyboard_reaches(testweb):
    assert_reachable_and_named(upload(testweb, "template_filled.xlsx").content.decode())
    assert_reachable_and_named(upload(testweb, "bad_rows.xlsx").content.decode())
    # a date that reads two ways, shown to check beside the rows with errors
    two_ways = csv_file(
        ["Fetter", "Anton", "fetter@testbedriften.no", "", "01/03/1990", "", "Testbedriften AS"],
        ["Ole", "Brum", "", "", "", "", "Testbedriften AS"],
    )
    page = upload(testweb, "two_ways.csv", two_ways).content.decode()
    assert 'data-testid="import-warning"' in page
    assert 'data-testid="import-error"' in page
    assert_reachable_and_named(page)


def test_the_file_waits_for_its_confirm_encrypted(testweb):
    # a CSV keeps the national id as it was typed; the database must not
    file = csv_file(["Kari", "Hansen", "kari@testbedriften.no", "", "", "", "Bergen TEST", KARI])
    response = upload(testweb, "ansatte.csv", file)

    [stored] = ImportUpload.objects.all()
    assert KARI.encode() not in bytes(stored.content)
    assert b"Hansen" not in bytes(stored.content)
    assert upload_content(stored) == file
    # and so do the rows the preview read from it, kept for the confirm
    assert KARI.encode() not in bytes(stored.lines)
    assert b"Hansen" not in bytes(stored.lines)
    assert ("Kari", "Hansen") in {cells[:2] for _number, cells in upload_lines(stored) or []}
    testweb.post(CONFIRM, {"token": token_of(response)})
    assert Employee.objects.get(email="kari@testbedriften.no").reveal_national_id() == KARI


def KARI_NOT_SHOWN(page):
    return KARI not in page and f"{KARI[:6]} {KARI[6:]}" not in page


def test_row_errors_are_shown_and_nothing_can_be_confirmed(testweb):
    response = upload(testweb, "bad_rows.xlsx")
    page = response.content.decode()
    assert "The file has 11 errors. Nothing has been imported." in page
    assert page.count('data-testid="import-error"') == 11
    assert "ikke-en-epost" in page
    assert "This is not an e-mail address." in page
    assert 'name="token"' not in page
    assert not ImportUpload.objects.exists()  # nothing to confirm, nothing kept


def test_a_file_error_is_one_message(testweb):
    response = upload(testweb, "picture.xlsx")
    assert "This is a picture, not a spreadsheet." in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_file_of_another_type_is_told_on_the_page_not_refused_at_the_door(testweb):
    response = upload(testweb, "old_excel.xls")
    assert response.status_code == 200  # not the site-wide 400: the page says what to do
    assert "This is an old Excel file (.xls)" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_file_above_the_size_limit_is_not_even_kept_in_memory(testweb, settings):
    settings.IMPORTS_MAX_FILE_SIZE = 2000
    response = upload(testweb, "template_filled.xlsx")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["import_file"] == [
        "The file is larger than 2.0\xa0KB. Split it into smaller files."
    ]
    assert not ImportUpload.objects.exists()


def test_the_confirm_belongs_to_the_uploader(testweb, cast, client):
    """Another user who has the token (even of the same customer) finds nothing."""
    token = token_of(upload(testweb, "template_filled.xlsx"))
    client.force_login(cast.kam)
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == IMPORT
    assert not Employee.objects.filter(email="kari.hansen@testbedriften.no").exists()
    assert ImportUpload.objects.filter(token=token).exists()  # still the uploader's


def test_a_made_up_token_is_the_same_answer(testweb):
    response = testweb.post(CONFIRM, {"token": "x" * 43})
    assert response["Location"] == IMPORT
    assert messages_of(testweb.get(IMPORT)) == [
        "This import is no longer waiting for confirmation: it was saved, cancelled or has "
        "expired. Upload the file again."
    ]


def test_the_confirm_works_on_another_app_server(testweb, cast, client_en):
    """The upload is in the database: a new session (another server, another process with its
    own memory and disk) confirms it."""

    token = token_of(upload(testweb, "template_filled.xlsx"))
    cache.clear()
    testweb.logout()
    client_en.force_login(cast.testweb)
    client_en.post(CONFIRM, {"token": token})
    assert Employee.objects.filter(email="kari.hansen@testbedriften.no").exists()


def test_confirming_twice_writes_once(testweb):
    token = token_of(upload(testweb, "template_filled.xlsx"))
    testweb.post(CONFIRM, {"token": token})
    response = testweb.post(CONFIRM, {"token": token})
    assert response["Location"] == IMPORT
    assert Employee.objects.filter(email="kari.hansen@testbedriften.no").count() == 1


def test_an_expired_upload_cannot_be_confirmed_and_is_purged(testweb):
    token = token_of(upload(testweb, "template_filled.xlsx"))
    ImportUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert testweb.post(CONFIRM, {"token": token})["Location"] == IMPORT
    assert not Employee.objects.filter(email="kari.hansen@testbedriften.no").exists()

    upload(testweb, "utf8_bom.csv")  # the next upload sweeps the expired ones
    assert list(ImportUpload.objects.values_list("file_name", flat=True)) == ["utf8_bom.csv"]


def test_a_new_upload_replaces_the_users_pending_one(testweb):
    first = token_of(upload(testweb, "template_filled.xlsx"))
    upload(testweb, "utf8_bom.csv")
    assert not ImportUpload.objects.filter(token=first).exists()
    assert ImportUpload.objects.count() == 1


def test_the_purge_command(testweb):
    upload(testweb, "template_filled.xlsx")
    ImportUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    out = io.StringIO()
    call_command("purge_import_uploads", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert not ImportUpload.objects.exists()


def test_cancel(testweb):
    token = token_of(upload(testweb, "template_filled.xlsx"))
    response = testweb.post(CANCEL, {"token": token})
    assert response["Location"] == IMPORT
    assert not ImportUpload.objects.exists()
    assert not Employee.objects.filter(email="kari.hansen@testbedriften.no").exists()


def test_the_confirm_rolls_back_when_the_data_changed(testweb, cast):
    """Between preview and confirm the last row's address was taken in a department this
    user does not manage: the page shows the error; nothing is written."""

    content = csv_file(
        ["Ny", "En", "ny.en@testbedriften.no"], ["Ny", "To", "ny.to@testbedriften.no"]
    )
    testweb.force_login(cast.bergen_hr)
    token = token_of(upload(testweb, "ny.csv", content))
    EmployeeFactory(department=cast.tb_main, email="ny.to@testbedriften.no")

    response = testweb.post(CONFIRM, {"token": token})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing has been imported: the employees changed since the preview" in page
    assert 'data-testid="import-error"' in page
    assert not Employee.objects.filter(email="ny.en@testbedriften.no").exists()
    assert not ImportUpload.objects.exists()


def test_a_get_never_confirms(testweb):
    token = token_of(upload(testweb, "template_filled.xlsx"))
    assert testweb.get(f"{CONFIRM}?token={token}").status_code == 405
    assert testweb.get(f"{CANCEL}?token={token}").status_code == 405
    assert ImportUpload.objects.filter(token=token).exists()


def test_staff_choose_the_customer(cast, client_en):
    client_en.force_login(cast.kam)
    page = client_en.get(IMPORT).content.decode()
    assert "Testbedriften AS" in page
    assert "Eksempel Industri AS" in page
    response = upload(client_en, "template_filled.xlsx", customer=cast.eksempel.pk)
    assert "is not one of the companies/departments you may import into" in (
        response.content.decode()
    )  # Testbedriften's departments are not Eksempel's
    response = upload(client_en, "template_filled.xlsx", customer=cast.testbedriften.pk)
    client_en.post(CONFIRM, {"token": token_of(response)})
    assert Employee.objects.get(email="kari.hansen@testbedriften.no").customer == cast.testbedriften


def test_a_customer_user_cannot_pick_another_customer(testweb, cast):
    response = upload(testweb, "template_filled.xlsx", customer=cast.eksempel.pk)
    assert "customer" in response.context["form"].errors
    assert not ImportUpload.objects.exists()
