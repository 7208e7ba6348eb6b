"""Uploads: what size and type the portal takes, checked at the door for every request and
again, with a message beside the field, by each form that takes a file."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# What a file of each type starts with; CSV has no signature, only no NUL bytes.
SIGNATURES = {
    "xlsx": (b"PK\x03\x04",),
    "pdf": (b"%PDF-",),
}
SNIFF_BYTES = 2048


class DisallowedUpload(SuspiciousOperation):
    """A file of a type the portal never takes: answered 400 and logged as suspicious."""


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


class AllowedTypesUploadHandler(FileUploadHandler):
    """Refuse, as the request is read, a file whose name has no allowed extension: it never
    reaches a view, a form, or the disk."""

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, *args):
        if extension_of(file_name) not in settings.PORTAL_UPLOAD_EXTENSIONS:
            raise DisallowedUpload(f"Upload of a {extension_of(file_name) or 'nameless'} file")
        super().new_file(field_name, file_name, content_type, content_length, charset, *args)

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None


def _looks_like(extension: str, head: bytes) -> bool:
    if extension in SIGNATURES:
        return head.startswith(SIGNATURES[extension])
    if extension == "csv":
        return b"\x00" not in head
    return False


@deconstructible
class UploadValidator:
    """A form or model field's check: the size, the extension, and that the content is what
    the extension says."""

    def __init__(self, extensions=None, max_bytes=None):
        self.extensions = list(extensions) if extensions else None
        self.max_bytes = max_bytes

    def __call__(self, upload):
        extensions = self.extensions or settings.PORTAL_UPLOAD_EXTENSIONS
        max_bytes = self.max_bytes or settings.PORTAL_UPLOAD_MAX_BYTES
        if upload.size > max_bytes:
            raise ValidationError(
                _("The file is too large (%(size)s). The largest file you can upload is %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
                code="file_too_large",
            )
        extension = extension_of(upload.name)
        if extension not in extensions:
            raise ValidationError(
                _("This type of file cannot be uploaded here. Allowed: %(types)s.")
                % {"types": ", ".join(f".{e}" for e in extensions)},
                code="file_type",
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(position)
        if not _looks_like(extension, head):
            raise ValidationError(
                _("The file's content does not match its type (.%(type)s).") % {"type": extension},
                code="file_content",
            )

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.extensions == other.extensions
            and self.max_bytes == other.max_bytes
        )


validate_upload = UploadValidator()
