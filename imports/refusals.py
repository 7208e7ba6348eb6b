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
    """The file's size, and what its content may make the reader do: the time and memory of
    reading a file follow from these, not from its size on disk (a 10 kB workbook can hold a
    shared string of 40 MB that every cell refers to)."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int
    max_cell_chars: int = 1_000  # Excel allows 32,767; no name, address or number needs this
    max_text_chars: int = 10_000_000  # all cells together, a shared string counted each time
    max_xml_elements: int = 700_000  # 20,000 rows of eight text cells: 660,000
    max_shared_strings_bytes: int = 16 * 1024 * 1024

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.IMPORTS_MAX_FILE_SIZE,
            max_rows=settings.IMPORTS_MAX_ROWS,
            max_unpacked_bytes=settings.IMPORTS_MAX_UNPACKED_SIZE,
            max_cell_chars=settings.IMPORTS_MAX_CELL_CHARS,
            max_text_chars=settings.IMPORTS_MAX_TEXT_CHARS,
            max_xml_elements=settings.IMPORTS_MAX_XML_ELEMENTS,
            max_shared_strings_bytes=settings.IMPORTS_MAX_SHARED_STRINGS_SIZE,
        )


def not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _(
            "The file is not a spreadsheet. Upload an Excel workbook (.xlsx), an "
            "OpenDocument spreadsheet (.ods) or a CSV file."
        )
    )


def too_large(limits: Limits) -> FileRefused:
    return FileRefused(
        _("The file is larger than %(size)s. Split it into smaller files.")
        % {"size": filesizeformat(limits.max_bytes)}
    )


def too_complex() -> FileRefused:
    return FileRefused(
        _(
            "The workbook holds far more cells and formatting than the largest file the "
            "import accepts. Copy only the columns to import into a new workbook, or split "
            "it into smaller files."
        )
    )
