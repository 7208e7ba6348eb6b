"""A file waiting for its confirm or its worker when encryption at rest is deployed is still
imported: the migration encrypts it as the new code reads it."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from background.models import Job, JobKind
from imports.models import ImportUpload
from imports.uploads import upload_content, upload_store
from portal.crypto import content_decrypt
from tests.imports.conftest import csv_file

pytestmark = pytest.mark.django_db

migration = import_module("imports.migrations.0002_encrypt_waiting_files")


def test_files_waiting_at_the_deploy_are_encrypted_and_read_as_they_came(cast):
    content = csv_file(["Kari", "Nordmann", "kari@testbedriften.no"])
    later = timezone.now() + datetime.timedelta(hours=1)
    upload = ImportUpload.objects.create(
        token="t", user=cast.testweb, customer=cast.testbedriften, kind="employees",
        file_name="ansatte.csv", content=content, expires_at=later,
    )  # fmt: skip
    job = Job.objects.create(
        owner=cast.testweb, kind=JobKind.IMPORT, title="Import", input=content, expires_at=later
    )
    stored_encrypted = upload_store(  # by a server that ran the new code before the migration
        user=cast.kam, customer=cast.testbedriften, kind="employees", file_name="b.csv",
        content=content, rows=1, fingerprint="",
    )  # fmt: skip
    finished = Job.objects.create(
        owner=cast.testweb, kind=JobKind.IMPORT, title="Import", input=None, expires_at=later
    )

    migration.waiting_files_encrypt(apps, None)

    upload.refresh_from_db()
    stored_encrypted.refresh_from_db()
    job.refresh_from_db()
    finished.refresh_from_db()
    assert b"kari@testbedriften.no" not in bytes(upload.content) + bytes(job.input)
    assert upload_content(upload) == content
    assert content_decrypt(bytes(job.input)) == content
    assert upload_content(stored_encrypted) == content  # not encrypted twice
    assert finished.input is None
