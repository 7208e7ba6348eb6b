"""The import template ("Last ned mal"): the column names and one example row, as .xlsx.

The number and mobile columns are formatted as text, so that Excel keeps a national identity
number's leading zero and a mobile number's +.
"""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from imports.employee_columns import COLUMNS
from imports.exports import export_cell

TEXT_COLUMNS = ("mobile", "national_id")
EXAMPLE = {
    "first_name": "Ola",
    "last_name": "Eksempelsen",
    "email": "ola.eksempelsen@example.no",
    "mobile": "912 34 567",
    "birth_date": datetime.date(1985, 5, 17),
    "gender": "Mann",
    "national_id": "",
    "active": "ja",
    "exposures": "",
}
TEXT_ROWS = 1000  # rows below the example that keep the text format


def employee_template(*, department_name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ansatte"
    # A department named "=…" or holding an ESC is written as plain text, as in an export.
    example = {**EXAMPLE, "department": export_cell(department_name)}
    sheet.append([column.heading for column in COLUMNS])
    sheet.append([example[column.key] for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.heading) + 4)
        if column.key == "birth_date":
            sheet.cell(row=2, column=index).number_format = "DD.MM.YYYY"
        if column.key in TEXT_COLUMNS:
            for row in range(2, TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.column_dimensions[get_column_letter(3)].width = 28
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
