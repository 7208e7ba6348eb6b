"""Staff issue, change and revoke API tokens here; every change goes through `api.services`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from permissions.capabilities import MANAGE_API_TOKENS
from permissions.scoping import is_staff_with
from portal.admin.actions import action_dialog, redirect_back, show_refusal
from portal.admin.base import PortalModelAdmin

from . import services
from .models import ApiToken
from .scopes import Scope


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the system may do. Give it no more than it needs."),
    )

    class Meta:
        model = ApiToken
        fields = ("name", "customer", "scopes", "expires_at")

    def clean(self):
        """The service's refusal of a scope, on the scopes field (a customer's token with a
        staff-only scope), before anything is saved."""
        cleaned = super().clean()
        customer = self.instance.customer if self.instance.pk else cleaned.get("customer")
        if "scopes" in cleaned:
            try:
                services.api_token_scopes_clean(cleaned["scopes"], customer=customer)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(PortalModelAdmin):
    form = ApiTokenForm
    list_display = (
        "name",
        "prefix",
        "customer",
        "scopes_display",
        "expires_at",
        "last_used_at",
        "status_display",
    )
    list_select_related = ("customer",)
    search_fields = ("name", "=prefix")
    autocomplete_fields = ("customer",)
    readonly_fields = (
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions_detail = ["revoke"]

    @admin.display(description=_("Scopes"))
    def scopes_display(self, token):
        return ", ".join(token.scopes)

    @admin.display(description=_("Status"))
    def status_display(self, token):
        if token.revoked_at:
            return _("Revoked")
        return _("Active") if token.is_usable else _("Expired")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "customer", "scopes", "expires_at")
        return ("name", "customer", "scopes", "expires_at", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # The name and the customer are what the secret was issued for: they stay.
        return ("name", "customer", *self.readonly_fields)

    def has_module_permission(self, request):
        return is_staff_with(request.user, MANAGE_API_TOKENS)

    def has_view_permission(self, request, obj=None):
        return is_staff_with(request.user, MANAGE_API_TOKENS)

    def has_add_permission(self, request):
        return is_staff_with(request.user, MANAGE_API_TOKENS)

    def has_change_permission(self, request, obj=None):
        return is_staff_with(request.user, MANAGE_API_TOKENS) and (
            obj is None or obj.revoked_at is None
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the audit trail names it

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.api_token_update(
                token=obj, actor=request.user, scopes=data["scopes"], expires_at=data["expires_at"]
            )
            return
        issued = services.api_token_issue(
            actor=request.user,
            name=data["name"],
            scopes=data["scopes"],
            customer=data.get("customer"),
            expires_at=data.get("expires_at"),
        )
        obj.pk = issued.token.pk
        obj._state.adding = False
        request._api_token_secret = issued.secret

    def save_related(self, request, form, formsets, change):
        pass  # no relations of its own; the service wrote the service user and its access

    def log_addition(self, request, obj, message):
        pass  # the audit trail has it (api_token_issue)

    def log_change(self, request, obj, message):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        """The secret, once: it is not kept, so this page is the only place it is shown."""
        return TemplateResponse(
            request,
            "api/token_issued.html",
            {
                **self.admin_site.each_context(request),
                "title": _("API token issued"),
                "token": obj,
                "secret": request._api_token_secret,
                "opts": self.opts,
                "change_url": reverse("admin:api_apitoken_change", args=[obj.pk]),
            },
            headers={"Cache-Control": "no-store"},
        )

    def has_revoke_permission(self, request, object_id=None):
        if not is_staff_with(request.user, MANAGE_API_TOKENS):
            return False
        token = ApiToken.objects.filter(pk=object_id).first() if object_id else None
        return token is None or token.revoked_at is None

    @action(
        description=_("Revoke"),
        url_path="revoke",
        icon="block",
        permissions=["revoke"],
        dialog=action_dialog(
            _("Revoke API token"),
            _("The system using it is refused from its next request. This cannot be undone."),
            submit=_("Revoke"),
        ),
    )
    def revoke(self, request, form, object_id):
        token = ApiToken.objects.get(pk=object_id)
        try:
            services.api_token_revoke(token=token, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("%(name)s is revoked.") % {"name": token.name})
        return redirect_back(request, reverse("admin:api_apitoken_change", args=[token.pk]))
