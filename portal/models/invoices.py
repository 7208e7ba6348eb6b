import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.formatting import format_nok
from portal.validators import validate_kid

from .customers import Department
from .orders import Order
from .sequences import sequence_advance_to, sequence_next
from .versions import TouchedOnSave, updated_at_field, version_field

CENT = Decimal("0.01")
INVOICE_NUMBER = re.compile(r"(?P<year>\d{4})-(?P<serial>\d{1,18})")


class InvoiceStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    UNPAID = "unpaid", _("Unpaid")
    CREDITED = "credited", _("Credited")


# Sorting by status puts what needs doing first: overdue, unpaid, paid, credit notes.
STATUS_RANK = {
    InvoiceStatus.OVERDUE: 0,
    InvoiceStatus.UNPAID: 1,
    InvoiceStatus.PAID: 2,
    InvoiceStatus.CREDITED: 3,
}


class InvoiceQuerySet(models.QuerySet):
    def with_status(self, today=None) -> Self:
        """Annotate `status_value` and `status_rank` (its sort order), computed in the
        database from today's date: due today is not overdue yet."""
        today = today or timezone.localdate()
        cases = [
            (Q(is_credit_note=True), InvoiceStatus.CREDITED),
            (Q(outstanding__lte=0), InvoiceStatus.PAID),
            (Q(due_date__lt=today), InvoiceStatus.OVERDUE),
        ]
        return self.annotate(
            status_value=Case(
                *(When(condition, then=Value(status.value)) for condition, status in cases),
                default=Value(InvoiceStatus.UNPAID.value),
                output_field=models.CharField(),
            ),
            status_rank=Case(
                *(When(condition, then=Value(STATUS_RANK[status])) for condition, status in cases),
                default=Value(STATUS_RANK[InvoiceStatus.UNPAID]),
                output_field=models.IntegerField(),
            ),
        )

    def with_status_value(self, status, today=None) -> Self:
        today = today or timezone.localdate()
        conditions = {
            InvoiceStatus.CREDITED: Q(is_credit_note=True),
            InvoiceStatus.PAID: Q(is_credit_note=False, outstanding__lte=0),
            InvoiceStatus.OVERDUE: Q(is_credit_note=False, outstanding__gt=0, due_date__lt=today),
            InvoiceStatus.UNPAID: Q(is_credit_note=False, outstanding__gt=0, due_date__gte=today),
        }
        return self.filter(conditions[InvoiceStatus(status)])


class Invoice(TouchedOnSave, models.Model):
    number = models.CharField(_("invoice number"), max_length=30, unique=True, blank=True)
    payer = models.ForeignKey(
        Department,
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoices",
    )
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    kid = models.CharField(_("KID"), max_length=25, blank=True, validators=[validate_kid])
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    outstanding = models.DecimalField(
        _("outstanding"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    is_credit_note = models.BooleanField(_("credit note"), default=False)
    first_viewed_at = models.DateTimeField(
        _("first opened by the customer"), null=True, blank=True, editable=False
    )
    updated_at = updated_at_field()
    version = version_field()

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date", "-number"]
        permissions = [
            ("export_invoice", _("Can export invoices")),
            ("import_invoice", _("Can import invoices")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("invoice_date")),
                name="invoice_due_not_before_invoice_date",
                violation_error_message=_("The due date cannot be before the invoice date."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["payer", "-invoice_date", "-number"], name="invoice_payer_date_idx"
            ),
            models.Index(fields=["payer", "due_date"], name="invoice_payer_due_idx"),
            # Staff's list, every customer's invoices, newest first.
            models.Index(fields=["-invoice_date", "-number"], name="invoice_date_idx"),
            # The open invoices (a few percent of all) by due date: staff's overdue and unpaid
            # figures and filters read these instead of every invoice.
            models.Index(
                fields=["due_date"],
                include=["payer", "outstanding"],
                condition=Q(is_credit_note=False, outstanding__gt=0),
                name="invoice_open_due_idx",
            ),
            # The API's synchronisation: a customer's invoices changed since, in that order.
            models.Index(fields=["payer", "updated_at"], name="invoice_payer_updated_idx"),
            models.Index(fields=["updated_at"], name="invoice_updated_idx"),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = f"{self.invoice_date.year}-{sequence_next(name='invoice')}"
        elif self._state.adding and (numbered := INVOICE_NUMBER.fullmatch(self.number)):
            # Keep the counter above numbers from elsewhere, or the next one would clash.
            sequence_advance_to(name="invoice", value=int(numbered["serial"]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:portal_invoice_change", args=[self.pk])

    def clean(self):
        """What is owed stays between nothing and the total (a credit note: both negative)."""
        if self.total is None or self.outstanding is None:
            return
        if self.is_credit_note:
            if self.total > 0:
                raise ValidationError(
                    {"total": _("A credit note's total is zero or negative.")},
                    code="credit_note_total",
                )
            if not self.total <= self.outstanding <= 0:
                raise ValidationError(
                    {
                        "outstanding": _(
                            "A credit note's outstanding amount lies between its total and zero."
                        )
                    },
                    code="credit_note_outstanding",
                )
            return
        if self.total < 0:
            raise ValidationError(
                {"total": _("An invoice's total cannot be negative; register a credit note.")},
                code="invoice_total",
            )
        if not 0 <= self.outstanding <= self.total:
            raise ValidationError(
                {"outstanding": _("The outstanding amount lies between zero and the total.")},
                code="invoice_outstanding",
            )

    @property
    def status(self) -> InvoiceStatus:
        if self.is_credit_note:
            return InvoiceStatus.CREDITED
        if self.outstanding <= 0:
            return InvoiceStatus.PAID
        if self.due_date < timezone.localdate():
            return InvoiceStatus.OVERDUE
        return InvoiceStatus.UNPAID


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """A line's amount: quantity × unit price, to the øre."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines"
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, default=Decimal("1")
    )
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # Health services are exempt from VAT (merverdiavgiftsloven § 3-2): 0 unless set, in the
    # database too (the world generator's COPY does not name the column).
    vat_rate = models.DecimalField(
        _("VAT rate"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        db_default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Percent; 0 for services exempt from VAT."),
    )
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "pk"]

    def __str__(self):
        return self.description

    def clean(self):
        """The amount is quantity × unit price, to the øre (a discount is a line of its own)."""
        if None in (self.quantity, self.unit_price, self.amount):
            return
        expected = line_amount(self.quantity, self.unit_price)
        if self.amount != expected:
            raise ValidationError(
                {
                    "amount": _("The amount should be quantity × unit price = %(expected)s.")
                    % {"expected": format_nok(expected)}
                },
                code="line_amount",
            )

    @property
    def is_vat_exempt(self) -> bool:
        """At 0 %: the invoice says «Unntatt mva» (exempt) beside the rate."""
        return not self.vat_rate

    @property
    def vat_amount(self) -> Decimal:
        """The VAT on the line's amount (the amount is before VAT), to the øre."""
        return (self.amount * self.vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def amount_incl_vat(self) -> Decimal:
        """The line's part of the invoice's total: its amount and its VAT."""
        return self.amount + self.vat_amount
