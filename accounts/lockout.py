"""The lock-out after repeated failed logins (django-axes): whose address counts, and what the
visitor is told. The answer is the same whether the account exists or not."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.forms import PortalAuthenticationForm

LOCKED_OUT_STATUS = 429


def client_ip(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or, behind PORTAL_TRUSTED_PROXIES proxies, the
    address the outermost of them appended to X-Forwarded-For (whatever the visitor wrote
    into the header themselves stands further left and is ignored)."""
    proxies = settings.PORTAL_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_message(request=None) -> str:
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    return ngettext(
        "Too many failed login attempts. Logging in is blocked for %(minutes)d minute. "
        "If you have forgotten your password, you can reset it.",
        "Too many failed login attempts. Logging in is blocked for %(minutes)d minutes. "
        "If you have forgotten your password, you can reset it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock-out message where a wrong password's would be."""

    data = request.POST.copy()
    data.pop("password", None)
    form = PortalAuthenticationForm(request, data=data)
    # Not validated: that would authenticate, and count, once more.
    form.cleaned_data = {}
    form._errors = ErrorDict({"__all__": ErrorList([lockout_message(request)])})
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME)
        or request.GET.get(REDIRECT_FIELD_NAME, ""),
        "username": "",
        "site_name": admin.site.site_title,
        "locked_out": True,
    }
    # Rendered here: the response is made in a middleware, after the view has rendered.
    return render(request, "admin/login.html", context, status=LOCKED_OUT_STATUS)
