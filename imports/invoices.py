"""The invoice import: the accounting system's spreadsheet, read whole and checked row by row.

One row per invoice line, the invoice's own columns repeated on each of its rows (or left
blank after the first). A file with only the invoice number and the outstanding amount is a
payment file: it updates what is owed and leaves everything else as it is. Rows are numbered as
the spreadsheet numbers them (the headings are row 1); an error names its row and its column.
Nothing is written unless every row is right, and then all of it, by
`portal.services.invoices.invoices_import`.
"""

import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.results import InvalidRow, RowResult

from imports.exports import field_heading
from imports.invoice_cells import READERS, CellError, blank, shown
from portal.models import Department, Invoice, InvoiceLine, Order
from portal.models.invoices import CENT
from portal.services.invoices import (
    InvoiceChange,
    InvoiceData,
    InvoiceLineData,
    invoice_import_check,
    invoices_import,
)


@dataclass(frozen=True)
class ImportColumn:
    key: str
    heading: Any  # lazy: translated when the file is read
    aliases: tuple[str, ...] = ()
    invoice_level: bool = True


INVOICE_IMPORT_COLUMNS = (
    ImportColumn("number", field_heading(Invoice, "number"), ("fakturanr", "faktura", "invoice")),
    ImportColumn(
        "payer_org_number",
        _("Payer org. number"),
        ("betalersorgnr", "orgnr", "orgnummer", "organisasjonsnummer", "betalerorgnr"),
    ),
    ImportColumn("invoice_date", field_heading(Invoice, "invoice_date"), ("fakturadato",)),
    ImportColumn("due_date", field_heading(Invoice, "due_date"), ("forfall", "forfallsdato")),
    ImportColumn("kid", field_heading(Invoice, "kid"), ("kidnummer", "kidnr")),
    ImportColumn("total", _("Total"), ("totalt", "sum", "belopinklmva")),
    ImportColumn("outstanding", _("Outstanding"), ("restbelop", "rest", "utestaende")),
    ImportColumn("is_credit_note", field_heading(Invoice, "is_credit_note"), ("kreditnota",)),
    ImportColumn("description", _("Description"), ("tekst", "linjetekst"), invoice_level=False),
    ImportColumn("quantity", field_heading(InvoiceLine, "quantity"), ("ant",), invoice_level=False),
    ImportColumn(
        "unit_price", field_heading(InvoiceLine, "unit_price"), ("pris",), invoice_level=False
    ),
    ImportColumn(
        "amount", field_heading(InvoiceLine, "amount"), ("linjebelop",), invoice_level=False
    ),
    ImportColumn("order_number", _("Order number"), ("bestilling", "ordrenr"), invoice_level=False),
)
COLUMNS = {column.key: column for column in INVOICE_IMPORT_COLUMNS}
REQUIRED_COLUMNS = ("number", "outstanding")
LINE_COLUMNS = ("description", "quantity", "unit_price", "amount")
# The invoice's fields, and the column each is read from.
FIELD_COLUMNS = {
    "payer": "payer_org_number",
    "invoice_date": "invoice_date",
    "due_date": "due_date",
    "kid": "kid",
    "total": "total",
    "outstanding": "outstanding",
    "is_credit_note": "is_credit_note",
    "lines": "total",
}
LINE_FIELD_COLUMNS = {
    "description": "description",
    "quantity": "quantity",
    "unit_price": "unit_price",
    "amount": "amount",
    "order": "order_number",
}


def _simplified(text) -> str:
    """Headings compared without case, spaces or punctuation (å → a and ø → o as well)."""
    text = str(text).casefold().translate(str.maketrans("åøæ", "aoe"))
    return re.sub(r"[^0-9a-z]", "", text)


def _heading_index() -> dict[str, str]:
    index = {}
    for column in INVOICE_IMPORT_COLUMNS:
        names = [column.key, *column.aliases]
        for language in ("nb", "en"):
            with translation.override(language):
                names.append(str(column.heading))
        index.update({_simplified(name): column.key for name in names})
    return index


@dataclass
class ImportRow:
    number: int  # as the spreadsheet numbers it: the headings are row 1
    raw: dict[str, Any]
    values: dict[str, Any] = dataclass_field(default_factory=dict)
    errors: dict[str, list[str]] = dataclass_field(default_factory=dict)
    change: InvoiceChange | None = None

    def error(self, key: str, message) -> None:
        self.errors.setdefault(key, []).append(str(message))

    def has_line(self) -> bool:
        return any(key in self.values for key in LINE_COLUMNS)


def _given(rows, key) -> set:
    return {row.values[key] for row in rows if key in row.values}


class InvoiceImportResource(resources.ModelResource):
    """Reads the whole file, checks every row, and imports all of it or none of it."""

    number = Field(attribute="number", column_name=COLUMNS["number"].heading)
    payer_org_number = Field(column_name=COLUMNS["payer_org_number"].heading)
    invoice_date = Field(attribute="invoice_date", column_name=COLUMNS["invoice_date"].heading)
    due_date = Field(attribute="due_date", column_name=COLUMNS["due_date"].heading)
    kid = Field(attribute="kid", column_name=COLUMNS["kid"].heading)
    total = Field(attribute="total", column_name=COLUMNS["total"].heading)
    outstanding = Field(attribute="outstanding", column_name=COLUMNS["outstanding"].heading)
    is_credit_note = Field(
        attribute="is_credit_note", column_name=COLUMNS["is_credit_note"].heading
    )
    description = Field(column_name=COLUMNS["description"].heading)
    quantity = Field(column_name=COLUMNS["quantity"].heading)
    unit_price = Field(column_name=COLUMNS["unit_price"].heading)
    amount = Field(column_name=COLUMNS["amount"].heading)
    order_number = Field(column_name=COLUMNS["order_number"].heading)

    class Meta:
        model = Invoice
        fields = tuple(column.key for column in INVOICE_IMPORT_COLUMNS)
        import_id_fields = ("number",)
        name = _("Invoices from the accounting system")

    def __init__(self, request=None, **kwargs):
        super().__init__(**kwargs)
        self.request = request

    def get_user_visible_fields(self):
        return [self.fields[column.key] for column in INVOICE_IMPORT_COLUMNS]

    # -- reading ----------------------------------------------------------------------------

    def _columns(self, headers) -> tuple[dict[int, str], list[str]]:
        """Which column of the file is which; the headings not understood."""
        index = _heading_index()
        found: dict[int, str] = {}
        unknown: list[str] = []
        for position, heading in enumerate(headers or []):
            key = index.get(_simplified(heading or ""))
            if key and key not in found.values():
                found[position] = key
            elif not blank(heading):
                unknown.append(str(heading))
        return found, unknown

    def _rows(self, dataset, columns) -> list[ImportRow]:
        rows = []
        for offset, cells in enumerate(dataset, start=2):
            raw = {key: cells[position] for position, key in columns.items()}
            if all(blank(value) for value in cells):
                continue  # the empty rows a spreadsheet leaves at the end
            row = ImportRow(number=offset, raw=raw)
            for key, value in raw.items():
                if blank(value):
                    continue
                try:
                    row.values[key] = READERS[key](value)
                except CellError as error:
                    row.error(key, error)
            rows.append(row)
        return rows

    def _group(self, rows) -> dict[str, list[ImportRow]]:
        invoices: dict[str, list[ImportRow]] = {}
        for row in rows:
            if "number" in row.values:
                invoices.setdefault(row.values["number"], []).append(row)
            elif "number" not in row.errors:
                row.error("number", _("Every row needs the invoice number."))
        return invoices

    def _agree(self, rows: list[ImportRow]) -> dict[str, tuple[ImportRow, Any]]:
        """The invoice's own columns, given on one of its rows or the same on each."""
        first: dict[str, tuple[ImportRow, Any]] = {}
        for row in rows:
            for column in INVOICE_IMPORT_COLUMNS:
                if not column.invoice_level or column.key not in row.values:
                    continue
                value = row.values[column.key]
                if column.key not in first:
                    first[column.key] = (row, value)
                elif first[column.key][1] != value:
                    earlier, earlier_value = first[column.key]
                    row.error(
                        column.key,
                        _("Differs from row %(row)d of the same invoice (%(value)s).")
                        % {"row": earlier.number, "value": shown(earlier_value)},
                    )
        return first

    def _payers(self, org_numbers) -> dict[str, Department | str]:
        """A department per org. number, or why there is none."""
        by_own: dict[str, list[Department]] = {}
        by_customer: dict[str, list[Department]] = {}
        departments = Department.objects.filter(
            Q(org_number__in=org_numbers) | Q(customer__org_number__in=org_numbers)
        ).select_related("customer")
        for department in departments:
            by_own.setdefault(department.org_number, []).append(department)
            by_customer.setdefault(department.customer.org_number, []).append(department)
        found = {}
        for org_number in org_numbers:
            candidates = by_own.get(org_number) or by_customer.get(org_number) or []
            if len(candidates) == 1:
                found[org_number] = candidates[0]
            elif candidates:
                found[org_number] = _(
                    "Several companies/departments have organisation number %(org)s: %(names)s."
                ) % {"org": org_number, "names": ", ".join(d.name for d in candidates)}
            else:
                found[org_number] = _(
                    "No customer or company/department has organisation number %(org)s."
                ) % {"org": org_number}
        return found

    def _line(self, row: ImportRow, payer, orders) -> InvoiceLineData | None:
        values = row.values
        if not values.get("description"):
            row.error("description", _("A line needs a description."))
        quantity = values.get("quantity", Decimal("1"))
        unit_price, amount = values.get("unit_price"), values.get("amount")
        if unit_price is None and amount is None:
            row.error("unit_price", _("A line needs a unit price or an amount."))
            return None
        if unit_price is None:
            if not quantity:
                row.error("quantity", _("A line with an amount has a quantity other than 0."))
                return None
            unit_price = (amount / quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        if amount is None:
            amount = (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
        order = None
        if "order_number" in values:
            order = orders.get(values["order_number"])
            if order is None:
                row.error(
                    "order_number",
                    _("There is no order %(number)s.") % {"number": values["order_number"]},
                )
            elif isinstance(payer, Department) and order.department.customer_id != (
                payer.customer_id
            ):
                row.error(
                    "order_number",
                    _("Order %(number)s belongs to another customer than the payer.")
                    % {"number": order.number},
                )
                order = None
        line = InvoiceLine(
            description=values.get("description", ""),
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
            order=order,
        )
        if any(key in row.errors for key in LINE_COLUMNS):
            return None  # checked again once the cells can be read
        try:
            line.full_clean(exclude=["invoice", "order"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    row.error(LINE_FIELD_COLUMNS.get(name, "description"), message)
        return InvoiceLineData(
            description=line.description,
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
            order=order,
        )

    def _plan(self, dataset) -> tuple[list[ImportRow], list[tuple[list[ImportRow], Any]], list]:
        """Every row read and checked; each invoice with its rows and its InvoiceData."""
        columns, unknown = self._columns(dataset.headers)
        heading_row = ImportRow(number=1, raw={})
        for key in REQUIRED_COLUMNS:
            if key not in columns.values():
                heading_row.error(key, _("The file has no such column."))
        if heading_row.errors:
            return [heading_row], [], unknown

        rows = self._rows(dataset, columns)
        groups = self._group(rows)
        has_lines = any(key in columns.values() for key in LINE_COLUMNS)
        existing = {
            invoice.number: invoice
            for invoice in Invoice.objects.filter(number__in=list(groups))
            .select_related("payer")
            .prefetch_related("lines")
        }
        org_numbers = {
            row.values["payer_org_number"] for row in rows if "payer_org_number" in row.values
        }
        payers = self._payers(sorted(org_numbers))
        order_numbers = {row.values["order_number"] for row in rows if "order_number" in row.values}
        orders = {
            order.number: order
            for order in Order.objects.filter(number__in=order_numbers).select_related("department")
        }

        plan = []
        for number, invoice_rows in groups.items():
            given = self._agree(invoice_rows)
            data = InvoiceData(number=number)
            for field_name, key in FIELD_COLUMNS.items():
                if key in given and field_name != "lines":
                    data.fields[field_name] = given[key][1]
            payer = None
            if "payer_org_number" in given:
                row, org_number = given["payer_org_number"]
                payer = payers[org_number]
                if isinstance(payer, Department):
                    data.fields["payer"] = payer
                else:
                    row.error("payer_org_number", payer)
                    data.fields.pop("payer", None)
            elif number in existing:
                payer = existing[number].payer
            line_rows = [row for row in invoice_rows if row.has_line()] if has_lines else []
            if line_rows:
                lines = [self._line(row, payer, orders) for row in line_rows]
                data.lines = lines if None not in lines else None
            plan.append((invoice_rows, data))
            # The invoice's own rules too, but not again for a column already found wrong.
            wrong = {key for row in invoice_rows for key in row.errors}
            try:
                change = invoice_import_check(data=data, existing=existing.get(number))
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = FIELD_COLUMNS.get(name, "number")
                    if key in wrong:
                        continue
                    row = given[key][0] if key in given else invoice_rows[0]
                    for message in messages:
                        row.error(key, message)
            else:
                for row in invoice_rows:
                    row.change = change
        return rows, plan, unknown

    # -- the result the admin shows -----------------------------------------------------------

    def _payer_after(self, keys) -> str:
        """The preview names each invoice's payer, after its org. number or its number."""
        return "payer_org_number" if "payer_org_number" in keys else "number"

    def _headings(self, keys) -> list[str]:
        headings = []
        for column in INVOICE_IMPORT_COLUMNS:
            if column.key in keys:
                headings.append(str(column.heading))
                if column.key == self._payer_after(keys):
                    headings.append(str(field_heading(Invoice, "payer")))
        return headings

    def _cells(self, row: ImportRow, keys, *, first: bool) -> list[str]:
        change = getattr(row, "change", None)
        cells = []
        for column in INVOICE_IMPORT_COLUMNS:
            if column.key not in keys:
                continue
            value = row.values.get(column.key, row.raw.get(column.key))
            text = shown(value)
            field_name = next((f for f, k in FIELD_COLUMNS.items() if k == column.key), None)
            if first and change and change.kind == "update" and field_name in change.changed:
                before, after = change.changed[field_name]
                text = f"{shown(before)} → {shown(after)}"
            cells.append(text)
            if column.key == self._payer_after(keys):
                cells.append(str(change.invoice.payer) if change else "")
        return cells

    def _invalid(self, result, rows, keys):
        """Every row with errors, each error under its column's heading; nothing saved."""
        for row in rows:
            if not row.errors:
                continue
            errors = {str(COLUMNS[key].heading): texts for key, texts in row.errors.items()}
            result.invalid_rows.append(
                InvalidRow(
                    number=row.number,
                    validation_error=ValidationError(errors),
                    values=tuple(self._cells(row, keys, first=True)),
                )
            )
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
        return result

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        result = self.get_result_class()()
        rows, plan, unknown = self._plan(dataset)
        keys = {key for row in rows for key in row.raw} or set(REQUIRED_COLUMNS)
        result.diff_headers = self._headings(keys)
        result.total_rows = len(rows)
        result.invoice_totals = Counter()
        if unknown and dry_run and self.request is not None:
            messages.warning(
                self.request,
                _("These columns are not read: %(columns)s.") % {"columns": ", ".join(unknown)},
            )

        if any(row.errors for row in rows):
            return self._invalid(result, rows, keys)

        if not dry_run:
            try:
                invoices_import(invoices=[data for _rows, data in plan], actor=kwargs["user"])
            except ValidationError as error:
                # Changed since the preview (another import, an edit): say so, save nothing.
                for invoice_rows, data in plan:
                    for message in error.message_dict.get(data.number, []):
                        invoice_rows[0].error("number", message)
                return self._invalid(result, rows, keys)
        for invoice_rows, _data in plan:
            change = invoice_rows[0].change
            result.invoice_totals[change.kind] += 1
            for position, row in enumerate(invoice_rows):
                row_result = self.get_row_result_class()()
                row_result.import_type = change.kind
                row_result.diff = self._cells(row, keys, first=position == 0)
                row_result.add_instance_info(change.invoice)
                row_result.instance = change.invoice
                result.append_row_result(row_result)
                result.increment_row_result_total(row_result)
        return result


def import_errors_as_text(result) -> list[str]:
    """Each row error as a sentence naming its row and column."""
    return [
        _("Row %(row)d, column “%(column)s”: %(message)s")
        % {"row": row.number, "column": column, "message": message}
        for row in result.invalid_rows
        for column, messages_ in row.field_specific_errors.items()
        for message in messages_
    ]
