"""What the lists export: the seed's columns, in Norwegian."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import widgets

from imports.exports import Column, SafeExportResource, date_column, field_heading
from permissions.capabilities import Capability
from permissions.scoping import is_unscoped
from portal.models import Employee, Invoice, Order, SurveillanceDue
from portal.models.invoices import InvoiceStatus
from portal.surveillance import DueStatus, next_due
from portal.validators import format_mobile


class CustomerColumnResource(SafeExportResource):
    """A list's export whose `customer` column only staff get (unscoped for
    `view_capability`): a customer user's file never names a customer."""

    view_capability: str

    def __init__(self, request=None, **kwargs):
        super().__init__(**kwargs)
        self.staff = request is not None and is_unscoped(request.user, self.view_capability)

    def get_export_fields(self, selected_fields=None):
        export = super().get_export_fields(selected_fields)
        return export if self.staff else [f for f in export if f is not self.fields["customer"]]

    def get_user_visible_fields(self):
        """The export page lists the columns the file will hold, for this user."""
        return self.get_export_fields()


class OrderExportResource(CustomerColumnResource):
    view_capability = Capability.VIEW_ORDERS

    number = Column(_("Order number"), "number")
    order_date = date_column(_("Order date"), "order_date")
    product_group = Column(_("Product group"), "product_group__name")
    description = Column(_("Description"), "description")
    department = Column(_("Company/department"), "department__name")
    state = Column(_("Order state"), dehydrate_method="dehydrate_state")
    status = Column(_("Status"), dehydrate_method="dehydrate_status")
    customer = Column(_("Customer"), "department__customer__name")

    class Meta:
        model = Order
        fields = (
            "number",
            "order_date",
            "product_group",
            "description",
            "department",
            "state",
            "status",
            "customer",
        )
        export_order = fields
        name = _("Orders")

    def dehydrate_state(self, order):
        return order.get_state_display()

    def dehydrate_status(self, order):
        return order.get_status_display()


# -- invoices ---------------------------------------------------------------------------------


class Amount(Column):
    """An amount as a number cell (Decimal), in .xlsx and .csv alike: never "1 500,00 kr"."""

    def __init__(self, heading, attribute):
        super().__init__(heading, attribute, widget=widgets.DecimalWidget(coerce_to_string=False))


class InvoiceExportResource(CustomerColumnResource):
    view_capability = Capability.VIEW_INVOICES

    number = Column(field_heading(Invoice, "number"), "number")
    invoice_date = date_column(field_heading(Invoice, "invoice_date"), "invoice_date")
    due_date = date_column(field_heading(Invoice, "due_date"), "due_date")
    payer = Column(field_heading(Invoice, "payer"), "payer__name")
    total = Amount(_("Total"), "total")
    outstanding = Amount(_("Outstanding"), "outstanding")
    status = Column(_("Status"), dehydrate_method="dehydrate_status")
    kid = Column(field_heading(Invoice, "kid"), "kid")
    customer = Column(_("Customer"), "payer__customer__name")

    class Meta:
        model = Invoice
        fields = (
            "number",
            "invoice_date",
            "due_date",
            "payer",
            "total",
            "outstanding",
            "status",
            "kid",
            "customer",
        )
        export_order = fields
        name = _("Invoices")

    def dehydrate_status(self, invoice):
        value = getattr(invoice, "status_value", None)  # computed by the list's query
        return InvoiceStatus(value).label if value else invoice.status.label


# -- employees --------------------------------------------------------------------------------


class EmployeeExportResource(CustomerColumnResource):
    """The employee list as a sheet the import reads back: never the national id."""

    view_capability = Capability.VIEW_EMPLOYEES

    first_name = Column(_("First name"), "first_name")
    last_name = Column(_("Last name"), "last_name")
    email = Column(_("E-mail"), "email")
    mobile = Column(_("Mobile"), dehydrate_method="dehydrate_mobile")
    birth_date = date_column(_("Date of birth"), "birth_date")
    gender = Column(_("Gender"), dehydrate_method="dehydrate_gender")
    department = Column(_("Company/department"), "department__name")
    active = Column(_("Active"), dehydrate_method="dehydrate_active")
    customer = Column(_("Customer"), "department__customer__name")

    class Meta:
        model = Employee
        fields = (
            "first_name",
            "last_name",
            "email",
            "mobile",
            "birth_date",
            "gender",
            "department",
            "active",
            "customer",
        )
        export_order = fields
        name = _("Employees")

    def filter_export(self, queryset, **kwargs):
        """One query for the whole sheet, whatever the list's own select_related."""
        return queryset.select_related("department__customer")

    def dehydrate_mobile(self, employee):
        return format_mobile(employee.mobile)

    def dehydrate_gender(self, employee):
        return employee.get_gender_display()

    def dehydrate_active(self, employee):
        return _("yes") if employee.is_active else _("no")


# -- health surveillance ----------------------------------------------------------------------


class SurveillanceExportResource(CustomerColumnResource):
    """The due list as it is filtered: who is due for which check, and when. No health data:
    a check held says only that it was held."""

    view_capability = Capability.VIEW_EMPLOYEES

    first_name = Column(_("First name"), "employee__first_name")
    last_name = Column(_("Last name"), "employee__last_name")
    department = Column(_("Company/department"), "employee__department__name")
    exposure = Column(_("Exposure"), "exposure_type__name")
    starts_on = date_column(_("From"), "starts_on")
    ends_on = date_column(_("To"), "ends_on")
    last_check = date_column(_("Last check"), "last_check")
    next_due = Column(
        _("Next due"),
        dehydrate_method="dehydrate_next_due",
        widget=widgets.DateWidget(format="%d.%m.%Y"),
    )
    status = Column(_("Status"), dehydrate_method="dehydrate_status")
    booked_on = date_column(_("Booked"), "booked_on")
    customer = Column(_("Customer"), "employee__department__customer__name")

    class Meta:
        model = SurveillanceDue
        fields = (
            "first_name",
            "last_name",
            "department",
            "exposure",
            "starts_on",
            "ends_on",
            "last_check",
            "next_due",
            "status",
            "booked_on",
            "customer",
        )
        export_order = fields
        name = _("Health surveillance")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("employee__department__customer", "exposure_type")

    def dehydrate_next_due(self, row):
        kind = row.exposure_type
        due, _status = next_due(
            starts_on=row.starts_on,
            first_check_months=kind.first_check_months,
            interval_months=kind.interval_months,
            last_check=row.last_check,
            today=timezone.localdate(),
        )
        return due

    def dehydrate_status(self, row):
        return DueStatus(row.due_status).label
