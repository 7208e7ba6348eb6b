"""«Brukere og tilganger»: a customer's administrator manages their colleagues' access.

Who may do what is `permissions.delegation`'s; the writes are the grant services'. A grant
the administrator may not see answers 404, as a grant that does not exist."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.trail import audit_event_rows
from portal.models import Department

from .delegation import (
    administered_customer,
    administered_department_ids,
    colleague_events,
    colleague_grants,
    grantable_departments,
    may_change_grant,
)
from .forms import ChangeColleagueForm, InviteColleagueForm
from .invitations import contact_invite
from .models import Grant
from .scoping import ALL
from .services import grant_change, grant_revoke

#: The newest events of the customer's access shown under «Endringslogg for tilganger».
CHANGELOG_LENGTH = 50


def _customer(request):
    customer = administered_customer(request.user)
    if customer is None:
        raise PermissionDenied
    return customer


def _render(request, template: str, context: dict):
    request.current_app = admin.site.name
    return TemplateResponse(request, template, {**admin.site.each_context(request), **context})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


@require_GET
def colleagues(request):
    """Who has access to the customer, with which role on which departments, and the log."""
    customer = _customer(request)
    grants = list(
        colleague_grants(request.user, customer)
        .select_related("user", "customer", "granted_by")
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("name")))
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    rows = [
        {
            "grant": grant,
            "name": _person(grant.user),
            "departments": ", ".join(d.name for d in grant.departments.all()) or _("All"),
            "own": grant.user_id == request.user.pk,
            "may_change": may_change_grant(request.user, grant),
        }
        for grant in grants
    ]
    events = colleague_events(request.user, customer).select_related("actor", "content_type")[
        :CHANGELOG_LENGTH
    ]
    changelog = audit_event_rows(events)
    return _render(
        request,
        "permissions/colleagues.html",
        {
            "title": _("Users and access"),
            "customer": customer,
            "rows": rows,
            "changelog": changelog,
        },
    )


def _department_choices(request, customer):
    whole = administered_department_ids(request.user, customer) is ALL
    return {"departments": grantable_departments(request.user, customer), "whole_customer": whole}


def colleague_invite(request):
    """«Inviter kollega»: the staff's invitation (a user, the role, the 7-day link by e-mail)."""
    customer = _customer(request)
    form = InviteColleagueForm(
        request.POST or None, customer=customer, **_department_choices(request, customer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact_invite(customer=customer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is invited; the e-mail with a link to set a password is sent.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("colleagues")
    return _render(
        request,
        "permissions/colleague_form.html",
        {"title": _("Invite colleague"), "form": form, "submit": _("Send invitation")},
    )


def _grant(request, customer, pk: int) -> Grant:
    """A grant the administrator may change; any other (their own, one reaching beyond their
    departments, another customer's) is missing (404), as one that does not exist."""
    grant = get_object_or_404(
        colleague_grants(request.user, customer)
        .select_related("user", "customer")
        .prefetch_related("departments"),
        pk=pk,
    )
    if not may_change_grant(request.user, grant):
        raise Http404
    return grant


def colleague_change(request, pk: int):
    customer = _customer(request)
    grant = _grant(request, customer, pk)
    initial = {"role": grant.role, "departments": list(grant.departments.all())}
    form = ChangeColleagueForm(
        request.POST or None, initial=initial, **_department_choices(request, customer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            grant_change(
                grant=grant,
                role=form.cleaned_data["role"],
                departments=list(form.cleaned_data["departments"]),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The access of %(user)s is changed.") % {"user": _person(grant.user)}
            )
            return redirect("colleagues")
    return _render(
        request,
        "permissions/colleague_form.html",
        {
            "title": _("Change access for %(user)s") % {"user": _person(grant.user)},
            "form": form,
            "submit": _("Save"),
        },
    )


def colleague_revoke(request, pk: int):
    """Asks first (GET), revokes on the confirming POST."""
    customer = _customer(request)
    grant = _grant(request, customer, pk)
    error = None
    if request.method == "POST":
        try:
            grant_revoke(grant=grant, actor=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                _("%(user)s no longer has the role %(role)s and is signed out.")
                % {"user": _person(grant.user), "role": grant.get_role_display()},
            )
            return redirect("colleagues")
    return _render(
        request,
        "permissions/colleague_revoke.html",
        {
            "title": _("Revoke access"),
            "grant": grant,
            "name": _person(grant.user),
            "departments": ", ".join(sorted(d.name for d in grant.departments.all())) or _("All"),
            "error": error,
        },
    )
