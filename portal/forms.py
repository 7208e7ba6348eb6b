from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm

from permissions.scoping import has_any_access


class PortalAuthenticationForm(AuthenticationForm):
    """Staff and customer users with portal access may sign in; the message tells no more."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct username and password. Note that both fields may be "
            "case-sensitive."
        ),
        "no_access": _("This account has no access to the customer portal."),
    }

    def confirm_login_allowed(self, user):
        if not user.is_active or not has_any_access(user):
            raise ValidationError(self.error_messages["no_access"], code="no_access")
