import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminSelectWidget

from portal.admin.versions import VersionedFormMixin
from portal.models import Contract, Order
from portal.models.orders import OrderState
from portal.services.orders import order_contract_check, order_description_check
from portal.text import TextGuardFormMixin


class NewOrderForm(TextGuardFormMixin, forms.ModelForm):
    """«Ny bestilling»: the fields of the seed, checked as `order_submit` checks them."""

    class Meta:
        model = Order
        fields: tuple[str, ...] = (
            "department",
            "contract",
            "product_group",
            "customer_reference",
            "description",
        )

    class Media:
        js = ["portal/order_form.js"]

    #: Every empty choice reads the same: «Velg …».
    EMPTY_LABELS = {
        "department": _("Choose company/department"),
        "contract": _("Choose contract"),
        "product_group": _("Choose product group"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            # On the field, not in Meta.help_texts: a read-only order page shows those too.
            self.fields["description"].help_text = _("(Do not write sensitive information here)")
        contract = self.fields.get("contract")
        if contract is not None:
            contract.queryset = contract.queryset.valid_on(timezone.localdate())
        for name, label in self.EMPTY_LABELS.items():
            if name in self.fields:
                self._choose_the_only_one(name, label)
        if contract is not None:
            inner = getattr(contract.widget, "widget", contract.widget)
            if isinstance(inner, AutocompleteSelect):
                # Staff type a customer's name: each choice found brings its reference along.
                inner.attrs["data-reference-from-choice"] = "true"
            else:
                inner.attrs["data-references"] = json.dumps(
                    {str(c.pk): c.default_customer_reference for c in contract.queryset}
                )
            chosen = self.initial.get("contract")
            if isinstance(chosen, Contract) and not self.initial.get("customer_reference"):
                # The reference of the contract chosen already is there when the page opens.
                self.initial["customer_reference"] = chosen.default_customer_reference

    def _choose_the_only_one(self, name: str, label) -> None:
        """A choice the user has only one of is made already (a required one then offers no
        empty choice); staff, who type to choose among every customer's, choose themselves."""
        field = self.fields[name]
        inner = getattr(field.widget, "widget", field.widget)
        if not isinstance(field, forms.ModelChoiceField) or isinstance(inner, AutocompleteSelect):
            return
        field.empty_label = label
        if self.instance.pk is not None or self.is_bound:
            return
        choices = list(field.queryset[:2]) if field.queryset is not None else []
        if len(choices) == 1:
            self.initial.setdefault(name, choices[0])
            if field.required:
                field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department", getattr(self.instance, "department", None))
        try:
            if department is not None:
                order_contract_check(
                    contract=cleaned.get("contract"),
                    department=department,
                    on=timezone.localdate(),
                )
            order_description_check(cleaned.get("description") or "")
            if "_enquire" in self.data and not (cleaned.get("description") or "").strip():
                raise ValidationError(
                    {"description": _("Write what you want to ask about.")}, code="required"
                )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


class OrderStateForm(BaseDialogForm):
    state = forms.ChoiceField(
        label=_("Order state"), choices=OrderState.choices, widget=UnfoldAdminSelectWidget
    )


class OrderChangeForm(VersionedFormMixin, NewOrderForm):
    """Staff correcting a sent order: the same rules as «Ny bestilling»; the department
    stays (the contract and every event belong to it)."""

    class Meta(NewOrderForm.Meta):
        fields = ("contract", "product_group", "customer_reference", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract = self.fields.get("contract")
        if contract is not None and self.instance.pk:
            contract.queryset = contract.queryset.filter(
                customer_id=self.instance.department.customer_id
            )
