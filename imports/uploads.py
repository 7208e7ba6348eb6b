"""Uploads between preview and confirm: stored, fetched by their owner, and gone afterwards.

Also the upload handler that keeps a file in memory and stops reading past the size limit, so
that a 2 GB upload is refused after the first megabytes instead of being spooled to disk.
"""

import datetime
import io
import secrets

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.utils import timezone

from imports.models import ImportUpload
from imports.rows_kept import Rows, rows_dump, rows_load
from portal.crypto import content_decrypt, content_encrypt


def upload_store(
    *,
    user,
    customer,
    kind: str,
    file_name: str,
    content: bytes,
    rows: int = 0,
    fingerprint: str = "",
    lines: Rows | None = None,
) -> ImportUpload:
    """Keep a checked upload for its confirm, with the rows its preview read (`lines`) when
    they can be kept; the user's earlier pending upload of the same kind, and everyone's
    expired ones, go."""
    kept = rows_dump(lines) if lines else b""
    with transaction.atomic():
        uploads_purge()
        ImportUpload.objects.filter(user_id=user.pk, kind=kind).delete()
        return ImportUpload.objects.create(
            token=secrets.token_urlsafe(32),
            user=user,
            customer=customer,
            kind=kind,
            file_name=file_name[:255],
            content=content_encrypt(content),
            lines=content_encrypt(kept) if kept else b"",
            rows=rows,
            fingerprint=fingerprint,
            expires_at=timezone.now() + datetime.timedelta(seconds=settings.IMPORTS_UPLOAD_TTL),
        )


def upload_content(upload: ImportUpload) -> bytes:
    """The file as it was uploaded (it is kept encrypted)."""
    return content_decrypt(bytes(upload.content))


def upload_lines(upload: ImportUpload) -> Rows | None:
    """The rows the preview read from the file; None when they were not kept."""
    kept = bytes(upload.lines)
    return rows_load(content_decrypt(kept)) if kept else None


def upload_take(*, token: str, user, kind: str) -> ImportUpload | None:
    """The user's pending upload behind `token`, locked for the confirm (a double click waits
    and then finds it gone); None when it is not theirs, expired, confirmed or cancelled."""
    if not token or len(token) > 64:
        return None
    return (
        ImportUpload.objects.pending_for(token=token, user=user)
        .filter(kind=kind)
        .select_for_update(of=("self",))  # the customer may be none: an outer join
        .select_related("customer")
        .first()
    )


def upload_discard(*, token: str, user) -> int:
    """Cancel: the user's upload behind `token` goes (someone else's stays)."""
    deleted, _ = ImportUpload.objects.filter(token=token, user_id=user.pk).delete()
    return deleted


def uploads_purge() -> int:
    """Every expired upload (abandoned at the preview): run by each upload, and by
    `manage.py purge_import_uploads` from cron."""
    deleted, _ = ImportUpload.objects.expired().delete()
    return deleted


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keep an uploaded file in memory up to `limit` bytes; beyond that skip the file and set
    `too_large`, so that the view can say so."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
