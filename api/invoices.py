"""What the API shows of an invoice and takes for one: the accounting system's invoices with
their lines, their status as the admin's list shows it, and payments. The rules are
`portal.services.invoices`'s; these only say the shape (and the limits the schema tells a
client, so that what it sends mostly fits)."""

from decimal import Decimal

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from permissions.capabilities import Capability
from permissions.policies import ORDERS, departments_for
from portal.models import Department, Invoice, InvoiceLine, Order
from portal.models.invoices import InvoiceStatus, line_amount
from portal.services.invoices import InvoiceData, InvoiceLineData

from .filters import UpdatedSinceFilterSet, _id_filter
from .serializers import ScopedPrimaryKeyRelatedField

# Amounts as the database keeps them: 12 digits, 2 after the comma.
LARGEST = Decimal("9999999999.99")
INVOICE_NUMBER_PATTERN = r"^\S{1,30}$"
NUMBER_STAYS = _("An invoice keeps its number: register a credit note and a new invoice.")


def _amount(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=-LARGEST, max_value=LARGEST, **kwargs
    )


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ("id", "description", "quantity", "unit_price", "amount", "vat_rate", "order")
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="payer.customer_id", read_only=True)
    status = serializers.ChoiceField(
        source="status_value",
        choices=InvoiceStatus.choices,
        read_only=True,
        help_text="As the portal's invoice list shows it: overdue from the day after the due date.",
    )
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = (
            "id",
            "number",
            "customer",
            "payer",
            "order",
            "invoice_date",
            "due_date",
            "kid",
            "total",
            "outstanding",
            "is_credit_note",
            "status",
            "lines",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class InvoiceLineWriteSerializer(serializers.Serializer):
    """A line; `amount` is quantity × unit price unless given (then it must be that)."""

    description = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("99999999.99"),
        default=Decimal("1"),
    )
    unit_price = _amount()
    amount = _amount(required=False)
    vat_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        default=Decimal("0"),
        help_text="Percent; 0 for health services, exempt from VAT.",
    )
    order = ScopedPrimaryKeyRelatedField(
        rows=lambda user: ORDERS.instances_for(user, Capability.VIEW_ORDERS).select_related(
            "department"
        ),
        queryset=Order.objects.all(),
        required=False,
        allow_null=True,
    )

    def validate(self, attrs):
        """A line is whole on a change too (DRF's partial update would let its fields go)."""
        missing = {
            name: [self.fields[name].error_messages["required"]]
            for name in ("description", "unit_price")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs

    def to_data(self, values: dict) -> InvoiceLineData:
        quantity = values.get("quantity", Decimal("1"))
        unit_price = values["unit_price"]
        amount = values.get("amount")
        if amount is None:
            amount = line_amount(quantity, unit_price)
        return InvoiceLineData(
            description=values["description"],
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
            order=values.get("order"),
            vat_rate=values.get("vat_rate", Decimal("0")),
        )


class InvoiceWriteSerializer(serializers.Serializer):
    """What the accounting system sends. A new invoice needs payer, dates and total; without
    a number it gets the portal's next, without `outstanding` it owes its total. On a change
    every field is optional; `lines`, when given, replace the invoice's lines."""

    number = serializers.RegexField(
        INVOICE_NUMBER_PATTERN,
        max_length=30,
        required=False,
        help_text="The accounting system's invoice number, e.g. 2017-118350.",
        error_messages={"invalid": _("An invoice number has no spaces and at most 30 signs.")},
    )
    payer = ScopedPrimaryKeyRelatedField(
        rows=lambda user: departments_for(user, Capability.VIEW_INVOICES),
        queryset=Department.objects.all(),
        help_text="The paying company/department.",
    )
    invoice_date = serializers.DateField()
    due_date = serializers.DateField()
    kid = serializers.CharField(max_length=25, required=False, allow_blank=True)
    total = _amount(help_text="The lines with their VAT add up to it; negative on a credit note.")
    outstanding = _amount(required=False)
    is_credit_note = serializers.BooleanField(required=False)
    lines = InvoiceLineWriteSerializer(many=True, required=False, allow_empty=False)

    def to_data(self, *, number: str = "") -> InvoiceData:
        """The import's `InvoiceData` of what was sent."""
        values = dict(self.validated_data)
        lines = values.pop("lines", None)
        return InvoiceData(
            number=values.pop("number", number),
            fields=values,
            lines=None
            if lines is None
            else [InvoiceLineWriteSerializer().to_data(line) for line in lines],
        )


class PaymentSerializer(serializers.Serializer):
    """A payment as the bank reported it to the accounting system."""

    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=LARGEST,
        error_messages={"min_value": _("A payment is more than 0,00 kr.")},
    )
    paid_on = serializers.DateField(help_text="The day the bank received it.")
    reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The bank's reference or archive number, kept in the audit trail.",
    )


class InvoiceFilterSet(UpdatedSinceFilterSet):
    payer = _id_filter("payer")
    order = _id_filter("order")
    status = django_filters.ChoiceFilter(
        choices=InvoiceStatus.choices, method="filter_status", label=_("Status")
    )

    class Meta:
        model = Invoice
        fields = ("payer", "order", "status", "is_credit_note")

    def filter_status(self, queryset, name, value):
        return queryset.with_status_value(value)
