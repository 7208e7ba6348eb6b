"""Reading an .xlsx safely: checked as a zip before openpyxl sees it, then read row by row.

The zip is checked first, without unpacking more than it declares (Python's zipfile stops at
the declared size, so the declared sizes are a real bound): the number of members and the
sizes they unpack to; every XML part is refused if it declares a DOCTYPE (so no entity can be
defined, let alone expanded; openpyxl parses through defusedxml as well); the elements of all
XML parts together are counted, because openpyxl spends microseconds in Python on each one
(a 10 kB file of two million empty cells would hold a worker for a minute); and the
shared-strings table, which openpyxl reads whole into memory before the first row, is held
to a size.

Only then does openpyxl's public reader open it: read-only, with the values Excel stored
(`data_only`: no formula is evaluated) and without external links. How long a cell and how
much text in all may be read is checked row by row by `imports.parsing`, which names the
row and column of a cell that is too long.
"""

import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterator

from defusedxml.ElementTree import fromstring
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from imports.refusals import MAX_COLUMNS, FileRefused, Limits, not_a_spreadsheet, too_complex
from imports.rows_kept import cells_trimmed

MAX_ZIP_MEMBERS = 500
PROLOG_SCAN_BYTES = 64 * 1024
SCAN_CHUNK_BYTES = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
# Every element ends in "</" or "/>": counted so, an element costs the same to count whatever
# it holds. An empty cell ("<c/>") costs openpyxl half as much again as an element of a cell
# with text, in four bytes: a self-closing end counts twice. (UTF-8, and UTF-16 either way.)
ELEMENT_ENDS = ((b"</", 1), (b"<\x00/", 1), (b"/>", 2), (b"/\x00>", 2))

# openpyxl warns about styles and extensions it ignores; the user cannot act on that.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?")


def xlsx_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, tuple]]:
    archive, members = open_package(content)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise _other_package(archive, names)
    check_package(archive, members, limits)
    _check_shared_strings(archive, names, limits)
    return _openpyxl_rows(content)


def open_package(content: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip of an .xlsx or .ods, and its members; not a spreadsheet when no zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        return archive, archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise not_a_spreadsheet() from None


def check_package(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """What an .xlsx and an .ods are both held to before a parser sees them: the number of
    members and what they unpack to, no encrypted member, no DOCTYPE in any XML part, and the
    elements of all XML parts together."""
    if len(members) > MAX_ZIP_MEMBERS or (
        sum(member.file_size for member in members) > limits.max_unpacked_bytes
    ):
        raise FileRefused(
            _(
                "The workbook unpacks to more than %(size)s. Save only the sheet with the "
                "employees, without pictures, in a new workbook."
            )
            % {"size": filesizeformat(limits.max_unpacked_bytes)}
        )
    xml_parts = [m for m in members if m.filename.lower().endswith(XML_SUFFIXES)]
    for member in members:
        if member.flag_bits & 0x1:
            raise not_a_spreadsheet()
    for member in xml_parts:
        if _declares_doctype(archive, member):
            raise FileRefused(
                _("The workbook contains XML declarations (DOCTYPE) that are not allowed.")
            )
    _check_elements(archive, xml_parts, limits)


def _other_package(archive: zipfile.ZipFile, names: set[str]) -> FileRefused:
    """Why a zip that is no Excel workbook is refused: what it is, when that can be told."""
    if "mimetype" in names and b"opendocument" in safe_read(archive, "mimetype", 200):
        # An .ods is read (imports.ods) when its mimetype comes first, as the standard asks.
        return FileRefused(
            _(
                "This is an OpenDocument file that could not be read as a spreadsheet. Open "
                "it in LibreOffice Calc and save it again as .ods or as an Excel workbook "
                "(.xlsx)."
            )
        )
    if any(name.startswith("Index/") or name == "Index.zip" for name in names):
        return FileRefused(
            _(
                "This is an Apple Numbers file. In Numbers, choose File > Export To > Excel, "
                "and upload the .xlsx file."
            )
        )
    if "word/document.xml" in names:
        return FileRefused(
            _(
                "This is a Word document, not a spreadsheet. Put the employees in a "
                "spreadsheet (Excel or LibreOffice Calc) and upload that."
            )
        )
    return not_a_spreadsheet()


def safe_read(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    """At most `size` bytes of a member; empty when it cannot be read."""
    try:
        with archive.open(name) as stream:
            return stream.read(size)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return b""


def _declares_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Is there a DOCTYPE (and so possibly entities) before the root element of the part?"""
    head = b""
    try:
        with archive.open(member) as stream:
            while len(head) < PROLOG_SCAN_BYTES:
                chunk = stream.read(4096)
                if not chunk:
                    break
                head += chunk
                if _root_started(head):
                    break
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        raise not_a_spreadsheet() from None
    text = _prolog_text(head)
    prolog = text[: _root_start(text)] if _root_start(text) is not None else text
    return "<!DOCTYPE" in prolog.upper() or "<!ENTITY" in prolog.upper()


def _prolog_text(head: bytes) -> str:
    """The bytes as ASCII-compatible text: UTF-16 (with or without BOM) loses its NULs, so
    that "<!DOCTYPE" reads the same in any encoding an XML parser accepts."""
    return head.replace(b"\x00", b"").decode("latin-1")


ROOT_START = re.compile(r"<[A-Za-z_]")


def _root_start(text: str) -> int | None:
    match = ROOT_START.search(text)
    return match.start() if match else None


def _root_started(head: bytes) -> bool:
    return _root_start(_prolog_text(head)) is not None


def _check_shared_strings(archive: zipfile.ZipFile, names: set[str], limits: Limits) -> None:
    """openpyxl reads the whole shared-strings table into memory before the first row: hold
    it to a size, wherever the package's content types put it."""
    parts = {SHARED_STRINGS} | _parts_of_type(archive, names, SHARED_STRINGS_TYPE)
    for name in parts & names:
        if archive.getinfo(name).file_size > limits.max_shared_strings_bytes:
            raise FileRefused(
                _(
                    "The text of the workbook unpacks to more than %(size)s, far more than "
                    "any list of employees. Copy only the cells to import into a new "
                    "workbook, or split it into smaller files."
                )
                % {"size": filesizeformat(limits.max_shared_strings_bytes)}
            )


def _parts_of_type(archive: zipfile.ZipFile, names: set[str], content_type: str) -> set[str]:
    """The parts that [Content_Types].xml says are of `content_type` (as openpyxl finds
    them); a list it cannot parse names none (openpyxl will refuse the file itself)."""
    if CONTENT_TYPES not in names:
        return set()
    try:
        root = fromstring(safe_read(archive, CONTENT_TYPES, CONTENT_TYPES_MAX_BYTES))
    except Exception:  # any parse error: see the docstring
        return set()
    return {
        element.get("PartName", "").lstrip("/")
        for element in root
        if element.get("ContentType") == content_type
    }


def _check_elements(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Count the elements of every XML part, unpacked a megabyte at a time (at C speed: about
    a hundredth of the time openpyxl takes to read them); refuse more than the limit."""
    elements = 0
    for member in parts:
        tail = b""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(SCAN_CHUNK_BYTES):
                    joined = tail + chunk
                    elements += sum(
                        weight * (joined.count(end) - tail.count(end))
                        for end, weight in ELEMENT_ENDS
                    )
                    if elements > limits.max_xml_elements:
                        raise too_complex()
                    tail = chunk[-2:]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
            raise not_a_spreadsheet() from None


def _openpyxl_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """openpyxl's public reader: read-only, cached values, no external links. The sheet's
    <dimension> is not trusted (one saying A1 would hide every row below the first), and no
    row is padded beyond MAX_COLUMNS."""
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # a workbook openpyxl cannot open is not one we can import
        raise FileRefused(
            _(
                "The file could not be read as an Excel workbook. Open it in Excel and save "
                "it again."
            )
        ) from None
    sheet = _worksheet(workbook)
    if sheet is None:
        workbook.close()
        raise FileRefused(_("The workbook has no sheet with rows and columns."))
    sheet.reset_dimensions()
    return _sheet_rows(workbook, sheet)


def _worksheet(workbook):
    """The sheet that was open when the workbook was saved, else the first worksheet (a
    chart sheet has no cells)."""
    active = workbook.active
    if active in workbook.worksheets:
        return active
    return next(iter(workbook.worksheets), None)


def _sheet_rows(workbook, sheet) -> Iterator[tuple[int, tuple]]:
    number = 0
    try:
        for number, values in enumerate(
            sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            # openpyxl pads every row to MAX_COLUMNS: a row of eight columns stays eight cells
            # wide through the checks and in the rows the preview keeps.
            values = cells_trimmed(values)
            if float in set(map(type, values)):  # seldom: mobile numbers are ints
                values = tuple(map(_xlsx_value, values))
            yield number, values
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(
            _("Row %(row)d of the workbook could not be read. Open it in Excel and save it again.")
            % {"row": number + 1}
        ) from None
    finally:
        workbook.close()


def _xlsx_value(value):
    """Excel's "infinity" (1e1000000 typed into a number cell) is not a number anyone meant."""
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"
    return value
