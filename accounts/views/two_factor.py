"""The two-factor pages: set-up (QR code, secret, a code to confirm, recovery codes once),
the second step of a sign-in, and turning it off or making new recovery codes."""

import django_otp
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import DisableForm, SetupCodeForm, VerifyForm
from ..two_factor import (
    SECOND_FACTOR_PENDING,
    SETUP_SECRET,
    provisioning_uri,
    qr_code_svg,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_verify,
    secret_for_display,
    setup_secret,
    two_factor_disable,
    two_factor_enable,
    two_factor_enabled,
    two_factor_required,
)


def _next_url(request) -> str:
    """Where to go on: `next` when it stays on this site, else the Info page."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _context(request, title, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _overview_page(request, disable_form: DisableForm):
    user = request.user
    enabled = two_factor_enabled(user)
    return TemplateResponse(
        request,
        "accounts/two_factor/overview.html",
        _context(
            request,
            _("Two-factor sign-in"),
            enabled=enabled,
            required=two_factor_required(user),
            codes_left=recovery_codes_left(user) if enabled else 0,
            disable_form=disable_form,
        ),
    )


@require_http_methods(["GET"])
def two_factor_overview(request):
    return _overview_page(request, DisableForm(user=request.user))


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if two_factor_enabled(user):
        return redirect("two_factor")
    secret = setup_secret(request.session)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_enable(
                user=user, secret_hex=secret, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error("token", error)
        else:
            request.session.pop(SETUP_SECRET, None)
            request.session.pop(SECOND_FACTOR_PENDING, None)
            django_otp.login(request, TOTPDevice.objects.devices_for_user(user).get())
            return _recovery_codes_page(request, codes, first_time=True)
    uri = provisioning_uri(user, secret)
    return TemplateResponse(
        request,
        "accounts/two_factor/setup.html",
        _context(
            request,
            _("Set up two-factor sign-in"),
            form=form,
            qr_code=qr_code_svg(uri),
            secret=secret_for_display(secret),
            required=two_factor_required(user),
            next=_next_url(request),
        ),
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of a sign-in."""
    user = request.user
    next_url = _next_url(request)
    if not two_factor_enabled(user):  # removed meanwhile, by the user or a superuser
        request.session.pop(SECOND_FACTOR_PENDING, None)
        return redirect(next_url)
    if user.is_verified() and not request.session.get(SECOND_FACTOR_PENDING):
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_verify(user=user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error(
                "token",
                _(
                    "The code is not right, or it has been used. Wait for the next code and try "
                    "again."
                ),
            )
        else:
            django_otp.login(request, device)
            request.session.pop(SECOND_FACTOR_PENDING, None)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code. You have %(left)d left; make new "
                        "ones under Two-factor sign-in."
                    )
                    % {"left": recovery_codes_left(user)},
                )
            return redirect(next_url)
    return TemplateResponse(
        request,
        "accounts/two_factor/verify.html",
        _context(request, _("Confirm your sign-in"), form=form, next=next_url),
    )


@require_POST
def recovery_codes_new(request):
    try:
        codes = recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("two_factor")
    return _recovery_codes_page(request, codes, first_time=False)


def _recovery_codes_page(request, codes, *, first_time: bool):
    """Shown once, in the answer to the POST that made them: they are stored nowhere else in
    clear but in the database of django-otp, and never shown again."""
    response = TemplateResponse(
        request,
        "accounts/two_factor/recovery_codes.html",
        _context(
            request,
            _("Your recovery codes"),
            codes=codes,
            first_time=first_time,
            next=_next_url(request),
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def two_factor_turn_off(request):
    user = request.user
    form = DisableForm(request.POST, user=user)
    if two_factor_required(user):
        messages.error(request, _("Staff must keep two-factor sign-in."))
        return redirect("two_factor")
    if not form.is_valid():
        return _overview_page(request, form)
    two_factor_disable(user=user, actor=user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")
