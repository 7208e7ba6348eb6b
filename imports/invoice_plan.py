"""What an invoice file would do: its columns, its rows as read, and the plan a confirm writes
(the invoice import's counterpart of `imports.employee_plan`)."""

from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.utils.translation import gettext_lazy as _

from imports.exports import field_heading
from imports.invoice_cells import shown
from imports.pipeline import RowError, plan_fingerprint
from portal.models import Invoice, InvoiceLine
from portal.services.invoices import InvoiceChange, InvoiceData

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
            assert change is not None  # a planned invoice has its change
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
            change = rows[0].change
            assert change is not None
            kind = change.kind
            for position, row in enumerate(rows):
                cells = self._cells(row, first=position == 0)
                shown_rows.append((kind, str(KIND_LABELS[kind]), row.number, cells))
        return shown_rows
