import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminSelectWidget

from portal.admin.versions import VersionedFormMixin
from portal.models import Order
from portal.models.orders import OrderState
from portal.services.orders import SENSITIVE_HINT, order_contract_check, order_description_check
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
        help_texts = {"description": SENSITIVE_HINT}

    class Media:
        js = ["portal/order_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.fields.get("department")
        if department is not None:
            department.empty_label = None if department.queryset.count() == 1 else "---------"
        contract = self.fields.get("contract")
        if contract is not None:
            contract.queryset = contract.queryset.valid_on(timezone.localdate())
            inner = getattr(contract.widget, "widget", contract.widget)
            if isinstance(inner, AutocompleteSelect):
                # Staff type a customer's name: each choice found brings its reference along.
                inner.attrs["data-reference-from-choice"] = "true"
            else:
                inner.attrs["data-references"] = json.dumps(
                    {str(c.pk): c.default_customer_reference for c in contract.queryset}
                )
        if "description" in self.fields:
            self.fields["description"].widget.attrs["placeholder"] = str(
                _("(Do not write sensitive information here)")
            )

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
