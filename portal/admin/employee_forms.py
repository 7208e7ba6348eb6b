from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminPasswordWidget

from portal.admin.versions import VersionedFormMixin
from portal.models import Employee
from portal.models.employees import NATIONAL_ID_MASK
from portal.services.employees import (
    EDITABLE_FIELDS,
    employee_clash_message,
    employee_email_taken,
)
from portal.text import TextGuardFormMixin
from portal.validators import (
    format_mobile,
    normalize_mobile,
    normalize_national_id,
    validate_birth_date_matches_registered_national_id,
    validate_national_id,
    validate_national_id_matches_birth_date,
)


class EmployeeForm(VersionedFormMixin, TextGuardFormMixin, forms.ModelForm):
    """Ny ansatt / Rediger ansatt. The national id is write-only: once saved it is only
    ever shown masked, and changing it means typing the whole new number."""

    national_id = forms.CharField(
        label=_("National identity number (11 digits)"),
        required=False,
        strip=True,
        widget=UnfoldAdminPasswordWidget(render_value=False, attrs={"autocomplete": "off"}),
    )
    remove_national_id = forms.BooleanField(
        label=_("Remove the registered national identity number"), required=False
    )

    value_formats = {"mobile": format_mobile}
    actor = None  # the user filling it in, set by the admin: what a refusal may tell them

    class Meta:
        model = Employee
        fields = EDITABLE_FIELDS  # what the admin hands to employee_create / employee_update

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].required = True
        registered = self.instance.pk and self.instance.has_national_id
        if "national_id" not in self.fields:
            return
        self.fields["national_id"].help_text = (
            _("Registered: %(mask)s. Type a whole new number to change it.")
            % {"mask": NATIONAL_ID_MASK}
            if registered
            else _("Blank means no number is registered yet.")
        )
        if "department" in self.fields:
            department = self.fields["department"]
            if department.queryset.count() == 1:
                department.empty_label = None

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data.get("mobile") or "")

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip()

    def clean_national_id(self):
        value = normalize_national_id(self.cleaned_data.get("national_id") or "")
        if value:
            validate_national_id(value)
        return value

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department") or getattr(self.instance, "department", None)
        email = cleaned.get("email")
        if (
            email
            and department is not None
            and (self.instance.is_active or self.instance.pk is None)
            and (
                other := employee_email_taken(
                    customer_id=department.customer_id, email=email, exclude_pk=self.instance.pk
                )
            )
        ):
            message = _(
                "An active employee of this customer already has the e-mail address %(email)s."
            ) % {"email": email}
            self.add_error(
                "email",
                employee_clash_message(actor=self.actor, other=other, message=message),
            )
        if cleaned.get("national_id") and cleaned.get("birth_date"):
            try:
                validate_national_id_matches_birth_date(
                    cleaned["national_id"], cleaned["birth_date"]
                )
            except ValidationError as error:
                self.add_error("national_id", error)
        elif (
            "birth_date" in self.changed_data
            and not cleaned.get("remove_national_id")
            and self.instance.pk
            and self.instance.has_national_id
        ):
            try:
                validate_birth_date_matches_registered_national_id(
                    self.instance.reveal_national_id(), cleaned.get("birth_date")
                )
            except ValidationError as error:
                self.add_error("birth_date", error)
        if cleaned.get("national_id") and cleaned.get("remove_national_id"):
            raise ValidationError(
                _("Either type a new national identity number or remove it, not both.")
            )
        return cleaned

    def national_id_change(self) -> str | None:
        """None keeps the stored number, "" removes it, a number replaces it."""
        if self.cleaned_data.get("remove_national_id"):
            return ""
        return self.cleaned_data.get("national_id") or None
