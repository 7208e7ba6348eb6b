from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm

from permissions.scoping import has_any_access


class PortalAuthenticationForm(AuthenticationForm):
    """Staff and customer users with portal access may sign in. A right password on an
    account without access gets the same answer as a wrong one: nothing is learnt. It also
    counts as a failed attempt towards the lock-out (django-axes), as a wrong one does."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct username and password for an account with access to "
            "the customer portal. Note that both fields may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user):
        if not user.is_active or not has_any_access(user):
            user_login_failed.send(
                sender=type(self),
                credentials={"username": self.cleaned_data.get("username")},
                request=self.request,
            )
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
