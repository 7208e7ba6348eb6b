"""Sign-in, two-factor and password reset. The two-factor pages sit behind the admin's login
(`admin_view`); password reset is for the signed-out."""

from django.contrib import admin
from django.urls import path

from .views import passwords, two_factor


def _signed_in(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("konto/tofaktor/", _signed_in(two_factor.two_factor_overview), name="two_factor"),
    path(
        "konto/tofaktor/oppsett/",
        _signed_in(two_factor.two_factor_setup),
        name="two_factor_setup",
    ),
    path(
        "konto/tofaktor/bekreft/",
        _signed_in(two_factor.two_factor_verify),
        name="two_factor_verify",
    ),
    path(
        "konto/tofaktor/reservekoder/",
        _signed_in(two_factor.recovery_codes_new),
        name="two_factor_recovery_codes",
    ),
    path(
        "konto/tofaktor/slaa-av/",
        _signed_in(two_factor.two_factor_turn_off),
        name="two_factor_disable",
    ),
    path("passord/glemt/", passwords.PasswordResetView.as_view(), name="password_reset"),
    # The admin's login page links "Glemt passordet?" to this name when it exists.
    path("passord/glemt/", passwords.PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "passord/glemt/sendt/",
        passwords.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passord/ny/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passord/ny/ferdig/",
        passwords.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
