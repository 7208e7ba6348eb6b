"""Spreadsheets made to hurt the reader: small files that unpack, expand or repeat into a lot
of work. Written in memory, for `benchmark_hostile_uploads` and the import's tests.

Each workbook is a valid .xlsx around an ordinary header row (the employee template's
columns), so that only its hostile part can be the reason it is refused.
"""

import io
import zipfile

from devtools.excel_files import MAIN_NS, package
from imports.employee_columns import COLUMNS

# The template's headings, without «Aktiv»: the import's own columns, said once.
HEADERS = tuple(column.heading for column in COLUMNS if column.key != "active")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{MAIN_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Ansatte" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def workbook(sheet_data: str, *, shared: tuple[str, ...] = (), prolog: str = "") -> bytes:
    """An .xlsx whose one sheet has `sheet_data` (the XML inside <sheetData>), the header row
    first, and whose shared strings are the headings followed by `shared`."""
    header = '<row r="1">' + "".join(
        f'<c r="{LETTERS[i]}1" t="s"><v>{i}</v></c>' for i in range(len(HEADERS))
    )
    strings = "".join(f"<si><t>{text}</t></si>" for text in (*HEADERS, *shared))
    return package(
        sheet=f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>{header}</row>{sheet_data}</sheetData>'
        "</worksheet>",
        shared_strings=f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'
        f"{strings}</sst>",
        workbook=WORKBOOK,
    )


def shared_string_bomb(*, chars: int, rows: int, columns: int = len(HEADERS)) -> bytes:
    """One shared string of `chars` characters, referred to by every cell of `rows` rows."""
    index = len(HEADERS)
    data = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{LETTERS[c]}{r}" t="s"><v>{index}</v></c>' for c in range(columns))
        + "</row>"
        for r in range(2, rows + 2)
    )
    return workbook(data, shared=("A" * chars,))


def empty_cells_bomb(*, cells: int, per_row: int = 16_384) -> bytes:
    """`cells` empty cells, `per_row` to a row: nothing to import, all of it to parse."""
    rows, rest = divmod(cells, per_row)
    data = ("<row>" + "<c/>" * per_row + "</row>") * rows
    if rest:
        data += "<row>" + "<c/>" * rest + "</row>"
    return workbook(data)


def number_cells_bomb(*, cells: int, per_row: int = 16_384) -> bytes:
    """`cells` cells holding the number 1, `per_row` to a row, far beyond the columns read."""
    rows, rest = divmod(cells, per_row)
    data = ("<row>" + "<c><v>1</v></c>" * per_row + "</row>") * rows
    if rest:
        data += "<row>" + "<c><v>1</v></c>" * rest + "</row>"
    return workbook(data)


def gap_rows_bomb(*, rows: int, gap: int) -> bytes:
    """`rows` rows with a name, `gap` row numbers apart: openpyxl yields the empty rows between."""
    return workbook(
        "".join(
            f'<row r="{2 + i * gap}"><c r="A{2 + i * gap}" t="inlineStr"><is><t>Kari</t></is>'
            "</c></row>"
            for i in range(rows)
        )
    )


def entity_bomb() -> bytes:
    """A DOCTYPE defining nested entities ("billion laughs") before the sheet."""
    laughs = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "lol"}">' for i in range(10)
    )
    return workbook(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
        prolog=f"<!DOCTYPE lolz [{laughs}]>",
    )


def zip_bomb(*, unpacked: int) -> bytes:
    """A workbook with a member of `unpacked` zero bytes (a thousandth of it packed)."""
    buffer = io.BytesIO(workbook(""))
    block = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/image1.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(unpacked // len(block)):
            member.write(block)
    return buffer.getvalue()


def csv_file(rows: list[list[str]]) -> bytes:
    lines = [";".join(HEADERS), *(";".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def csv_long_cell(*, chars: int) -> bytes:
    """One row whose first name is `chars` characters long."""
    return csv_file([["K" * chars, "Hansen", "kari@testbedriften.no"]])


def csv_many_rows(*, size: int) -> bytes:
    """As many ordinary rows as fit in `size` bytes."""
    row = "Kari;Hansen;kari{}@testbedriften.no;91234567;17.05.1985;Kvinne;Bergen TEST;"
    count = size // (len(row) + 8)
    return csv_file([row.format(i).split(";") for i in range(count)])


def csv_wide_row(*, size: int) -> bytes:
    """One row of `size` separators: millions of empty cells."""
    return csv_file([["Kari", "Hansen", "kari@testbedriften.no", *([""] * size)]])
