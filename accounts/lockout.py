"""The lock-out after repeated failed logins (django-axes): what is counted, whose address
counts, what the visitor is told, and how staff lift one. The answer is the same whether the
account exists or not.

A lock-out is per user name *and* address (AXES_FAILURE_LIMIT failures), so that somebody
mistyping, or trying made-up names, at one office does not shut out its colleagues; and per
address alone at a much higher limit (PORTAL_LOCKOUT_ADDRESS_LIMIT), against one machine
trying many names. Both are counted in the database (axes' AccessAttempt), so every app server
sees the same count."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditAction
from audit.services import audit_record
from permissions.capabilities import LIFT_LOCKOUTS
from permissions.scoping import is_staff_with
from portal.forms import PortalAuthenticationForm

LOCKED_OUT_STATUS = 429


def _failures(**lookup) -> int:
    """Failed logins matching `lookup` within the cool-off."""
    since = timezone.now() - get_cool_off()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, **lookup)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting per user name and address (AXES_LOCKOUT_PARAMETERS)
    and, beside it, per address alone against PORTAL_LOCKOUT_ADDRESS_LIMIT.

    axes compares one number with one limit, both when it refuses a sign-in and when it
    decides a failure locks: an address over its own limit answers that limit, so both
    decisions see it locked."""

    def get_failures(self, request, credentials=None) -> int:
        by_name = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if by_name < limit and address_is_locked(getattr(request, "axes_ip_address", None)):
            return limit
        return by_name


def address_is_locked(ip_address: str | None) -> bool:
    if not ip_address:
        return False
    return _failures(ip_address=ip_address) >= settings.PORTAL_LOCKOUT_ADDRESS_LIMIT


def lockout_failures(*, username: str) -> int:
    """The failed logins for this user name, from every address, within the cool-off."""
    return _failures(username=username)


def lockout_lift(*, user, actor) -> int:
    """Forget the failed logins for `user`'s name, from every address: they may sign in at
    once. Returns how many were forgotten. A lock of an address as a whole is not the user's
    and stays (`manage.py axes_reset_ip ADDRESS` lifts it)."""
    if not is_staff_with(actor, LIFT_LOCKOUTS):
        raise PermissionDenied
    username = user.get_username()
    with transaction.atomic():
        failures = lockout_failures(username=username)
        axes_reset(username=username)
        audit_record(
            actor=actor,
            action=AuditAction.LOCKOUT_LIFTED,
            obj=user,
            changes={"failed_logins": [failures, 0]},
        )
    return failures


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
