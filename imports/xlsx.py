"""Reading an .xlsx safely: checked as a zip before openpyxl sees it, then read row by row.

The sizes its members unpack to are checked first (Python's zipfile stops at the declared size,
so the declared sizes are a real bound), and every XML part is refused if it declares a DOCTYPE
(so no entity can be defined, let alone expanded; openpyxl parses through defusedxml as well).
The workbook is then opened read-only, with the values Excel stored (`data_only`: no formula is
evaluated) and without external links.
"""

import functools
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet._reader import WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

from imports.refusals import MAX_COLUMNS, FileRefused, Limits, not_a_spreadsheet

MAX_ZIP_MEMBERS = 500
PROLOG_SCAN_BYTES = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")

# openpyxl warns about styles and extensions it ignores; the user cannot act on that.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?")


def xlsx_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, tuple]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise not_a_spreadsheet() from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and b"opendocument" in _safe_read(archive, "mimetype", 200):
            raise FileRefused(
                _(
                    "This is an OpenDocument spreadsheet (.ods). Save it as an Excel "
                    "workbook (.xlsx) or as CSV and upload that."
                )
            )
        raise not_a_spreadsheet()
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
    for member in members:
        if member.flag_bits & 0x1:
            raise not_a_spreadsheet()
        if member.filename.lower().endswith(XML_SUFFIXES) and _declares_doctype(archive, member):
            raise FileRefused(
                _("The workbook contains XML declarations (DOCTYPE) that are not allowed.")
            )
    return _openpyxl_rows(content)


def _safe_read(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
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


def _openpyxl_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    """openpyxl's own reader, read-only, cached values, no external links, driven by hand:
    `load_workbook` would first parse a whole sheet that has no <dimension> just to size it,
    and pad every row out to its widest cell."""
    try:
        reader = ExcelReader(
            io.BytesIO(content), read_only=True, keep_vba=False, data_only=True, keep_links=False
        )
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        source = reader.archive.open(_worksheet_path(reader))
    except Exception:  # a workbook openpyxl cannot open is not one we can import
        raise FileRefused(
            _(
                "The file could not be read as an Excel workbook. Open it in Excel and save "
                "it again."
            )
        ) from None
    parser = _SheetParser(
        source,
        reader.shared_strings,
        data_only=True,
        epoch=reader.wb.epoch,
        date_formats=reader.wb._date_formats,
        timedelta_formats=reader.wb._timedelta_formats,
    )
    return _sheet_rows(parser, source, reader.archive)


ROW = f"{{{SHEET_MAIN_NS}}}row"
VALUE = f"{{{SHEET_MAIN_NS}}}v"
INLINE_STRING = f"{{{SHEET_MAIN_NS}}}is"
TEXT = f"{{{SHEET_MAIN_NS}}}t"
RUN = f"{{{SHEET_MAIN_NS}}}r"


class _SheetParser(WorkSheetParser):
    """openpyxl's sheet parser, for the rows only, at C speed.

    The sheet is parsed with the standard library's C parser rather than defusedxml's Python
    one (three times slower): every part of the workbook was refused above if it declares a
    DOCTYPE, and without one there are no entities to expand (expat 2.4+ also limits entity
    amplification itself). The text of an inline string (what openpyxl and many exports
    write) is read directly: openpyxl's `Text.from_tree` costs more than the rest of a row."""

    def parse(self):
        for _event, element in ElementTree.iterparse(self.source):  # noqa: S314 -- see above
            if element.tag == ROW:
                row = self.parse_row(element)
                element.clear()
                yield row

    def parse_cell(self, element):
        """Text and plain numbers here; dates, booleans, errors and the rest by openpyxl."""
        data_type = element.get("t", "n")
        style_id = element.get("s")
        if data_type == "n" and style_id and int(style_id) in self.date_formats:
            return super().parse_cell(element)
        if data_type == "inlineStr":
            child = element.find(INLINE_STRING)
            value = None if child is None else _inline_text(child)
        elif data_type in ("s", "n", "str"):
            value = element.findtext(VALUE) or None
            if value is not None:
                value = self.shared_strings[int(value)] if data_type == "s" else value
                value = _cast_number(value) if data_type == "n" else value
        else:
            return super().parse_cell(element)
        coordinate = element.get("r")
        if coordinate:
            self.col_counter = _column(coordinate)
        else:
            self.col_counter += 1
        return {"column": self.col_counter, "value": value}


@functools.cache
def _column_of_letters(letters: str) -> int:
    return column_index_from_string(letters)


def _column(coordinate: str) -> int:
    return _column_of_letters(coordinate.rstrip("0123456789"))


def _inline_text(element) -> str:
    """Plain and formatted runs, as openpyxl's `Text.content` (phonetic runs left out)."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.extend(t.text or "" for t in child.iter(TEXT))
    return "".join(parts)


def _worksheet_path(reader) -> str:
    """The sheet that was open when the workbook was saved, else the first worksheet."""
    sheets = list(reader.parser.find_sheets())
    active = getattr(reader.wb, "_active_sheet_index", 0) or 0
    ordered = sheets[active : active + 1] + sheets
    for _sheet, rel in ordered:
        if rel.Type.endswith("/worksheet") and rel.target in reader.valid_files:
            return rel.target
    raise ValueError("no worksheet")


def _sheet_rows(parser, source, archive) -> Iterator[tuple[int, tuple]]:
    number = 0
    try:
        for number, cells in parser.parse():
            width = min(MAX_COLUMNS, max((cell["column"] for cell in cells), default=0))
            values = [None] * width
            for cell in cells:
                if cell["column"] <= width:
                    values[cell["column"] - 1] = _xlsx_value(cell["value"])
            yield number, tuple(values)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(
            _("Row %(row)d of the workbook could not be read. Open it in Excel and save it again.")
            % {"row": number + 1}
        ) from None
    finally:
        source.close()
        archive.close()


def _xlsx_value(value):
    """Excel's "infinity" (1e1000000 typed into a number cell) is not a number anyone meant."""
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"
    return value
