from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from portal.admin.actions import ServiceRefusalMixin, adopt_saved
from portal.admin.base import HiddenUnlessPermittedMixin, PlainMessagesMixin
from portal.models import Customer

from .capabilities import INVITE_CONTACTS
from .forms import GrantForm, InviteContactForm
from .invitations import contact_invite
from .models import Grant
from .scoping import is_staff_with
from .services import grant_create, grant_revoke


@admin.register(Grant)
class GrantAdmin(PlainMessagesMixin, ServiceRefusalMixin, HiddenUnlessPermittedMixin, ModelAdmin):
    form = GrantForm
    list_display = ("user", "customer", "role", "department_list", "granted_by", "granted_at")
    list_select_related = ("user", "customer", "granted_by")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "customer__name")
    autocomplete_fields = ("user", "customer")
    filter_horizontal = ("departments",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "customer", "role", "departments") if obj else ()

    @admin.display(description=_("Companies/departments"))
    def department_list(self, grant):
        names = [d.name for d in grant.departments.all()]
        return ", ".join(names) if names else _("All")

    def save_model(self, request, obj, form, change):
        """A grant is given by `grant_create` (its object permissions and audit event with it);
        once given it is not edited, only revoked."""
        if change:
            return
        data = form.cleaned_data
        grant = grant_create(
            user=data["user"],
            customer=data["customer"],
            role=data["role"],
            departments=list(data["departments"]),
            actor=request.user,
        )
        adopt_saved(obj, grant)

    def save_related(self, request, form, formsets, change):
        """The departments are the service's to set."""

    def delete_model(self, request, obj):
        grant_revoke(grant=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            grant_revoke(grant=grant, actor=request.user)


class GrantInline(TabularInline):
    """Who has portal access to this customer, with which role; revoke on the grant's page."""

    model = Grant
    extra = 0
    fields = ("user", "role", "department_list", "granted_at")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "customer")
            .prefetch_related("departments")
        )

    @admin.display(description=_("Companies/departments"))
    def department_list(self, grant):
        names = [d.name for d in grant.departments.all()]
        return ", ".join(names) if names else _("All")


class CustomerAccessMixin:
    """The staff screen of a customer: its portal users, and inviting a contact."""

    actions_detail = ["invite_contact"]

    def has_invite_contact_permission(self, request, object_id=None):
        return is_staff_with(request.user, INVITE_CONTACTS)

    @action(
        description=_("Invite contact"),
        url_path="invite-contact",
        icon="person_add",
        permissions=["invite_contact"],
    )
    def invite_contact(self, request, object_id):
        customer = get_object_or_404(Customer, pk=object_id)
        form = InviteContactForm(request.POST or None, customer=customer)
        if request.method == "POST" and form.is_valid():
            try:
                contact_invite(customer=customer, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("%(email)s is invited; the e-mail with a link to set a password is sent.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect(reverse("admin:portal_customer_change", args=[customer.pk]))
        return TemplateResponse(
            request,
            "permissions/invite_contact.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Invite contact to %(customer)s") % {"customer": customer},
                "form": form,
                "customer": customer,
                "opts": self.model._meta,
                "original": customer,
            },
        )
