from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ExportForm as BaseExportForm
from unfold.widgets import (
    UnfoldAdminFileFieldWidget,
    UnfoldAdminRadioSelectWidget,
    UnfoldAdminSelectWidget,
)

from portal.models import Customer

# A hint for the file dialog only: whatever is chosen is told by its content (imports.parsing).
ACCEPTED = ".xlsx,.ods,.csv"
FILE_ERRORS = {
    "required": _("Choose the file to upload."),
    "empty": _(
        "The file is empty (0 bytes). Save the spreadsheet again and upload it, or choose "
        "another file."
    ),
}


class EmployeeImportForm(forms.Form):
    """The upload. The customer is chosen among those the user may import for (and asked only
    when there is more than one): never read from the file."""

    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), widget=UnfoldAdminSelectWidget
    )
    import_file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .ods or .csv)"),
        widget=UnfoldAdminFileFieldWidget(attrs={"accept": ACCEPTED}),
        error_messages=FILE_ERRORS,
    )

    def __init__(self, *args, customers, **kwargs):
        """`customers`: a queryset of the customers the user may import for."""
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        field.queryset = customers
        field.empty_label = None
        choices = list(customers[:2])
        self.only_customer = choices[0] if len(choices) == 1 else None
        if self.only_customer:
            field.widget = forms.HiddenInput()
            field.initial = self.only_customer.pk
            field.required = False

    def clean_customer(self):
        return self.cleaned_data.get("customer") or self.only_customer


class InvoiceImportForm(forms.Form):
    """The accounting system's spreadsheet; its format is told by its content."""

    import_file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .ods or .csv)"),
        widget=UnfoldAdminFileFieldWidget(attrs={"accept": ACCEPTED}),
        error_messages=FILE_ERRORS,
    )


class PortalExportForm(BaseExportForm):
    """import-export's export form as a person reads it: the file type as a plain choice
    between the portal's formats (`choice_label`), Excel first and chosen."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        choices = [(str(index), format_.choice_label) for index, format_ in enumerate(formats)]
        field = self.fields["format"]
        field.label = _("File type")
        field.choices = choices
        field.widget = UnfoldAdminRadioSelectWidget(choices=choices)
        self.initial.setdefault("format", "0")
