"""What makes a whole file unusable, and the limits a file is held to."""

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_COLUMNS = 50  # wider rows are cut: a cell in column XFD must not cost 16,384 cells per row


class FileRefused(Exception):
    """The file as a whole cannot be imported; `message` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.IMPORTS_MAX_FILE_SIZE,
            max_rows=settings.IMPORTS_MAX_ROWS,
            max_unpacked_bytes=settings.IMPORTS_MAX_UNPACKED_SIZE,
        )


def not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
    )


def too_large(limits: Limits) -> FileRefused:
    return FileRefused(
        _("The file is larger than %(size)s. Split it into smaller files.")
        % {"size": filesizeformat(limits.max_bytes)}
    )
