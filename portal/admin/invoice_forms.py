"""The forms of the invoice admin: the staff invoice form and its lines, and the invoices shown
on an order's page (the import's upload form is `imports.forms.InvoiceImportForm`)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext

from portal.admin.versions import VersionedFormMixin
from portal.models import Invoice, InvoiceLine
from portal.services.invoices import invoice_lines_total_error
from portal.text import TextGuardFormMixin
from portal.validators import validate_org_number


class InvoiceForm(VersionedFormMixin, TextGuardFormMixin, forms.ModelForm):
    """The staff form: a KID a bank accepts, a payer with a valid organisation number."""

    def clean_kid(self):
        return "".join(self.cleaned_data.get("kid", "").split())

    def clean_payer(self):
        payer = self.cleaned_data.get("payer")
        if payer is not None:
            try:
                validate_org_number(payer.org_number or payer.customer.org_number)
            except ValidationError as error:
                raise ValidationError(
                    gettext("%(payer)s cannot be invoiced: %(problem)s")
                    % {"payer": payer, "problem": " ".join(error.messages)}
                ) from None
        return payer


class InvoiceLineForm(forms.ModelForm):
    """A line as staff write it: a VAT rate left empty is 0 % (health services are exempt)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vat_rate"].required = False

    def clean_vat_rate(self):
        rate = self.cleaned_data.get("vat_rate")
        return Decimal("0") if rate is None else rate


class InvoiceLineFormSet(BaseInlineFormSet):
    def clean(self):
        """The lines add up to the total, and each order is one of the payer's."""
        super().clean()
        if any(self.errors):
            return
        kept_forms = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept = [form.cleaned_data for form in kept_forms]
        payer = getattr(self.instance, "payer", None) if self.instance.payer_id else None
        for line in kept:
            order = line.get("order")
            if payer and order and order.department.customer_id != payer.customer_id:
                raise ValidationError(
                    gettext("Order %(number)s belongs to another customer than the payer.")
                    % {"number": order.number}
                )
        problem = invoice_lines_total_error(
            total=self.instance.total,
            # each form's instance holds its cleaned amount and VAT rate by now
            amounts=[form.instance.amount_incl_vat for form in kept_forms],
        )
        if problem:
            raise ValidationError(problem)


class ShownOnlyFormSet(BaseInlineFormSet):
    """Invoices of an order: those made out for it and those with a line for it. Shown on the
    order's page, never saved from there."""

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, queryset=queryset, **kwargs)
        if self.instance.pk is not None and queryset is not None:
            # The ids of both kinds in one UNION, each found by its order index. A JOIN with
            # DISTINCT reads every invoice's lines; an OR of the two leaves the planner walking
            # every invoice by date to test each (30 ms at 300,000 invoices, for none found).
            made_out = Invoice.objects.filter(order=self.instance).order_by().values("pk")
            with_a_line = InvoiceLine.objects.filter(order=self.instance).order_by()
            ids = made_out.union(with_a_line.values("invoice"))
            self.queryset = queryset.filter(pk__in=ids)

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []
