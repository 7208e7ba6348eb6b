from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnfoldLook
from audit.trail import KINDS


class AuditFilterForm(UnfoldLook, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *[(key, kind.label) for key, kind in KINDS.items()]],
    )
    actor = forms.CharField(
        label=_("Done by"),
        required=False,
        max_length=150,
        help_text=_("User name, name or e-mail address."),
    )
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.format = "%Y-%m-%d"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The from date is after the to date."), code="dates")
        return cleaned
