"""Reading an .ods (LibreOffice Calc, and what Google Sheets and Excel save as OpenDocument).

The package is held to the same checks as an .xlsx before anything parses it
(`imports.xlsx.check_package`: members, unpacked size, no DOCTYPE, element count). The sheet
is then read from content.xml as a stream, through defusedxml, one row at a time: no DOM of the
whole document as odfpy would build, and a row or cell repeated a million times (LibreOffice
writes the empty rows below the data that way) costs one element, not a million, because the
repeats are cut to MAX_COLUMNS cells and the rows end where `imports.parsing` stops reading.

The first sheet is read (an .ods names its active sheet only in its view settings).
"""

import datetime
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from imports.refusals import MAX_COLUMNS, FileRefused, Limits
from imports.xlsx import check_package, open_package, safe_read

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CONTENT = "content.xml"
MANIFEST = "META-INF/manifest.xml"  # names the encrypted parts of a password-protected file
MANIFEST_BYTES = 256 * 1024
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
SHEET, ROW, CELL = f"{TABLE}table", f"{TABLE}table-row", f"{TABLE}table-cell"
COVERED = f"{TABLE}covered-table-cell"
PARAGRAPH = f"{TEXT}p"
MAX_REPEAT = 1_048_576  # as many rows as a sheet has


def is_ods(content: bytes) -> bool:
    """An OpenDocument spreadsheet: a zip whose first member, stored as is, is its mimetype."""
    return content[30:38] == b"mimetype" and content[38 : 38 + len(ODS_MIMETYPE)] == ODS_MIMETYPE


def ods_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, tuple]]:
    try:
        archive, members = open_package(content)
    except FileRefused:
        raise _unreadable() from None
    names = {member.filename for member in members}
    if CONTENT not in names:
        raise _unreadable()
    check_package(archive, members, limits)
    if MANIFEST in names and b"encryption-data" in safe_read(archive, MANIFEST, MANIFEST_BYTES):
        raise FileRefused(
            _(
                "The spreadsheet is protected by a password. Open it in LibreOffice Calc, "
                "save it without a password, and upload it again."
            )
        )
    return _sheet_rows(archive)


def _unreadable() -> FileRefused:
    return FileRefused(
        _(
            "The file could not be read as an OpenDocument spreadsheet (.ods). Open it in "
            "LibreOffice Calc and save it again, or save it as an Excel workbook (.xlsx)."
        )
    )


def _sheet_rows(archive: zipfile.ZipFile) -> Iterator[tuple[int, tuple]]:
    number = 0
    try:
        with archive.open(CONTENT) as stream:
            depth = 0  # of sheets: a sheet inside a cell (an embedded object) is not the sheet
            cells: list = []
            for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag == SHEET:
                        depth += 1
                    continue
                if depth != 1:
                    if tag == SHEET:
                        depth -= 1
                        if depth == 0:
                            return  # the first sheet only
                    continue
                if tag in (CELL, COVERED):
                    repeat = _repeat(element, "number-columns-repeated")
                    value = _value(element) if tag == CELL else None
                    cells.extend([value] * min(repeat, MAX_COLUMNS - len(cells)))
                    element.clear()
                elif tag == ROW:
                    row = tuple(cells)
                    cells = []
                    for _copy in range(_repeat(element, "number-rows-repeated")):
                        number += 1
                        yield number, row
                    element.clear()
                elif tag == SHEET:
                    return
    except FileRefused:
        raise
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, ValueError, EOFError):
        if number == 0:
            raise _unreadable() from None
        raise FileRefused(
            _(
                "Row %(row)d of the spreadsheet could not be read. Open it in LibreOffice "
                "Calc and save it again."
            )
            % {"row": number + 1}
        ) from None


def _repeat(element, name: str) -> int:
    text = element.get(f"{TABLE}{name}") or "1"
    if not (text.isascii() and text.isdigit()) or len(text) > 7:
        raise ValueError(name)
    return min(max(int(text), 1), MAX_REPEAT)


def _value(cell):
    """The cell's value as the xlsx reader gives it: int or float, date or datetime, bool,
    or text (the cell's paragraphs, one per line)."""
    kind = cell.get(f"{OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        return _number(cell.get(f"{OFFICE}value") or "")
    if kind == "date":
        return _date(cell.get(f"{OFFICE}date-value") or "")
    if kind == "boolean":
        return cell.get(f"{OFFICE}boolean-value") == "true"
    paragraphs = [_text(p) for p in cell if p.tag == PARAGRAPH]
    if not paragraphs:
        return cell.get(f"{OFFICE}string-value") if kind == "string" else None
    return "\n".join(paragraphs)


def _number(text: str):
    if text.lstrip("-").isdigit() and text.isascii() and len(text) <= 20:
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


def _date(text: str):
    """2026-03-01 or 2026-03-01T14:30:00 (a date cell with a time)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.date() if "T" not in text or moment.time() == datetime.time() else moment


def _text(element) -> str:
    """A paragraph's text: spans as their text, <text:s text:c="n"/> as n spaces, tabs and
    line breaks as themselves."""
    parts = [element.text or ""]
    for child in element:
        name = child.tag.removeprefix(TEXT)
        if name == "s":
            count = child.get(f"{TEXT}c") or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, 1000))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
