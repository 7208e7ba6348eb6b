"""Uploads are limited in size and type everywhere: an oversized body is refused unread, a
file of a type the portal never takes is refused as it arrives, and forms check the rest."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.uploads import UploadValidator, validate_upload

pytestmark = pytest.mark.django_db

XLSX_HEAD = b"PK\x03\x04" + b"\x00" * 100


def test_the_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.PORTAL_UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_HANDLERS[0] == "accounts.uploads.AllowedTypesUploadHandler"


def test_a_body_above_the_limit_is_refused_unread(cast, client, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1000
    client.force_login(cast.kam)
    big = SimpleUploadedFile("ansatte.xlsx", XLSX_HEAD + b"x" * 2000)

    response = client.post("/portal/employee/add/", {"file": big})

    assert response.status_code == 413
    assert 'data-testid="error-page" data-status="413"' in response.content.decode()


def test_a_file_of_another_type_is_refused_at_the_door(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.kam)
    script = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/x-msdownload")

    response = client.post("/portal/employee/add/", {"file": script})

    assert response.status_code == 400
    assert 'data-testid="error-page" data-status="400"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ansatte.xlsx", XLSX_HEAD),
        ("ansatte.csv", "fornavn;etternavn\nBjørn;Dæhlie\n".encode()),
        ("faktura.pdf", b"%PDF-1.7\n"),
    ],
)
def test_the_validator_takes_what_the_portal_takes(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("side.html", b"<script>", "file_type"),
        ("ansatte.xlsx", b"<html>not a workbook", "file_content"),
        ("ansatte.csv", b"a;b\x00\x00c", "file_content"),
        ("faktura.pdf", b"MZ\x90", "file_content"),
        ("uten-endelse", b"data", "file_type"),
    ],
)
def test_the_validator_refuses_wrong_types_and_disguised_content(name, content, code):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def test_the_validator_refuses_a_file_too_large():
    validator = UploadValidator(extensions=["csv"], max_bytes=10)

    with pytest.raises(ValidationError) as refused:
        validator(SimpleUploadedFile("a.csv", b"a;b\n" * 10))

    assert refused.value.code == "file_too_large"


def test_the_validator_leaves_the_file_where_it_was():
    upload = SimpleUploadedFile("a.csv", b"a;b\n1;2\n")
    upload.file = io.BytesIO(b"a;b\n1;2\n")
    upload.seek(3)

    validate_upload(upload)

    assert upload.tell() == 3
