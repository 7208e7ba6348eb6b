from django.contrib import admin
from django.utils import timezone

from permissions.admin import CustomerAccessMixin, GrantInline
from portal.admin.base import LabelledTabularInline, PortalModelAdmin, TextGuardAdminMixin
from portal.admin.versions import StaleEditAdminMixin, VersionedModelForm
from portal.formatting import name_with_customer
from portal.models import Contract, Customer, Department, ProductGroup


class DepartmentInline(TextGuardAdminMixin, LabelledTabularInline):
    model = Department
    extra = 0
    fields = ("name", "org_number", "postal_address", "postal_code", "city")
    show_change_link = True


class ContractInline(TextGuardAdminMixin, LabelledTabularInline):
    model = Contract
    extra = 0
    fields = ("name", "default_customer_reference", "valid_from", "valid_to", "allows_sms")


@admin.register(Customer)
class CustomerAdmin(StaleEditAdminMixin, CustomerAccessMixin, PortalModelAdmin):
    form = VersionedModelForm
    list_display = ("name", "org_number", "customer_number", "account_manager", "is_active")
    list_select_related = ("account_manager",)
    list_filter = ("is_active",)
    search_fields = ("name", "=org_number", "=customer_number")
    autocomplete_fields = ("account_manager",)
    inlines = [DepartmentInline, ContractInline, GrantInline]


@admin.register(Department)
class DepartmentAdmin(StaleEditAdminMixin, PortalModelAdmin):
    form = VersionedModelForm
    list_display = ("name", "customer", "org_number")
    list_select_related = ("customer",)
    fields = ("customer", "name", "org_number", "postal_address", "postal_code", "city")
    search_fields = ("name", "=org_number", "customer__name")
    autocomplete_fields = ("customer",)
    ordering = ("customer__name", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customer")

    def autocomplete_label(self, department):
        """Staff search every customer's departments (the search panels): name the customer."""
        return name_with_customer(department.name, department.customer.name)


@admin.register(Contract)
class ContractAdmin(StaleEditAdminMixin, PortalModelAdmin):
    form = VersionedModelForm
    list_display = (
        "name",
        "customer",
        "default_customer_reference",
        "valid_from",
        "valid_to",
        "allows_sms",
    )
    list_select_related = ("customer",)
    search_fields = ("name", "customer__name")
    autocomplete_fields = ("customer",)
    ordering = ("customer__name", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customer")

    def get_search_results(self, request, queryset, search_term):
        """«Ny bestilling» offers only the contracts valid today, as its form accepts."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (request.GET.get("model_name"), request.GET.get("field_name")) == ("order", "contract"):
            queryset = queryset.valid_on(timezone.localdate())
        return queryset, may_have_duplicates

    def autocomplete_label(self, contract):
        """Staff choose among every customer's contracts, often named alike: name the customer."""
        return name_with_customer(contract.name, contract.customer.name)

    def autocomplete_data(self, contract):
        """What «Ny bestilling» fills in when the contract is chosen."""
        return {"reference": contract.default_customer_reference}


@admin.register(ProductGroup)
class ProductGroupAdmin(StaleEditAdminMixin, PortalModelAdmin):
    form = VersionedModelForm
    list_display = ("name", "is_health_check")
    search_fields = ("name",)
