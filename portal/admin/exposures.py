"""Exposures (what calls for health surveillance), their types, and the due list
(«Helseovervåking»): who is due for which check."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.db.models.functions import Lower
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from imports.admin_mixins import ScopedExportMixin
from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from permissions.scoping import has_capability_anywhere, is_unscoped
from portal.admin.actions import ServiceRefusalMixin, adopt_saved, show_refusal
from portal.admin.base import PortalChangeList, PortalModelAdmin, ReadOnlyInline
from portal.admin.versions import StaleEditAdminMixin, VersionedModelForm, edit_version
from portal.filters import SEARCH_PANEL_ABOVE_RESULTS
from portal.filters.surveillance import SurveillanceSearch, list_today
from portal.formatting import format_date
from portal.models import Exposure, ExposureType, SurveillanceDue
from portal.resources import SurveillanceExportResource
from portal.selectors.surveillance import (
    NAME_ORDER,
    NEXT_DUE_FIRST,
    due_list,
    most_urgent_ids,
    status_range_counts,
    status_sorted_ids,
)
from portal.sensitive import sensitive_text_check
from portal.services.exposures import (
    ENDS_BEFORE_STARTS,
    EXPOSURE_FIELDS,
    EXPOSURE_TYPE_FIELDS,
    exposure_create,
    exposure_delete,
    exposure_type_save,
    exposure_update,
    surveillance_orders_place,
)
from portal.surveillance import DueStatus, next_due


@admin.register(ExposureType)
class ExposureTypeAdmin(StaleEditAdminMixin, PortalModelAdmin):
    form = VersionedModelForm
    list_display = ("name", "product_group", "first_check_months", "interval", "is_active")
    list_select_related = ("product_group",)
    list_filter = ("is_active",)
    search_fields = ("name",)
    fields = EXPOSURE_TYPE_FIELDS

    @admin.display(description=_("interval (months)"), ordering="interval_months")
    def interval(self, kind: ExposureType):
        return kind.interval_months or _("Offer only")

    def save_model(self, request, obj, form, change):
        exposure_type_save(
            actor=request.user, exposure_type=obj, version=edit_version(form) if change else None
        )


class ExposureForm(VersionedModelForm):
    class Meta:
        model = Exposure
        fields = EXPOSURE_FIELDS

    def clean(self):
        """The service's rules, said on the fields before anything is saved."""
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", ENDS_BEFORE_STARTS)
        try:
            sensitive_text_check(cleaned.get("note") or "", field="note")
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Exposure)
class ExposureAdmin(ServiceRefusalMixin, StaleEditAdminMixin, ScopedAdminMixin, PortalModelAdmin):
    """An employee's exposures, kept by whoever may manage the employee."""

    view_capability = Capability.VIEW_EMPLOYEES
    change_capability = Capability.MANAGE_EMPLOYEES
    add_capability = Capability.MANAGE_EMPLOYEES
    missing_text = _("The exposure does not exist, or you do not have access to it.")
    form = ExposureForm
    list_display = ("employee", "department", "exposure_type", "starts_on", "ends_on")
    list_select_related = ("employee", "department", "exposure_type")
    search_fields = ("employee__first_name", "employee__last_name", "exposure_type__name")
    staff_autocomplete_fields = ("employee",)
    fields = ("employee", *EXPOSURE_FIELDS)

    @admin.display(description=_("Company/department"), ordering="department__name")
    def department(self, exposure: Exposure):
        return exposure.department

    def get_readonly_fields(self, request, obj=None):
        # An exposure stays with its employee: a mistake is removed and registered anew.
        return ("employee",) if obj is not None else ()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("starts_on", timezone.localdate())
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The employee and the type are chosen here, not added or edited from this form."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_add_related = False
            formfield.widget.can_change_related = False
            formfield.widget.can_view_related = False
            formfield.widget.can_delete_related = False
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "employee":
            formfield.queryset = formfield.queryset.filter(is_active=True)
        if formfield is not None and db_field.name == "exposure_type":
            formfield.queryset = formfield.queryset.filter(is_active=True)
        return formfield

    def delete_model(self, request, obj):
        """Through the service, so a removal is audited as every other write is."""
        exposure_delete(actor=request.user, exposure=obj)

    def delete_queryset(self, request, queryset):
        for exposure in queryset.select_related("employee", "exposure_type"):
            exposure_delete(actor=request.user, exposure=exposure)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in EXPOSURE_FIELDS}
        if change:
            current = Exposure.objects.select_related("employee__department", "department").get(
                pk=obj.pk
            )
            saved = exposure_update(
                actor=request.user, exposure=current, version=edit_version(form), **fields
            )
        else:
            saved = exposure_create(actor=request.user, employee=form.cleaned_data["employee"],
                                    **fields)  # fmt: skip
        adopt_saved(obj, saved)


class EmployeeExposureInline(ReadOnlyInline):
    """On the employee's page: what the employee is exposed to at work."""

    model = Exposure
    per_page = None  # an employee has a handful: one query, with or without rows
    fields = ("exposure_link", "starts_on", "ends_on", "note")
    readonly_fields = fields
    verbose_name_plural = _("Exposures")
    empty_text = _(
        "No exposures registered. Register noise, night work, chemicals and the like with "
        "«Add exposure», and the employee shows in «Health surveillance» when a check is due."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("exposure_type")

    @admin.display(description=_("exposure"))
    def exposure_link(self, exposure: Exposure):
        url = reverse("admin:portal_exposure_change", args=[exposure.pk])
        return format_html('<a href="{}">{}</a>', url, exposure.exposure_type)


STATUS_STYLE = {
    DueStatus.OVERDUE: "bg-red-100 text-red-700 dark:bg-red-500/20 dark:text-red-400",
    DueStatus.DUE_SOON: "bg-orange-100 text-orange-700 dark:bg-orange-500/20 dark:text-orange-400",
    DueStatus.NOT_EXAMINED: "bg-base-100 text-base-700 dark:bg-base-500/20 dark:text-base-200",
    DueStatus.IN_ORDER: "bg-green-100 text-green-700 dark:bg-green-500/20 dark:text-green-400",
}


def exposure_rule(kind: ExposureType) -> str:
    """When the type's checks are due, in words: «Første kontroll innen 6 måneder, deretter
    hver 36. måned.»"""
    first = ngettext(
        "First check within %(months)d month",
        "First check within %(months)d months",
        kind.first_check_months,
    ) % {"months": kind.first_check_months}
    if kind.interval_months is None:  # offered only
        return _("%(first)s; the check is offered, not required.") % {"first": first}
    then = ngettext("then every month", "then every %(months)d months", kind.interval_months) % {
        "months": kind.interval_months
    }
    return f"{first}, {then}."


class DueChangeList(PortalChangeList):
    """A row of the due list opens its employee's page (the row has no page of its own)."""

    def url_for_result(self, result):
        return reverse("admin:portal_employee_change", args=[result.employee_id])

    def __init__(self, request, *args, **kwargs):
        # before the change list reads its first page
        self.today, self.user = list_today(request), request.user
        super().__init__(request, *args, **kwargs)

    def reads_by_status(self) -> bool:
        """In the list's own order, on PostgreSQL: a page is read status by status from the
        due day's index (`most_urgent_ids`) instead of by giving every row its status and
        sorting them all. Sorted by a column, as the change list sorts."""
        return ORDER_VAR not in self.params and self._reads_in_parts()

    def status_sort(self) -> str | None:
        """The direction ("asc" or "desc") of a list sorted by its status column alone whose
        pages are read status by status in name order (`status_sorted_ids`): staff's, who see
        every customer's exposures, on PostgreSQL. None: sorted as the change list sorts."""
        if ORDER_VAR not in self.params or not self._reads_in_parts():
            return None
        columns = self.get_ordering_field_columns()
        if len(columns) != 1:
            return None
        ((index, direction),) = columns.items()
        if index >= len(self.list_display) or self.list_display[index] != "status_display":
            return None  # another column, or none (`?o=99`, which the list ignores)
        if not is_unscoped(self.user, self.model_admin.view_capability):
            return None
        return direction

    def _reads_in_parts(self) -> bool:
        return connections[self.queryset.db].features.supports_slicing_ordering_in_compound

    def count_results(self, count) -> int:
        if not (self.reads_by_status() or self.status_sort()):
            return super().count_results(count)
        # Counted by status: the same one count, which also tells where each status begins.
        self.range_counts = status_range_counts(self.queryset, self.today)
        return sum(self.range_counts)

    def page_rows(self, paginator, number):
        page = {
            "offset": (number - 1) * paginator.per_page,
            "limit": paginator.per_page,
            "counts": getattr(self, "range_counts", None),  # set by `count_results`
        }
        if self.reads_by_status():
            return most_urgent_ids(self.queryset, self.today, **page)
        if direction := self.status_sort():
            return status_sorted_ids(
                self.queryset, self.today, **page, descending=direction == "desc"
            )
        return super().page_rows(paginator, number)

    @property
    def result_noun(self) -> str:
        """What the footer counts: «12 eksponeringer under helseovervåking», not «12
        helseovervåking» (the model's name, which has no plural)."""
        return ngettext(
            "exposure under health surveillance",
            "exposures under health surveillance",
            self.result_count,
        )

    @property
    def exposure_types(self) -> list[dict]:
        """The exposures of the rows shown, each with its explanation for the customer and
        its check: the list's legend (read off the page's rows, no query of its own)."""
        kinds = {row.exposure_type.pk: row.exposure_type for row in self.result_list}
        return [
            {"name": kind.name, "explanation": kind.explanation, "rule": exposure_rule(kind)}
            for kind in sorted(kinds.values(), key=lambda kind: kind.name)
        ]


@admin.register(SurveillanceDue)
class SurveillanceDueAdmin(ScopedExportMixin, ScopedAdminMixin, PortalModelAdmin):
    """«Helseovervåking»: per employee and exposure, the last check, when the next is due and
    its status. Read only; the exposures are kept on their own pages."""

    view_capability = Capability.VIEW_EMPLOYEES
    resource_classes = [SurveillanceExportResource]
    list_display = (
        "employee_name",
        "department",
        "exposure_display",
        "last_check_display",
        "next_due_display",
        "status_display",
    )
    list_display_links = ("employee_name",)
    list_select_related = ("employee", "department", "exposure_type")
    list_filter = (SurveillanceSearch,)
    list_before_template = SEARCH_PANEL_ABOVE_RESULTS
    list_after_template = "portal/surveillance/exposure_legend.html"
    search_fields = ()
    empty_list_title = _("No one is due for health surveillance")
    empty_list_text = _(
        "Register what employees are exposed to at work (noise, night work, chemicals, …) on "
        "their page, and the portal tells when each of them is due for a check."
    )

    def get_queryset(self, request):
        """The scoped exposures as the due list (not through the admin's own `get_queryset`,
        which sorts by `get_ordering` before the list's annotations exist)."""
        exposures = self.policy.narrow(
            SurveillanceDue._default_manager.all(), request.user, self.view_capability
        )
        ordering = self.get_ordering(request)
        if ORDER_VAR in request.GET:
            # The column the user sorts by comes first (the change list puts it there), and
            # names break its ties: sorted by name, the Hansens are in first-name order.
            ordering = NAME_ORDER
        return due_list(exposures, list_today(request)).order_by(*ordering)

    def has_view_permission(self, request, obj=None):
        # A list only: each row's page is its employee's or its exposure's.
        return obj is None and super().has_view_permission(request, obj)

    def get_ordering(self, request):
        """The most urgent first and, within a status, the earliest due (the longest overdue
        first); names break ties. (An annotation: `ordering` may name fields only.)"""
        return ("due_rank", NEXT_DUE_FIRST, *NAME_ORDER)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # -- «Bestill kontroll» ------------------------------------------------------------------

    actions = ["order_checks"]

    @admin.action(description=_("Order a check"), permissions=["order_checks"])
    def order_checks(self, request, queryset):
        exposures = list(
            queryset.select_related(
                "employee__department", "department", "exposure_type__product_group"
            )
        )
        try:
            orders = surveillance_orders_place(actor=request.user, exposures=exposures)
        except (ValidationError, PermissionDenied) as refusal:
            show_refusal(request, refusal)
            return None
        numbers = ", ".join(str(order.number) for order in orders)
        messages.success(
            request,
            ngettext(
                "Order %(numbers)s is sent. Your KA/KAM has been told and will put appointments "
                "on it.",
                "Orders %(numbers)s are sent. Your KA/KAM has been told and will put "
                "appointments on them.",
                len(orders),
            )
            % {"numbers": numbers},
        )
        if len(orders) == 1:
            return redirect(orders[0].get_absolute_url())
        return redirect(reverse("admin:portal_order_changelist"))

    def has_order_checks_permission(self, request) -> bool:
        return has_capability_anywhere(request.user, Capability.PLACE_ORDERS)

    def _due(self, row):
        if not hasattr(row, "_due"):
            kind = row.exposure_type
            row._due = next_due(
                starts_on=row.starts_on,
                first_check_months=kind.first_check_months,
                interval_months=kind.interval_months,
                last_check=row.last_check,
                today=timezone.localdate(),
            )
        return row._due

    def get_changelist(self, request, **kwargs):
        return DueChangeList

    # By last name regardless of case; and not through the name index of every customer's
    # employees, which the planner would walk to find one department's.
    @admin.display(description=_("Employee"), ordering=Lower("employee__last_name"))
    def employee_name(self, row):
        return row.employee.full_name

    @admin.display(description=_("Company/department"), ordering="department__name")
    def department(self, row):
        return row.department

    @admin.display(description=_("exposure"), ordering="exposure_type__name")
    def exposure_display(self, row):
        """The exposure, its explanation on hover (and in the legend under the list, which a
        phone shows too)."""
        explanation = row.exposure_type.explanation
        if not explanation:
            return row.exposure_type.name
        return format_html(
            '<span class="portal-explained" title="{}">{}</span>',
            explanation,
            row.exposure_type.name,
        )

    @admin.display(description=_("Last check"), ordering="last_check")
    def last_check_display(self, row):
        return format_date(row.last_check) if row.last_check else "–"

    @admin.display(description=_("Next due"), ordering=NEXT_DUE_FIRST)
    def next_due_display(self, row):
        due, _status = self._due(row)
        return format_date(due) if due else _("Offer only")

    @admin.display(description=_("Status"), ordering="due_rank")
    def status_display(self, row):
        status = DueStatus(row.due_status)
        booked = (
            format_html(
                '<span class="block text-xs text-base-500">{}</span>',
                _("Booked %(date)s") % {"date": format_date(row.booked_on)},
            )
            if row.booked_on
            else ""
        )
        return format_html(
            '<span class="inline-block font-semibold leading-normal px-2 py-1 rounded-default '
            'text-xxs uppercase whitespace-nowrap {}">{}</span>{}',
            STATUS_STYLE[status],
            status.label,
            booked,
        )
