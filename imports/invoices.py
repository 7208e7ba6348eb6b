"""The invoice import: the accounting system's spreadsheet, read whole and checked row by row.

One row per invoice line, the invoice's own columns repeated on each of its rows (or left
blank after the first). A file with only the invoice number and the outstanding amount is a
payment file: it updates what is owed and leaves everything else as it is. Rows are numbered as
the spreadsheet numbers them (the headings are row 1); an error names its row and its column.
Nothing is written unless every row is right, and then all of it, by
`portal.services.invoices.invoices_import`.

`InvoiceImporter` is an importer of the portal's one pipeline (`imports.pipeline`): the upload
waits in the database between the preview and the confirm, and a confirm that would write
something other than the preview showed is refused and shown again.
"""

import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imports.exports import field_heading
from imports.invoice_cells import READERS, CellError, blank, shown
from imports.parsing import FileRefused, Limits, read_rows
from imports.pipeline import Importer, RowError, plan_fingerprint
from permissions.capabilities import IMPORT_INVOICES
from permissions.scoping import is_staff_with
from portal.models import Department, Invoice, InvoiceLine, Order
from portal.models.invoices import CENT
from portal.services.invoices import (
    InvoiceChange,
    InvoiceData,
    InvoiceLineData,
    invoice_import_check,
    invoices_import,
)

KIND_LABELS = {"new": _("New"), "update": _("Updated"), "skip": _("Unchanged")}


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


class InvoicePlan:
    """What an invoice file would do: every row read, each invoice with its rows and what it
    changes; `ok` only when there is not a single error."""

    def __init__(self, *, items=(), invoices=(), unknown=(), file_error: str = ""):
        self.items: list[ImportRow] = list(items)
        self.invoices: list[tuple[list[ImportRow], InvoiceData]] = list(invoices)
        self.ignored_columns: list[str] = list(unknown)
        self.file_error = file_error
        self.keys = {key for row in self.items for key in row.raw} or set(REQUIRED_COLUMNS)

    @property
    def rows(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[RowError]:
        """Every error of every row, under its column's heading, row by row."""
        return [
            RowError(row.number, str(COLUMNS[key].heading), shown(row.raw.get(key)), message)
            for row in self.items
            for key, messages in row.errors.items()
            for message in messages
        ]

    @property
    def ok(self) -> bool:
        return not self.file_error and self.rows > 0 and not any(r.errors for r in self.items)

    @property
    def totals(self) -> Counter:
        """Invoices by what happens to them: "new", "update", "skip"."""
        return Counter(rows[0].change.kind for rows, _data in self.invoices if rows[0].change)

    def fingerprint(self) -> str:
        """Which invoices the confirm creates or changes, and to what (`imports.pipeline`)."""

        def key(value):
            return value.pk if hasattr(value, "pk") else value

        parts = []
        for rows, data in self.invoices:
            change = rows[0].change
            lines = None
            if change.lines is not None:
                lines = [
                    [line.description, line.quantity, line.unit_price, line.amount, line.order_id]
                    for line in change.lines
                ]
            changed = {name: [key(old), key(new)] for name, (old, new) in change.changed.items()}
            parts.append([data.number, change.kind, changed, lines])
        return plan_fingerprint(parts)

    # -- the preview --------------------------------------------------------------------------

    def _payer_after(self) -> str:
        """The preview names each invoice's payer, after its org. number or its number."""
        return "payer_org_number" if "payer_org_number" in self.keys else "number"

    def headings(self) -> list[str]:
        headings = []
        for column in INVOICE_IMPORT_COLUMNS:
            if column.key in self.keys:
                headings.append(str(column.heading))
                if column.key == self._payer_after():
                    headings.append(str(field_heading(Invoice, "payer")))
        return headings

    def _cells(self, row: ImportRow, *, first: bool) -> list[str]:
        change = row.change
        cells = []
        for column in INVOICE_IMPORT_COLUMNS:
            if column.key not in self.keys:
                continue
            value = row.values.get(column.key, row.raw.get(column.key))
            text = shown(value)
            field_name = next((f for f, k in FIELD_COLUMNS.items() if k == column.key), None)
            if first and change and change.kind == "update" and field_name in change.changed:
                before, after = change.changed[field_name]
                text = f"{shown(before)} → {shown(after)}"
            cells.append(text)
            if column.key == self._payer_after():
                cells.append(str(change.invoice.payer) if change else "")
        return cells

    def preview_rows(self) -> list[tuple[str, str, int, list[str]]]:
        """(kind, its label, row number, cells) of every row, invoice by invoice."""
        shown_rows = []
        for rows, _data in self.invoices:
            kind = rows[0].change.kind
            for position, row in enumerate(rows):
                cells = self._cells(row, first=position == 0)
                shown_rows.append((kind, str(KIND_LABELS[kind]), row.number, cells))
        return shown_rows


class InvoiceImporter(Importer):
    """Invoices and payments from the accounting system: staff with the import permission
    only, never a customer."""

    kind = "invoices"

    def __init__(self, *, actor, limits: Limits | None = None):
        if not is_staff_with(actor, IMPORT_INVOICES):
            raise PermissionDenied
        self.actor = actor
        self.limits = limits or Limits.from_settings()

    def plan(self, content: bytes, **kwargs) -> InvoicePlan:
        """Read and check the file; change nothing."""
        try:
            rows, invoices, unknown = self._plan(read_rows(content, limits=self.limits))
        except FileRefused as refused:
            return InvoicePlan(file_error=refused.message)
        return InvoicePlan(items=rows, invoices=invoices, unknown=unknown)

    def write(self, plan: InvoicePlan, **kwargs) -> None:
        """All the invoices through `invoices_import` (one audit event each), or none."""
        try:
            invoices_import(invoices=[data for _rows, data in plan.invoices], actor=self.actor)
        except ValidationError as error:
            # Refused under lock (changed since the plan): say which row; nothing is saved.
            texts = [
                str(RowError(rows[0].number, str(COLUMNS["number"].heading), "", message))
                for rows, data in plan.invoices
                for message in error.message_dict.get(data.number, [])
            ]
            raise ValidationError(texts or error.messages) from None

    def conflict_message(self) -> str:
        return gettext(
            "The import was not saved: invoices were changed while it ran. Nothing has been "
            "imported. Upload the file again."
        )

    # -- reading ----------------------------------------------------------------------------

    def _columns(self, headers) -> tuple[dict[int, str], list[str]]:
        """Which column of the file is which; the headings not understood."""
        index = _heading_index()
        found: dict[int, str] = {}
        unknown: list[str] = []
        for position, heading in enumerate(headers or []):
            key = index.get(_simplified(heading if heading is not None else ""))
            if key and key not in found.values():
                found[position] = key
            elif not blank(heading):
                unknown.append(str(heading))
        return found, unknown

    def _rows(self, lines, columns) -> list[ImportRow]:
        rows = []
        for number, cells in lines:
            raw = {
                key: cells[position] if position < len(cells) else None
                for position, key in columns.items()
            }
            if all(blank(value) for value in cells):
                continue  # the empty rows a spreadsheet leaves at the end
            row = ImportRow(number=number, raw=raw)
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

    def _plan(self, lines) -> tuple[list[ImportRow], list[tuple[list[ImportRow], Any]], list]:
        """Every row read and checked; each invoice with its rows and its InvoiceData."""
        header_number, headers = next(lines, (1, ()))
        columns, unknown = self._columns(headers)
        heading_row = ImportRow(number=header_number, raw={})
        for key in REQUIRED_COLUMNS:
            if key not in columns.values():
                heading_row.error(key, _("The file has no such column."))
        if heading_row.errors:
            return [heading_row], [], unknown

        rows = self._rows(lines, columns)
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
