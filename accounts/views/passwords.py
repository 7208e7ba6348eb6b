"""Password reset by e-mail: Django's own views, in the portal's look. The link works once and
for PASSWORD_RESET_TIMEOUT (an hour); links are throttled per address and per client
(accounts.throttle); the answer is the same whether the address is known or throttled."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from audit.models import AuditAction
from audit.services import audit_record

from ..forms import PortalPasswordResetForm, PortalSetPasswordForm
from ..lockout import client_ip
from ..throttle import password_reset_request_record
from ..tokens import password_reset_tokens


def _reset_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


class LookMixin:
    title: StrOrPromise | None = None

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": self.title,
            "reset_minutes": _reset_minutes(),
        }


class PasswordResetView(LookMixin, auth_views.PasswordResetView):
    title = _("Forgotten password")
    form_class = PortalPasswordResetForm
    token_generator = password_reset_tokens
    template_name = "accounts/password_reset/form.html"
    email_template_name = "accounts/password_reset/email.txt"
    subject_template_name = "accounts/password_reset/subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        allowed = password_reset_request_record(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        if not allowed:  # the same answer as a sent link: nothing tells it was throttled
            return HttpResponseRedirect(self.get_success_url())
        # Per request, not per class: the settings are read when the mail goes out.
        self.extra_email_context = {
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
            "reset_minutes": _reset_minutes(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(LookMixin, auth_views.PasswordResetDoneView):
    title = _("Check your e-mail")
    template_name = "accounts/password_reset/done.html"


class PasswordResetConfirmView(LookMixin, auth_views.PasswordResetConfirmView):
    title = _("Choose a new password")
    form_class = PortalSetPasswordForm
    token_generator = password_reset_tokens
    template_name = "accounts/password_reset/confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.user, action=AuditAction.PASSWORD_RESET, obj=form.user)
        # Whoever can read the mail may sign in again at once, lock-out or not.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(LookMixin, auth_views.PasswordResetCompleteView):
    title = _("Your password is set")
    template_name = "accounts/password_reset/complete.html"
