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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imports.invoice_cells import READERS, CellError, blank, shown
from imports.invoice_plan import (
    COLUMNS,
    FIELD_COLUMNS,
    INVOICE_IMPORT_COLUMNS,
    LINE_COLUMNS,
    LINE_FIELD_COLUMNS,
    REQUIRED_COLUMNS,
    ImportRow,
    InvoicePlan,
)
from imports.parsing import FileRefused, Limits, read_rows
from imports.pipeline import Importer, RowError
from permissions.capabilities import IMPORT_INVOICES
from permissions.scoping import is_staff_with
from portal.models import Department, Invoice, InvoiceLine, Order
from portal.models.invoices import CENT, line_amount
from portal.services.invoices import (
    InvoiceData,
    InvoiceLineData,
    invoice_import_check,
    invoices_import,
)

__all__ = ["COLUMNS", "INVOICE_IMPORT_COLUMNS", "InvoiceImporter", "InvoicePlan"]


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
        found: dict[str, Department | str] = {}
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
            amount = line_amount(quantity, unit_price)
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
