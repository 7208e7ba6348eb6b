"""Reads of an invoice as its page and its PDF show it: the lines, and what they add up to
before VAT and in VAT. One place, so that the page and the PDF never disagree."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.models import Invoice, InvoiceLine


@dataclass(frozen=True)
class InvoiceVatTotals:
    """«Sum eks. mva» and «Mva»: each line's VAT is rounded to the øre before it is added, as
    each line shows it, so the sum of the column is the VAT of the invoice."""

    excl_vat: Decimal
    vat: Decimal


def invoice_lines(*, invoice: Invoice) -> list[InvoiceLine]:
    """The lines in the order they were written, each with its order (and the order's
    department, which decides whether the reader may follow its link)."""
    return list(invoice.lines.select_related("order__department").order_by("pk"))


def invoice_vat_totals(*, lines: Iterable[InvoiceLine]) -> InvoiceVatTotals:
    lines = list(lines)
    return InvoiceVatTotals(
        excl_vat=sum((line.amount for line in lines), Decimal("0")),
        vat=sum((line.vat_amount for line in lines), Decimal("0")),
    )
