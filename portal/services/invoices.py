"""Invoices come from the accounting system: the import writes them here, all or nothing.

The spreadsheet is read and checked row by row in `portal.resources`; what it finds is handed
over as `InvoiceData`, one per invoice number. `invoice_import_check` applies one of them to the
invoice in memory and says what would change or why it cannot; `invoices_import` does it for
real, under lock, in one transaction, with one audit event per invoice imported.

The staff invoice form saves through the admin; `invoice_stored_state` and
`invoice_saved_audit` put what it did into the audit trail, in the admin's transaction. The
API writes one invoice at a time with `invoice_write`: the import's checks, then `invoice_save`.

A payment lowers what is owed: `invoice_payment_check` is its rule, for a payment registered
through the API (`invoice_payment_register`) and a payment file's row alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent
from audit.services import audit_changes, audit_event, audit_record
from permissions.capabilities import ADD_INVOICES, CHANGE_INVOICES, DELETE_INVOICES, IMPORT_INVOICES
from permissions.policies import INVOICES
from permissions.scoping import is_staff_with
from portal.formatting import format_date, format_nok, format_quantity
from portal.models import Invoice, InvoiceLine, Order
from portal.services.versions import version_claim
from webhooks.events import emit, invoice_viewed_payload

# What the accounting system owns; `number` finds the invoice.
IMPORTED_FIELDS = (
    "payer",
    "invoice_date",
    "due_date",
    "kid",
    "total",
    "outstanding",
    "is_credit_note",
)
REQUIRED_FOR_NEW = ("payer", "invoice_date", "due_date", "total", "outstanding")
# What the audit trail records of an invoice; "lines" is its lines in one text.
AUDITED_FIELDS = ("number", "order", *IMPORTED_FIELDS, "lines")
IMPORT_AUDIT_ACTION = AuditAction.IMPORTED


@dataclass(frozen=True)
class InvoiceLineData:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    order: Order | None = None
    vat_rate: Decimal = Decimal("0")

    def build(self) -> InvoiceLine:
        return InvoiceLine(
            description=self.description,
            quantity=self.quantity,
            unit_price=self.unit_price,
            amount=self.amount,
            order=self.order,
            vat_rate=self.vat_rate,
        )


@dataclass
class InvoiceData:
    """One invoice of the file: the fields it gives, and its lines (None: keep the lines)."""

    number: str
    fields: dict[str, Any] = field(default_factory=dict)
    lines: list[InvoiceLineData] | None = None


@dataclass
class InvoiceChange:
    """What importing `InvoiceData` does to an invoice: `kind` is "new", "update" or "skip"."""

    invoice: Invoice
    kind: str
    changed: dict[str, tuple[Any, Any]]
    lines: list[InvoiceLine] | None


def invoice_lines_total_error(*, total: Decimal | None, amounts: list[Decimal]) -> str | None:
    """The lines of an invoice, each with its VAT, add up to its total (`amounts`: each line's
    amount and VAT; a VAT line of an imported invoice is a line like any other, at 0 %)."""
    if total is None or not amounts:
        return None
    lines_total = sum(amounts, Decimal("0"))
    if lines_total == total:
        return None
    return _("The lines add up to %(lines)s, but the total is %(total)s.") % {
        "lines": format_nok(lines_total),
        "total": format_nok(total),
    }


def _lines_differ(invoice: Invoice, lines: list[InvoiceLine]) -> bool:
    def key(line):
        return (
            line.description,
            line.quantity,
            line.unit_price,
            line.amount,
            line.vat_rate,
            line.order_id,
        )

    return [key(line) for line in invoice.lines.all()] != [key(line) for line in lines]


def invoice_import_check(*, data: InvoiceData, existing: Invoice | None) -> InvoiceChange:
    """Apply `data` to `existing` (or a new invoice) in memory and check every rule.

    Raises ValidationError keyed by field name ("lines" for the lines as a whole); changes
    nothing in the database.
    """
    errors: dict[str, list[str]] = {}
    invoice = existing if existing is not None else Invoice(number=data.number)
    before = {name: getattr(invoice, name, None) for name in IMPORTED_FIELDS}
    if existing is not None:
        before["payer"] = existing.payer

    if existing is None:
        for name in REQUIRED_FOR_NEW:
            if data.fields.get(name) is None:
                errors[name] = [_("Required for a new invoice.")]
    payer = data.fields.get("payer")
    if existing is not None and payer is not None and payer.pk != existing.payer_id:
        errors["payer"] = [
            _(
                "Invoice %(number)s is registered for %(payer)s; an invoice does not change "
                "payer. Register a credit note and a new invoice instead."
            )
            % {"number": existing.number, "payer": existing.payer}
        ]

    outstanding = data.fields.get("outstanding")
    if existing is not None and outstanding is not None and outstanding < existing.outstanding:
        # A payment file's row: what it paid is held to the rule of any payment.
        try:
            invoice_payment_check(invoice=existing, amount=existing.outstanding - outstanding)
        except ValidationError as error:
            errors["outstanding"] = error.messages

    for name, value in data.fields.items():
        if value is not None and name not in errors:
            setattr(invoice, name, value)
    if existing is None and data.fields.get("is_credit_note") is None:
        invoice.is_credit_note = invoice.total is not None and invoice.total < 0

    lines = None
    if data.lines is not None:
        lines = [line.build() for line in data.lines]
        problem = invoice_lines_total_error(
            total=invoice.total, amounts=[line.amount_incl_vat for line in lines]
        )
        if problem:
            errors.setdefault("lines", []).append(problem)
        orders = {line.order_id for line in lines}
        if any(orders):
            # An invoice of one order points at it; one of several orders at none of them.
            invoice.order = lines[0].order if len(orders) == 1 else None

    if (
        invoice.invoice_date
        and invoice.due_date
        and invoice.due_date < invoice.invoice_date
        and "due_date" not in errors
    ):
        errors["due_date"] = [_("The due date cannot be before the invoice date.")]
    # Payer and order were looked up in the database already: no query per invoice for them.
    exclude = [*errors, "payer", "order"] + (["number"] if existing is not None else [])
    try:
        invoice.full_clean(
            exclude=exclude, validate_unique=False, validate_constraints="due_date" not in errors
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == NON_FIELD_ERRORS and "due_date" in errors:
                continue
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    changed = {
        name: (before[name], getattr(invoice, name))
        for name in IMPORTED_FIELDS
        if existing is None or before[name] != getattr(invoice, name)
    }
    lines_changed = lines is not None and (existing is None or _lines_differ(existing, lines))
    if existing is None:
        kind = "new"
    elif changed or lines_changed:
        kind = "update"
    else:
        kind = "skip"
    return InvoiceChange(invoice=invoice, kind=kind, changed=changed, lines=lines)


# -- the audit trail -------------------------------------------------------------------------


def invoice_lines_audit_text(lines) -> str | None:
    """'Helsekontroll 2 × 750,00 kr + MVA 1 × 375,00 kr': the lines as the audit trail
    records them (None: no lines)."""
    text = " + ".join(
        f"{line.description} {format_quantity(line.quantity)} × {format_nok(line.unit_price)}"
        for line in lines
    )
    return text or None


def invoice_audit_state(invoice: Invoice, *, lines) -> dict[str, Any]:
    """The invoice as the audit trail records it: the payer by name, the order by number,
    dates as dd.mm.åååå, amounts as 1 500,00 kr, an empty value as None. Its payer and order
    are expected loaded."""
    return {
        "number": invoice.number or None,
        "order": invoice.order.number if invoice.order is not None else None,
        "payer": invoice.payer.name if invoice.payer_id else None,
        "invoice_date": format_date(invoice.invoice_date) or None,
        "due_date": format_date(invoice.due_date) or None,
        "kid": invoice.kid or None,
        "total": format_nok(invoice.total) or None,
        "outstanding": format_nok(invoice.outstanding) or None,
        "is_credit_note": invoice.is_credit_note,
        "lines": invoice_lines_audit_text(lines),
    }


def invoice_audit_changes(before: dict | None, after: dict) -> dict:
    """Every field from None for a new invoice, else the fields that changed: [old, new]."""
    if before is None:
        return {name: [None, after[name]] for name in AUDITED_FIELDS}
    return audit_changes(before, {name: after[name] for name in AUDITED_FIELDS})


def invoice_stored_state(invoice: Invoice) -> dict[str, Any]:
    """The invoice as stored, before the staff form saves it."""
    stored = (
        Invoice.objects.select_related("payer", "order")
        .prefetch_related("lines")
        .get(pk=invoice.pk)
    )
    return invoice_audit_state(stored, lines=stored.lines.all())


@transaction.atomic
def invoice_save(
    *,
    invoice: Invoice,
    lines: list[InvoiceLine],
    deleted_lines: Iterable[InvoiceLine] = (),
    actor,
    version: int | None = None,
) -> Invoice:
    """Staff save an invoice (new or changed) with its new and changed `lines`, removing
    `deleted_lines`: the lines add up to the total, and the audit trail gets what changed.
    A changed one is refused with `StaleEdit` when it is no longer at `version` (the one the
    edit began on; None: the one `invoice` was loaded with): its lines are part of it."""
    if not is_staff_with(actor, ADD_INVOICES if invoice.pk is None else CHANGE_INVOICES):
        raise PermissionDenied(_("Only the provider's staff may edit invoices."))
    if invoice.pk is not None:
        version_claim(invoice, version=version)
    before = None if invoice.pk is None else invoice_stored_state(invoice)
    invoice.save()
    gone = {line.pk for line in deleted_lines if line.pk}
    InvoiceLine.objects.filter(invoice=invoice, pk__in=gone).delete()
    for line in lines:
        line.invoice = invoice
        line.save()
    # The lines as saved now, not as a prefetch read them before.
    getattr(invoice, "_prefetched_objects_cache", {}).pop("lines", None)
    amounts = [line.amount_incl_vat for line in invoice.lines.all()]
    problem = invoice_lines_total_error(total=invoice.total, amounts=amounts)
    if problem:
        raise ValidationError(problem, code="lines_total")
    invoice_saved_audit(invoice=invoice, actor=actor, before=before)
    return invoice


def _lines_check(*, data: InvoiceData, payer) -> None:
    """Each line on its own: its amount is quantity × unit price, and its order is one of the
    payer's customer. Raises ValidationError under "lines", naming the line (from 1)."""
    problems: list[str] = []
    for position, line in enumerate(data.lines or [], start=1):
        messages = []
        try:
            line.build().full_clean(exclude=["invoice", "order"])
        except ValidationError as error:
            messages.extend(error.messages)
        order = line.order
        if (
            order is not None
            and payer is not None
            and order.department.customer_id != (payer.customer_id)
        ):
            messages.append(
                _("Order %(number)s belongs to another customer than the payer.")
                % {"number": order.number}
            )
        problems.extend(
            _("Line %(line)d: %(message)s") % {"line": position, "message": message}
            for message in messages
        )
    if problems:
        raise ValidationError({"lines": problems})


@transaction.atomic
def invoice_write(
    *, data: InvoiceData, actor, invoice: Invoice | None = None, version: int | None = None
) -> Invoice:
    """One invoice from the accounting system (the API): new, or `invoice` changed on
    `version`. The import's checks (the lines add up to the total, the KID, the dates, what is
    owed), then `invoice_save`, audited as the staff form's save is. Lines given replace the
    invoice's lines; None keeps them."""
    if not is_staff_with(actor, ADD_INVOICES if invoice is None else CHANGE_INVOICES):
        raise PermissionDenied(_("Only the provider's staff may edit invoices."))
    if invoice is None and data.number and Invoice.objects.filter(number=data.number).exists():
        raise ValidationError(
            {"number": _("Another invoice has number %(number)s.") % {"number": data.number}}
        )
    if invoice is None and data.fields.get("outstanding") is None:
        data.fields["outstanding"] = data.fields.get("total")
    _lines_check(data=data, payer=data.fields.get("payer") or getattr(invoice, "payer", None))
    change = invoice_import_check(data=data, existing=invoice)
    deleted = list(invoice.lines.all()) if invoice is not None and change.lines is not None else []
    return invoice_save(
        invoice=change.invoice,
        lines=change.lines or [],
        deleted_lines=deleted,
        actor=actor,
        version=version,
    )


# -- payments --------------------------------------------------------------------------------


def invoice_payment_check(*, invoice: Invoice, amount: Decimal) -> Decimal:
    """What `invoice` owes once `amount` is paid on it. A payment is more than nothing, pays
    no more than is owed, and never goes on a credit note (the provider pays that back).
    Raises ValidationError keyed by "amount"."""
    if invoice.is_credit_note:
        message = _(
            "Invoice %(number)s is a credit note: it takes no payment; the provider pays it back."
        ) % {"number": invoice.number}
    elif amount <= 0:
        message = _("A payment is more than 0,00 kr; this one is %(amount)s.") % {
            "amount": format_nok(amount)
        }
    elif amount > invoice.outstanding:
        message = _(
            "The payment of %(amount)s is more than the %(outstanding)s owed on invoice %(number)s."
        ) % {
            "amount": format_nok(amount),
            "outstanding": format_nok(invoice.outstanding),
            "number": invoice.number,
        }
    else:
        return invoice.outstanding - amount
    raise ValidationError({"amount": message}, code="payment")


@transaction.atomic
def invoice_payment_register(
    *,
    invoice: Invoice,
    amount: Decimal,
    paid_on,
    reference: str = "",
    actor,
    version: int | None = None,
) -> Invoice:
    """A payment on `invoice` (the bank's, as the accounting system saw it): what is owed is
    lowered by `amount`, and the audit trail records the payment. Lock the row: two payments
    of the same invoice may arrive at once. Given the `version` the payer saw, a payment sent
    again after the first was saved is refused with `StaleEdit` instead of paid twice."""
    if not is_staff_with(actor, CHANGE_INVOICES):
        raise PermissionDenied(_("Only the provider's staff may register payments."))
    locked = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    version_claim(locked, version=version)
    before = locked.outstanding
    locked.outstanding = invoice_payment_check(invoice=locked, amount=amount)
    locked.save(update_fields=["outstanding"])
    payment = _("%(amount)s paid %(date)s") % {
        "amount": format_nok(amount),
        "date": format_date(paid_on),
    }
    if reference:
        payment = f"{payment} ({reference})"
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=locked,
        changes={
            "outstanding": [format_nok(before), format_nok(locked.outstanding)],
            "payment": [None, payment],
        },
    )
    return locked


@transaction.atomic
def invoices_delete(*, invoices, actor) -> int:
    """Delete invoices (the superuser's act); what each one was stays in the audit trail."""
    if not is_staff_with(actor, DELETE_INVOICES):
        raise PermissionDenied(_("Only the provider's staff may delete invoices."))
    invoices_deleted_audit(invoices=invoices, actor=actor)
    deleted, _by_model = invoices.delete()
    return deleted


def invoice_saved_audit(*, invoice: Invoice, actor, before: dict | None) -> None:
    """Into the audit trail once the staff form has saved the invoice and its lines: "created"
    (`before` None), or "changed" with what changed (nothing, when nothing did)."""
    after = invoice_audit_state(invoice, lines=invoice.lines.all())
    changes = invoice_audit_changes(before, after)
    if before is None or changes:
        action = "created" if before is None else "changed"
        audit_record(actor=actor, action=action, obj=invoice, changes=changes)


def invoices_deleted_audit(*, invoices, actor) -> None:
    """Into the audit trail just before staff delete invoices: what each one was."""
    invoices = list(invoices.select_related("payer", "order").prefetch_related("lines"))
    AuditEvent.objects.bulk_create(
        audit_event(
            actor=actor,
            action=AuditAction.DELETED,
            obj=invoice,
            changes={
                name: [value, None]
                for name, value in invoice_audit_state(invoice, lines=invoice.lines.all()).items()
            },
        )
        for invoice in invoices
    )


# -- the import ------------------------------------------------------------------------------


@transaction.atomic
def invoices_import(*, invoices: list[InvoiceData], actor) -> list[InvoiceChange]:
    """Create or update the invoices of an import, all of them or none.

    Existing invoices are locked first: a second import of the same file waits, then finds
    nothing left to change.
    """
    if not is_staff_with(actor, IMPORT_INVOICES):
        raise PermissionDenied
    numbers = [data.number for data in invoices]
    existing = {
        invoice.number: invoice
        for invoice in Invoice.objects.select_for_update(of=("self",))
        .filter(number__in=numbers)
        .select_related("payer", "order")
        .prefetch_related("lines")
    }
    # As they were: the check below changes the invoices in memory.
    before = {
        number: invoice_audit_state(invoice, lines=invoice.lines.all())
        for number, invoice in existing.items()
    }
    changes, errors = [], {}
    for data in invoices:
        try:
            changes.append(invoice_import_check(data=data, existing=existing.get(data.number)))
        except ValidationError as error:
            errors[data.number] = error.messages
    if errors:
        raise ValidationError(errors)  # keyed by invoice number
    events = []
    for change in changes:
        if change.kind == "skip":
            continue
        invoice = change.invoice
        old = before.get(invoice.number)
        lines = change.lines
        if lines is None:  # the file gives none: they stay as they were (a new invoice has none)
            lines = list(invoice.lines.all()) if old else []
        if old:  # locked above: a staff form opened before the import is refused after it
            invoice.version += 1
        invoice.save()
        if change.lines is not None:
            invoice.lines.all().delete()
            for line in change.lines:
                line.invoice = invoice
            InvoiceLine.objects.bulk_create(change.lines)
        events.append(
            (invoice, invoice_audit_changes(old, invoice_audit_state(invoice, lines=lines)))
        )
    _audit_imported(events, actor=actor)
    return changes


def _audit_imported(events, *, actor) -> None:
    """One event per invoice imported, written in one INSERT (as the employee import does)."""
    AuditEvent.objects.bulk_create(
        audit_event(actor=actor, action=IMPORT_AUDIT_ACTION, obj=invoice, changes=changes)
        for invoice, changes in events
    )


def invoice_opened(*, invoice: Invoice, viewer) -> bool:
    """`viewer` opened `invoice` (its page or its PDF). The first time someone of the customer
    does, the time is kept and the provider's systems hear of it (`invoice.viewed`); staff
    opening it, and later openings, change nothing. True when this was the first time."""
    if invoice.first_viewed_at is not None or not INVOICES.opens_as_customer(viewer, invoice):
        return False
    now = timezone.now()
    with transaction.atomic():
        # Two tabs at once: one of them is the first.
        first = Invoice.objects.filter(pk=invoice.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=now
        )
        if first:
            invoice.first_viewed_at = now
            emit("invoice.viewed", invoice_viewed_payload(invoice))
    return bool(first)
