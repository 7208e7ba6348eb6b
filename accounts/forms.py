from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from unfold.widgets import BASE_INPUT_CLASSES, SELECT_CLASSES

from background.mail import mail_queue


class UnfoldLook:
    """Unfold's look for a form's plain Django widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            classes = SELECT_CLASSES if isinstance(widget, forms.Select) else BASE_INPUT_CLASSES
            widget.attrs["class"] = " ".join([widget.attrs.get("class", ""), *classes]).strip()


class SetupCodeForm(UnfoldLook, forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerifyForm(UnfoldLook, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class DisableForm(UnfoldLook, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password


class PortalPasswordResetForm(UnfoldLook, PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the mail for a worker, as Django would have written it."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        mail_queue(to=[to_email], subject=subject, body=body)


class PortalSetPasswordForm(UnfoldLook, SetPasswordForm):
    pass
