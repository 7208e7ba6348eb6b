"""Every file a user may pick answers on the import page, in Norwegian, with what the file is
and what to do: never the bare 400 «Ugyldig forespørsel» the site-wide check of file names
gives (it refused a real .ods before the import could read it)."""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags

from tests.imports.conftest import read

pytestmark = pytest.mark.django_db

IMPORT = "/portal/employee/import/"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def numbers_file() -> bytes:
    """An Apple Numbers file: a zip of Index/*.iwa parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x01binary")
        archive.writestr("Metadata/Properties.plist", b"bplist00")
    return buffer.getvalue()


@pytest.fixture
def testweb(cast, client):
    """In Norwegian, the site's language."""
    client.force_login(cast.testweb)
    return client


def page_after(client, name: str, content: bytes) -> str:
    response = client.post(IMPORT, {"import_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    text = " ".join(html.unescape(strip_tags(response.content.decode())).split())
    assert "Ugyldig forespørsel" not in text
    return text


def test_a_libreoffice_ods_is_previewed(testweb):
    text = page_after(testweb, "ansatte.ods", read("libreoffice_rows.ods"))

    assert "Forhåndsvisning" in text
    assert "Bekreft import" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "ansatte.ods",
            read("corrupt.ods"),
            "Filen kunne ikke leses som et OpenDocument-regneark (.ods). Åpne den i LibreOffice "
            "Calc og lagre den på nytt, eller lagre den som en Excel-arbeidsbok (.xlsx).",
        ),
        (
            "ansatte.xls",
            read("old_excel.xls"),
            "Dette er en gammel Excel-fil (.xls) eller en passordbeskyttet arbeidsbok.",
        ),
        (
            "ansatte.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "Dette er en PDF-fil, ikke et regneark",
        ),
        (
            "ansatte.numbers",
            numbers_file(),
            "Dette er en Apple Numbers-fil. Velg Arkiv > Eksporter til > Excel i Numbers",
        ),
        ("ansatte.png", PNG, "Dette er et bilde, ikke et regneark."),
        ("ansatte", b"\x00\x01\x02\x03" * 100, "Filen er ikke et regneark."),
    ],
    ids=["corrupt-ods", "xls", "pdf", "numbers", "image", "unknown"],
)
def test_a_file_that_cannot_be_imported_is_told_on_the_page(testweb, name, content, message):
    text = page_after(testweb, name, content)

    assert "Filen kunne ikke importeres." in text
    assert message in text


def test_an_empty_file_is_told_beside_the_field(testweb):
    text = page_after(testweb, "ansatte.xlsx", b"")

    assert "Filen er tom (0 byte). Lagre regnearket på nytt og last det opp" in text


def test_other_uploads_of_the_site_still_refuse_unknown_types_at_the_door(testweb, cast):
    """The site-wide check stays where no page reads the file's content."""
    response = testweb.post(
        "/portal/employee/", {"import_file": SimpleUploadedFile("x.ods", b"PK\x03\x04")}
    )

    assert response.status_code == 400
