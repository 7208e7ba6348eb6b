from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .invitations import invitation_tokens


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Set a password from an invitation link (valid 7 days, used once)."""

    token_generator = invitation_tokens
    template_name = "permissions/invitation_accept.html"
    success_url = reverse_lazy("admin:login")
    post_reset_login = False
    reset_url_token = "sett-passord"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Choose your password"),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. You can log in now."))
        return response
