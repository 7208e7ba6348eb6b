"""Write the spreadsheets under tests/imports/files/ (run once; the files are checked in).

    .venv/bin/python -m tests.imports.make_files

Each file is one kind of sheet HR really uploads, or one kind of broken file. The department
names and the employees they touch are those of the demo world (Testbedriften AS).
"""

import codecs
import datetime
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

from tests.imports.nid import KARI, LISE, PER

FILES = Path(__file__).resolve().parent / "files"
HEADERS = [
    "Fornavn",
    "Etternavn",
    "E-post",
    "Mobil",
    "Fødselsdato",
    "Kjønn",
    "Bedrift/avdeling",
    "Fødselsnummer",
]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def xlsx(rows, *, title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows, delimiter=";") -> str:
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            cell = "" if cell is None else str(cell)
            if delimiter in cell or '"' in cell:
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines) + "\r\n"


def rewrite_member(content: bytes, name: str, change) -> bytes:
    """A copy of the zip with one member's bytes changed by `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name:
                data = change(data)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def main():
    FILES.mkdir(exist_ok=True)
    files = {}

    # What Excel makes of a filled-in template: real date cells, and numbers where digits were
    # typed: a mobile number that lost its +, a national id that lost its leading zero.
    files["template_filled.xlsx"] = xlsx(
        [
            [*HEADERS, "Aktiv"],
            [
                "Kari",
                "Hansen",
                "kari.hansen@testbedriften.no",
                4791234567,
                datetime.datetime(1990, 12, 13),  # noqa: DTZ001 - an Excel date cell has no time zone; openpyxl reads it naive
                "Kvinne",
                "Bergen TEST",
                int(KARI),
                "ja",
            ],
            [
                "Per",
                "Olsen",
                "Per.Olsen@Testbedriften.no",
                "912 34 568",
                datetime.date(1988, 3, 5),
                "Mann",
                998877660,
                int(PER),
                None,
            ],
            [
                "Lise",
                "Berg",
                "lise.berg@testbedriften.no",
                "+47 912 34 569",
                datetime.datetime(1975, 2, 1),  # noqa: DTZ001 - an Excel date cell has no time zone; openpyxl reads it naive
                "K",
                "testbedriften as",
                f"{LISE[:6]} {LISE[6:]}",
                None,
            ],
        ]
    )

    # Norwegian Excel's "CSV (semikolondelt)": Windows-1252, semicolons, dd.mm.åååå and d.m.åå.
    files["norwegian_excel.csv"] = csv_text(
        [
            HEADERS,
            [
                "Bjørn",
                "Ærø",
                "bjorn.aero@testbedriften.no",
                "91234570",
                "17.05.1985",
                "Mann",
                "Bergen TEST",
                "",
            ],
            [
                "Åse",
                "Løkkeberg",
                "ase.lokkeberg@testbedriften.no",
                "0047 912 34 571",
                "13.12.90",  # KARI's birth date, written short
                "Kvinne",
                "Testbedriften AS",
                f"{KARI[:6]} {KARI[6:]}",
            ],
        ]
    ).encode("cp1252")

    # Excel's "CSV UTF-8": a byte order mark, and still semicolons.
    files["utf8_bom.csv"] = codecs.BOM_UTF8 + csv_text(
        [
            HEADERS,
            [
                "Øystein",
                "Ås",
                "oystein.as@testbedriften.no",
                "+47 91234572",
                "1970-06-30",
                "mann",
                "Testbedriften AS",
                "",
            ],
        ]
    ).encode("utf-8")

    # From another system: UTF-8 without BOM, commas, English headings, ISO dates, a quoted comma.
    files["utf8_comma.csv"] = csv_text(
        [
            [
                "First name",
                "Last name",
                "E-mail",
                "Mobile",
                "Date of birth",
                "Gender",
                "Department",
            ],
            [
                "Jon",
                "Berg, jr.",
                "jon.berg@testbedriften.no",
                "91234573",
                "1992-10-01",
                "male",
                "Bergen TEST",
            ],
            ["Siri", "Dahl", "siri.dahl@testbedriften.no", "", "", "female", "Bergen TEST"],
        ],
        delimiter=",",
    ).encode("utf-8")

    # Stray spaces (also no-break spaces) around everything, and empty rows at the end.
    files["stray_spaces.csv"] = (
        csv_text(
            [
                [
                    " Fornavn ",
                    "Etternavn ",
                    " E-post",
                    "Mobil",
                    "Fødselsdato",
                    "Kjønn",
                    "Bedrift/avdeling",
                    "Fødselsnummer",
                ],
                [
                    "  Trine ",
                    " Moe\u00a0",
                    " trine.moe@testbedriften.no ",
                    " 912 34 574 ",
                    " 24.12.1980 ",
                    " Kvinne ",
                    "  Bergen   TEST ",
                    " ",
                ],
                ["", "", "", "", "", "", "", ""],
            ]
        )
        + ";;;;;;;\r\n\r\n   \r\n"
    ).encode("utf-8")

    # The same person twice: an e-mail in two letter cases, a national id with and without space.
    files["duplicates.csv"] = csv_text(
        [
            HEADERS,
            ["Anne", "Lie", "anne.lie@testbedriften.no", "", "", "", "Bergen TEST", KARI],
            ["Ole", "Lie", "ole.lie@testbedriften.no", "", "", "", "Bergen TEST", PER],
            ["Anne", "Lie", "ANNE.LIE@testbedriften.no", "", "", "", "Bergen TEST", ""],
            [
                "Ole",
                "Lie",
                "ole2.lie@testbedriften.no",
                "",
                "",
                "",
                "Bergen TEST",
                f"{PER[:6]} {PER[6:]}",
            ],
        ]
    ).encode("utf-8")

    files["empty.csv"] = b""
    files["header_only.xlsx"] = xlsx([HEADERS])
    files["picture.xlsx"] = PNG
    files["old_excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    files["no_header.csv"] = csv_text(
        [["Kari", "Hansen", "kari@testbedriften.no", "91234567", "13.12.1990"]]
    ).encode("utf-8")
    files["missing_column.csv"] = csv_text(
        [
            ["Fornavn", "Etternavn", "Mobil", "Bedrift/avdeling"],
            ["Kari", "Hansen", "91234567", "Bergen TEST"],
        ]
    ).encode("utf-8")

    # A title line above the column names, as a payroll export has.
    files["title_row.xlsx"] = xlsx(
        [
            HEADERS,
            ["Mona", "Lund", "mona.lund@testbedriften.no", None, None, None, "Bergen TEST", None],
        ],
        title="Ansatte i Testbedriften AS per 01.09.2024",
    )

    # Excel's "Unicode text": UTF-16 with BOM, tabs.
    files["unicode_text.txt"] = csv_text(
        [
            HEADERS,
            [
                "Ørjan",
                "Ås",
                "orjan.as@testbedriften.no",
                "91234575",
                "03.03.1983",
                "Mann",
                "Bergen TEST",
                "",
            ],
        ],
        delimiter="\t",
    ).encode("utf-16")

    # One error of each kind, one per row, and a good row first.
    files["bad_rows.xlsx"] = xlsx(
        [
            HEADERS,
            [
                "God",
                "Rad",
                "god.rad@testbedriften.no",
                "91234576",
                "01.01.1980",
                "Mann",
                "Bergen TEST",
                None,
            ],  # 2: fine
            ["Ikke", "Epost", "ikke-en-epost", None, None, None, "Bergen TEST", None],  # 3
            [
                "Kort",
                "Mobil",
                "kort.mobil@testbedriften.no",
                "12345",
                None,
                None,
                "Bergen TEST",
                None,
            ],  # 4
            [
                "Feil",
                "Dato",
                "feil.dato@testbedriften.no",
                None,
                "31.02.1990",
                None,
                "Bergen TEST",
                None,
            ],  # 5
            [
                "Frem",
                "Tid",
                "frem.tid@testbedriften.no",
                None,
                "01.01.2999",
                None,
                "Bergen TEST",
                None,
            ],  # 6
            [
                "Feil",
                "Kontrollsiffer",
                "kontroll@testbedriften.no",
                None,
                None,
                None,
                "Bergen TEST",
                KARI[:-1] + str((int(KARI[-1]) + 1) % 10),
            ],  # 7
            [
                "Ti",
                "Siffer",
                "ti.siffer@testbedriften.no",
                None,
                None,
                None,
                "Bergen TEST",
                int(PER[:-1] + str((int(PER[-1]) + 1) % 10)),
            ],  # 8: 10 digits, not valid with a 0
            [
                "Annen",
                "Kunde",
                "annen.kunde@testbedriften.no",
                None,
                None,
                None,
                "Eksempel Industri AS",
                None,
            ],  # 9: the other customer's department
            [
                "Ukjent",
                "Avdeling",
                "ukjent.avd@testbedriften.no",
                None,
                None,
                None,
                "Finnes ikke AS",
                None,
            ],  # 10
            [
                "Rart",
                "Kjønn",
                "kjonn@testbedriften.no",
                None,
                None,
                "ukjent",
                "Bergen TEST",
                None,
            ],  # 11
            [
                None,
                "Uten Fornavn",
                "uten.fornavn@testbedriften.no",
                None,
                None,
                None,
                "Bergen TEST",
                None,
            ],  # 12
            [
                "12345",
                "Tall",
                "tall@testbedriften.no",
                None,
                None,
                None,
                "Bergen TEST",
                None,
            ],  # 13: a number where a name should be
        ]
    )
    files["bad_aktiv.csv"] = csv_text(
        [
            [*HEADERS, "Aktiv"],
            [
                "Kanskje",
                "Aktiv",
                "kanskje@testbedriften.no",
                "",
                "",
                "",
                "Bergen TEST",
                "",
                "kanskje",
            ],
        ]
    ).encode("utf-8")

    # 1e1000000 in every number-ish column: refused as text at once, nothing hangs.
    files["huge_number.csv"] = csv_text(
        [
            HEADERS,
            [
                "Stor",
                "Tall",
                "stor.tall@testbedriften.no",
                "1e1000000",
                "1e1000000",
                "",
                "Bergen TEST",
                "1e1000000",
            ],
        ]
    ).encode("utf-8")
    # ... and as a number cell in a workbook (Excel itself would have stored text).
    files["huge_number.xlsx"] = rewrite_member(
        xlsx(
            [
                HEADERS,
                [
                    "Stor",
                    "Tall",
                    "stor.tall@testbedriften.no",
                    12345678,
                    None,
                    None,
                    "Bergen TEST",
                    98765432101,
                ],
            ]
        ),
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b"<v>12345678</v>", b"<v>1e1000000</v>").replace(
            b"<v>98765432101</v>", b"<v>1E+308</v>"
        ),
    )

    # Excel shortened an 11-digit number in a CSV it saved: the digits are gone.
    files["excel_shortened.csv"] = csv_text(
        [
            HEADERS,
            [
                "Kort",
                "Tall",
                "kort.tall@testbedriften.no",
                "",
                "",
                "",
                "Bergen TEST",
                "1,31291E+10",
            ],
        ]
    ).encode("cp1252")

    # A formula is never evaluated: openpyxl writes no cached value, so the cell is empty.
    files["formula.xlsx"] = xlsx(
        [
            HEADERS,
            [
                '=CONCATENATE("O","la")',
                "Formel",
                "formel@testbedriften.no",
                None,
                None,
                None,
                "Bergen TEST",
                None,
            ],
        ]
    )

    # Hostile workbooks: a member that unpacks to 64 MB, and an XML entity ("billion laughs").
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(files["header_only.xlsx"])) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/image1.bin", b"\0" * (64 * 1024 * 1024))
    files["zip_bomb.xlsx"] = bomb.getvalue()
    laughs = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    files["entity.xlsx"] = rewrite_member(
        xlsx(
            [
                HEADERS,
                [
                    "Kari",
                    "Hansen",
                    "kari.entity@testbedriften.no",
                    None,
                    None,
                    None,
                    "Bergen TEST",
                    None,
                ],
            ]
        ),
        "xl/worksheets/sheet1.xml",
        lambda data: laughs + data.split(b"?>", 1)[-1].replace(b"<t>Kari</t>", b"<t>&lol3;</t>"),
    )

    # Deactivation by the Aktiv column; an e-mail matched in another letter case.
    files["aktiv.csv"] = csv_text(
        [
            [*HEADERS, "Aktiv"],
            ["Donald", "Duck", "duck@testikkeibruk.no", "", "", "", "", "", "nei"],
            ["Dolly", "Duck", "DOLLY@TESTIKKEIBRUK.NO", "99887766", "", "", "", "", ""],
            ["Slutta", "Før", "slutta@testbedriften.no", "", "", "", "Bergen TEST", "", "nei"],
        ]
    ).encode("utf-8")

    # Matching by national id: the number decides who it is, the e-mail changes.
    files["match_national_id.csv"] = csv_text(
        [HEADERS, ["Anton", "Duck", "anton.duck@ny-adresse.no", "", "", "", "", LISE]]
    ).encode("utf-8")

    for name, content in files.items():
        (FILES / name).write_bytes(content)
        print(f"{name:28} {len(content):>9} bytes")  # noqa: T201 - a script: says what it wrote


if __name__ == "__main__":
    main()
