from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action
from unfold.enums import ActionVariant

from audit.services import audit_for
from imports.admin_mixins import EmployeeImportMixin, ScopedExportMixin
from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import REVEAL_NATIONAL_ID, Capability
from permissions.scoping import is_staff_with
from portal import services
from portal.admin.actions import (
    ServiceRefusalMixin,
    action_dialog,
    adopt_saved,
    fetched_once,
    redirect_back,
    run_service,
    show_refusal,
)
from portal.admin.base import PortalModelAdmin, ReadOnlyInline
from portal.admin.booking_views import BookOnAppointmentsMixin
from portal.admin.employee_forms import EmployeeForm
from portal.admin.exposures import EmployeeExposureInline
from portal.admin.versions import StaleEditAdminMixin, edit_version
from portal.filters import SEARCH_PANEL_ABOVE_RESULTS, EmployeeSearch
from portal.formatting import format_datetime
from portal.models import Booking, Employee
from portal.resources import EmployeeExportResource
from portal.services.employees import EDITABLE_FIELDS
from portal.validators import format_mobile

#: The query parameter of an employee's page that makes it the form, for a customer.
EDIT = "edit"


class EmployeeBookingInline(ReadOnlyInline):
    """The employee's bookings: appointment, time, place, attendance — never health data."""

    model = Booking
    fields = ("appointment_time", "location", "order", "attendance")
    readonly_fields = fields
    verbose_name_plural = _("Bookings")
    empty_text = _(
        "No bookings yet. Put the employee on a health check with «Book on appointments» in "
        "the employee list."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("appointment__order")

    @admin.display(description=_("Time"))
    def appointment_time(self, booking):
        return format_datetime(booking.appointment.starts_at)

    @admin.display(description=_("Location"))
    def location(self, booking):
        return booking.appointment.location

    @admin.display(description=_("Order number"))
    def order(self, booking):
        return booking.appointment.order.number


@admin.register(Employee)
class EmployeeAdmin(
    ServiceRefusalMixin,
    StaleEditAdminMixin,
    BookOnAppointmentsMixin,
    EmployeeImportMixin,
    ScopedExportMixin,
    ScopedAdminMixin,
    PortalModelAdmin,
):
    resource_classes = [EmployeeExportResource]
    staff_autocomplete_fields = ("department",)
    missing_text = _("The employee does not exist, or you do not have access to it.")
    view_capability = Capability.VIEW_EMPLOYEES
    change_capability = Capability.MANAGE_EMPLOYEES
    add_capability = Capability.MANAGE_EMPLOYEES
    form = EmployeeForm
    list_display = ("name", "birth_date", "email", "employer")
    list_select_related = ("department",)
    search_fields = ("first_name", "last_name", "email", "mobile")
    list_filter = (EmployeeSearch,)
    list_before_template = SEARCH_PANEL_ABOVE_RESULTS
    search_in_panel = True
    fields = (*EDITABLE_FIELDS, "national_id", "remove_national_id")
    view_fields = (
        "department_name",
        "birth_date",
        "gender",
        "email",
        "mobile_display",
        "national_id_display",
        "status_display",
    )
    inlines = [EmployeeBookingInline, EmployeeExposureInline]
    empty_list_title = _("No employees yet")
    empty_list_text = _(
        "Add them one at a time with «Add employee», or all at once from a spreadsheet with "
        "«Import»."
    )
    change_form_after_template = "portal/employees/history.html"
    actions = ["deactivate_selected", "book_on_appointments"]
    actions_list = ["new_employee"]
    actions_detail = ["deactivate", "reactivate", "edit", "add_exposure", "reveal_national_id"]

    # -- list --------------------------------------------------------------------------------

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, employee):
        return employee.full_name

    @admin.display(description=_("Employer"), ordering="department__name")
    def employer(self, employee):
        return employee.department

    # -- the page ----------------------------------------------------------------------------

    @admin.display(description=_("Company/department"))
    def department_name(self, employee):
        return employee.department.name

    @admin.display(description=_("Mobile number"))
    def mobile_display(self, employee):
        return format_mobile(employee.mobile) or "–"

    @admin.display(description=_("National identity number"))
    def national_id_display(self, employee):
        return employee.national_id_masked or _("Not registered")

    @admin.display(description=_("Status"))
    def status_display(self, employee):
        if employee.is_active:
            return _("Active")
        return _("Deactivated %(when)s") % {"when": format_datetime(employee.deactivated_at)}

    def _editing(self, request, obj) -> bool:
        """Whether the page is the form. Staff get the form at once; a customer reads the
        employee first, as the seed's page shows it, and gets the form after «Rediger»
        (`?edit=1`, kept by the form's post)."""
        if obj is None:
            return True
        if not self.has_change_permission(request, obj):
            return False
        return self._is_staff_view(request) or request.method == "POST" or EDIT in request.GET

    def get_fields(self, request, obj=None):
        if not self._editing(request, obj):
            return self.view_fields
        fields = self.fields
        if obj is None or not obj.has_national_id:
            fields = tuple(name for name in fields if name != "remove_national_id")
        if obj is not None and not obj.is_active:
            fields = ("status_display", *fields)
        return fields

    def get_readonly_fields(self, request, obj=None):
        if not self._editing(request, obj):
            return self.view_fields
        return ("status_display",) if obj is not None and not obj.is_active else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._editing(request, obj):
            kwargs["fields"] = ()
        form = super().get_form(request, obj, change, **kwargs)  # a new class for each request
        form.actor = request.user
        return form

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["audit_events"] = audit_for(obj)[:50]
        context["title"] = obj.full_name if obj else _("New employee")
        if obj is not None and not self._editing(request, obj):
            context["show_save"] = False
        elif obj is not None and not self._is_staff_view(request):
            context["cancel_url"] = obj.get_absolute_url()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_post_save_change(self, request, obj):
        """A customer who saved reads the employee again, with what they changed."""
        if self._is_staff_view(request):
            return super().response_post_save_change(request, obj)
        return redirect(obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        """Through the services, so a form, an import and a command behave the same."""
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        national_id = form.national_id_change()
        if change:
            current = Employee.objects.select_related("department").get(pk=obj.pk)
            saved = services.employee_update(
                employee=current,
                actor=request.user,
                national_id=national_id,
                version=edit_version(form),
                **fields,
            )
        else:
            saved = services.employee_create(
                actor=request.user, national_id=national_id or "", **fields
            )
        adopt_saved(obj, saved)

    # -- actions -----------------------------------------------------------------------------

    @action(
        description=_("New employee"),
        url_path="new",
        icon="person_add",
        variant=ActionVariant.PRIMARY,
        permissions=["add"],
    )
    def new_employee(self, request):
        return redirect("admin:portal_employee_add")

    def _employee(self, request, object_id):
        return fetched_once(request, self.get_object, object_id)

    def has_deactivate_permission(self, request, object_id=None):
        if object_id is None:
            return self.has_change_permission(request)
        employee = self._employee(request, object_id)
        return (
            employee is not None
            and employee.is_active
            and self.has_change_permission(request, employee)
        )

    def has_edit_permission(self, request, object_id=None):
        employee = self._employee(request, object_id)
        return (
            employee is not None
            and not self._is_staff_view(request)
            and self.has_change_permission(request, employee)
            and not self._editing(request, employee)
        )

    def has_reactivate_permission(self, request, object_id=None):
        employee = self._employee(request, object_id)
        return (
            employee is not None
            and not employee.is_active
            and self.has_change_permission(request, employee)
        )

    def has_reveal_national_id_permission(self, request, object_id=None):
        employee = self._employee(request, object_id)
        return (
            employee is not None
            and employee.has_national_id
            and is_staff_with(request.user, REVEAL_NATIONAL_ID)
        )

    def _back(self, request, employee):
        return redirect_back(request, employee.get_absolute_url())

    @action(
        description=_("Deactivate"),
        url_path="deactivate",
        icon="person_off",
        permissions=["deactivate"],
        dialog=action_dialog(
            _("Deactivate employee"),
            _(
                "For an employee who has left. Future bookings are cancelled, and the "
                "e-mail address may be used by someone else."
            ),
            submit=_("Deactivate"),
        ),
    )
    def deactivate(self, request, form, object_id):
        employee = self._employee(request, object_id)
        self._deactivate(request, employee)
        return self._back(request, employee)

    def _deactivate(self, request, employee) -> bool:
        try:
            cancelled = services.employee_deactivate(employee=employee, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(request, error)
            return False
        text = _("%(name)s is deactivated.") % {"name": employee.full_name}
        if cancelled:
            times = ", ".join(format_datetime(b.appointment.starts_at) for b in cancelled)
            text += " " + ngettext(
                "One booking was cancelled: %(times)s.",
                "%(count)d bookings were cancelled: %(times)s.",
                len(cancelled),
            ) % {"count": len(cancelled), "times": times}
        messages.success(request, text)
        return True

    @action(
        description=_("Edit"),
        url_path="edit",
        icon="edit",
        variant=ActionVariant.PRIMARY,
        permissions=["edit"],
    )
    def edit(self, request, object_id):
        return redirect(f"{self._employee(request, object_id).get_absolute_url()}?{EDIT}=1")

    @action(
        description=_("Add exposure"),
        url_path="add-exposure",
        icon="hearing",
        permissions=["add_exposure"],
    )
    def add_exposure(self, request, object_id):
        employee = self._employee(request, object_id)
        return redirect(f"{reverse('admin:portal_exposure_add')}?employee={employee.pk}")

    def has_add_exposure_permission(self, request, object_id=None):
        employee = self._employee(request, object_id) if object_id else None
        return (
            employee is not None
            and employee.is_active
            and self.has_change_permission(request, employee)
        )

    @action(
        description=_("Reactivate"),
        url_path="reactivate",
        icon="person_check",
        permissions=["reactivate"],
        dialog=action_dialog(
            _("Reactivate employee"),
            _("The employee becomes active again and can be booked."),
            submit=_("Reactivate"),
        ),
    )
    def reactivate(self, request, form, object_id):
        employee = self._employee(request, object_id)
        run_service(
            request,
            services.employee_reactivate,
            success=_("%(name)s is active again.") % {"name": employee.full_name},
            employee=employee,
            actor=request.user,
        )
        return self._back(request, employee)

    @action(
        description=_("Show national identity number"),
        url_path="reveal",
        icon="visibility",
        permissions=["reveal_national_id"],
        dialog=action_dialog(
            _("Show national identity number"),
            _("Every look at a national identity number is logged."),
            submit=_("Show"),
        ),
    )
    def reveal_national_id(self, request, form, object_id):
        employee = self._employee(request, object_id)
        number = services.national_id_reveal(employee=employee, actor=request.user)
        context = {"employee": employee, "number": number}
        if request.headers.get("HX-Request"):
            # The dialog swaps its `#dialog-form` for the one in the answer: the number alone.
            response = TemplateResponse(request, "portal/employees/revealed_number.html", context)
        else:
            response = TemplateResponse(
                request,
                "portal/employees/revealed.html",
                {
                    **self.admin_site.each_context(request),
                    **context,
                    "title": employee.full_name,
                    "opts": self.opts,
                    "original": employee,
                },
            )
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Deactivate selected employees"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        done = sum(self._deactivate(request, employee) for employee in queryset)
        if done > 1:
            messages.info(
                request,
                ngettext(
                    "%(count)d employee deactivated.", "%(count)d employees deactivated.", done
                )
                % {"count": done},
            )
