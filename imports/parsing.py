"""Reading an uploaded spreadsheet (.xlsx, .ods or .csv) as rows of cell values, within limits.

Nothing here knows about employees. A file is read from bytes in memory, never from a path;
its format is told by its content, not by its name. Whatever is wrong with the file as a whole
ends as one `FileRefused` with a message for the user, never as a stack trace.

An .xlsx goes to `imports.xlsx`, an .ods to `imports.ods`; a file that is something else
known (an old .xls, a PDF, a picture) is refused with what it is and what to upload instead;
anything else is read as CSV text here.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from imports.ods import is_ods, ods_rows
from imports.refusals import MAX_COLUMNS, FileRefused, Limits, not_a_spreadsheet, too_large
from imports.xlsx import xlsx_rows

MAX_EMPTY_RUN = 10_000  # this many empty rows in a row end the data (formatted-but-empty rows)

# Excel's "CSV UTF-8", "CSV (semikolondelt)" in Windows-1252, and "Unicode text" (UTF-16, tabs).
DELIMITERS = (";", ",", "\t")

__all__ = ["FileRefused", "Limits", "read_rows", "too_large"]


def read_rows(content: bytes, *, limits: Limits) -> Iterator[tuple[int, tuple]]:
    """(row number as the spreadsheet shows it, cell values) of every row that is not empty.

    Raises `FileRefused` at once for a file that cannot be read, and while iterating for one
    with too many rows or a broken row.
    """
    if len(content) > limits.max_bytes:
        raise too_large(limits)
    if not content.lstrip(codecs.BOM_UTF8).strip():
        raise FileRefused(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        rows = ods_rows(content, limits) if is_ods(content) else xlsx_rows(content, limits)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. Save it "
                "in Excel as an Excel workbook (.xlsx) or as CSV, without a password, and "
                "upload that."
            )
        )
    else:
        rows = _csv_rows(_decode(content))
    return _limited(rows, limits)


def _limited(rows, limits: Limits) -> Iterator[tuple[int, tuple]]:
    """The rows, held to the limits before anything cleans a cell: a cleaner's work grows with
    the text it is given, and one shared string of an .xlsx may fill every cell."""
    counted = empty_run = read = text = 0
    max_read = limits.max_rows + MAX_EMPTY_RUN
    for number, cells in rows:
        read += 1
        if read > max_read:
            raise FileRefused(
                _(
                    "The file has more than %(rows)s rows, counting the empty rows between "
                    "them. Delete the empty rows, or split the file into smaller files."
                )
                % {"rows": _number(max_read)}
            )
        lengths = [len(cell) if type(cell) is str else 0 for cell in cells]
        if lengths and max(lengths) > limits.max_cell_chars:
            index = next(i for i, n in enumerate(lengths) if n > limits.max_cell_chars)
            raise _cell_too_long(number, index, lengths[index], limits)
        text += sum(lengths)
        if text > limits.max_text_chars:
            raise FileRefused(
                _(
                    "The file holds more than %(chars)s characters of text, far more than any "
                    "list of employees. Split it into smaller files."
                )
                % {"chars": _number(limits.max_text_chars)}
            )
        if not any(_has_value(cell) for cell in cells):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return
            continue
        empty_run = 0
        counted += 1
        if counted > limits.max_rows + 1:  # the header row is not counted
            raise FileRefused(
                _(
                    "The file has more than %(rows)s rows. Split it into files of at most "
                    "%(rows)s rows."
                )
                % {"rows": _number(limits.max_rows)}
            )
        yield number, cells


def _cell_too_long(row: int, index: int, length: int, limits: Limits) -> FileRefused:
    return FileRefused(
        _(
            "Row %(row)d, column %(column)s holds %(length)s characters. No cell of an import "
            "is longer than %(limit)s characters: check the cell, or that this is the right "
            "file."
        )
        % {
            "row": row,
            "column": get_column_letter(index + 1),
            "length": _number(length),
            "limit": _number(limits.max_cell_chars),
        }
    )


def _number(value: int) -> str:
    """12 345: thousands with a no-break space, as Norwegian writes them."""
    return f"{value:,}".replace(",", "\xa0")


def _has_value(cell) -> bool:
    if cell is None:
        return False
    if isinstance(cell, str):
        return bool(cell.strip().strip("\u200b\ufeff"))
    return True


# -- CSV ---------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (Norwegian Excel)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise not_a_spreadsheet() from None
    if _looks_binary(content[:4096]):
        raise _binary_refused(content[:16])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRefused(
                _(
                    "The text of the file could not be read. Save it in Excel as "
                    "“CSV UTF-8” or as an Excel workbook (.xlsx)."
                )
            ) from None
    if _control_share(text[:4096]) > 0.01:
        raise not_a_spreadsheet()
    return text


BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z")


def _binary_refused(head: bytes) -> FileRefused:
    """What a binary file is, when its first bytes tell, and what to upload instead."""
    if head.startswith(b"%PDF"):
        return FileRefused(
            _(
                "This is a PDF file, not a spreadsheet: its rows cannot be read. Upload the "
                "spreadsheet the list was made in (.xlsx, .ods or CSV)."
            )
        )
    if head.startswith((b"\x89PNG", b"GIF8", b"\xff\xd8\xff")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return FileRefused(
            _(
                "This is a picture, not a spreadsheet. Upload the spreadsheet itself (.xlsx, "
                ".ods or CSV)."
            )
        )
    return not_a_spreadsheet()


def _looks_binary(head: bytes) -> bool:
    return head.startswith(BINARY_SIGNATURES) or b"\x00" in head


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return controls / len(text)


def _csv_rows(text: str) -> Iterator[tuple[int, tuple]]:
    lines = io.StringIO(text, newline="")
    hint = re.fullmatch(r"sep=(.)\r?\n?", lines.readline())  # Excel's own hint, not a row
    if hint:
        delimiter = hint.group(1)
    else:
        lines.seek(0)
        delimiter = _sniff_delimiter(text)
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" in str(error):  # csv's own bound, 131,072 characters
                raise FileRefused(
                    _(
                        "Row %(row)d holds a cell of more than %(limit)s characters. No cell "
                        "of an import is that long: check the cell, or that this is the right "
                        "file."
                    )
                    % {"row": number + 1, "limit": _number(csv.field_size_limit())}
                ) from None
            raise FileRefused(
                _("Row %(row)d of the file could not be read as CSV.") % {"row": number + 1}
            ) from None
        number += 1
        yield number, tuple(row[:MAX_COLUMNS])


def _sniff_delimiter(text: str) -> str:
    """The separator of the first line that has any: semicolon for Norwegian Excel."""
    for line in text[:65536].splitlines():
        if not line.strip():
            continue
        counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the order of DELIMITERS
        return best if counts[best] else ","
    return ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
