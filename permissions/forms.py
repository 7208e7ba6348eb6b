from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminEmailInputWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
)

from portal.models import Department
from portal.text import TextGuardFormMixin

from .capabilities import Role
from .models import Grant


class InviteContactForm(TextGuardFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=UnfoldAdminEmailInputWidget)
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=UnfoldAdminTextInputWidget
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=UnfoldAdminTextInputWidget
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=UnfoldAdminSelectWidget)
    departments = forms.ModelMultipleChoiceField(
        label=_("Companies/departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("Leave empty for every department of the customer, also future ones."),
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(customer=customer)


class GrantForm(forms.ModelForm):
    class Meta:
        model = Grant
        fields = ("user", "customer", "role", "departments")

    def clean(self):
        cleaned = super().clean()
        user, customer = cleaned.get("user"), cleaned.get("customer")
        departments = cleaned.get("departments") or []
        if user is not None and user.is_staff:
            self.add_error(
                "user",
                _("Staff users see every customer already; portal access is for customer users."),
            )
        if customer is not None:
            foreign = [d.name for d in departments if d.customer_id != customer.pk]
            if foreign:
                self.add_error(
                    "departments",
                    _("%(departments)s does not belong to %(customer)s.")
                    % {"departments": ", ".join(foreign), "customer": customer},
                )
        if (
            user is not None
            and customer is not None
            and user.portal_grants.exclude(customer=customer).exists()
        ):
            raise ValidationError(
                _("This user already has access to another customer."), code="other"
            )
        return cleaned


def _limit_departments(form: forms.Form, departments, *, whole_customer: bool) -> None:
    """The departments a customer's administrator may choose: their own; none (the whole
    customer) only for an administrator of the whole customer."""
    field = form.fields["departments"]
    field.queryset = departments  # type: ignore[attr-defined]
    if not whole_customer:
        field.required = True
        field.help_text = _("Choose the departments; you may grant only on those you administer.")


class InviteColleagueForm(InviteContactForm):
    """«Inviter kollega»: the staff's invitation form, on the administrator's departments."""

    field_order = ["first_name", "last_name", "email", "role", "departments"]

    def __init__(self, *args, customer, departments, whole_customer, **kwargs):
        super().__init__(*args, customer=customer, **kwargs)
        _limit_departments(self, departments, whole_customer=whole_customer)
        self.order_fields(self.field_order)


class ChangeColleagueForm(forms.Form):
    """Another role, or the same role on other departments."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=UnfoldAdminSelectWidget)
    departments = forms.ModelMultipleChoiceField(
        label=_("Companies/departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("Leave empty for every department of the customer, also future ones."),
    )

    def __init__(self, *args, departments, whole_customer, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_departments(self, departments, whole_customer=whole_customer)
