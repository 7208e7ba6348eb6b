from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from portal.admin.base import PortalModelAdmin
from portal.filters import SEARCH_PANEL_ABOVE_RESULTS, EmployeeSearch
from portal.models import Employee


@admin.register(Employee)
class EmployeeAdmin(ScopedAdminMixin, PortalModelAdmin):
    view_capability = Capability.VIEW_EMPLOYEES
    change_capability = Capability.MANAGE_EMPLOYEES
    add_capability = Capability.MANAGE_EMPLOYEES
    list_display = ("name", "birth_date", "email", "employer")
    list_select_related = ("department",)
    search_fields = ("first_name", "last_name", "email", "mobile")
    list_filter = (EmployeeSearch,)
    list_before_template = SEARCH_PANEL_ABOVE_RESULTS
    search_in_panel = True
    fields = (
        "first_name",
        "last_name",
        "email",
        "mobile",
        "birth_date",
        "gender",
        "department",
        "is_active",
    )
    readonly_fields = ("is_active",)

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, employee):
        return employee.full_name

    @admin.display(description=_("Employer"), ordering="department__name")
    def employer(self, employee):
        return employee.department
