"""Fakturaer: the list and the read-only invoice page for customers, the PDF, the export of
the list, and for staff the invoice form and the import from the accounting system."""

from io import BytesIO

from django.contrib import admin
from django.http import FileResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from imports.admin_mixins import ScopedExportMixin
from imports.invoice_admin import InvoiceImportMixin
from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from permissions.policies import INVOICES, ORDERS
from permissions.scoping import (
    has_capability_anywhere,
    is_unscoped,
)
from portal.admin.actions import ServiceRefusalMixin, fetched_once
from portal.admin.base import (
    LabelledTabularInline,
    PortalModelAdmin,
    ReadOnlyInline,
    TextGuardAdminMixin,
)
from portal.admin.invoice_forms import (
    InvoiceForm,
    InvoiceLineForm,
    InvoiceLineFormSet,
    ShownOnlyFormSet,
)
from portal.admin.versions import StaleEditAdminMixin, edit_version
from portal.filters import InvoiceSearch
from portal.formatting import (
    format_datetime,
    format_nok,
    format_org_number,
    format_percent,
    format_quantity,
)
from portal.invoices_pdf import invoice_pdf
from portal.models import Invoice, InvoiceLine
from portal.models.invoices import InvoiceStatus
from portal.resources import InvoiceExportResource
from portal.selectors.invoices import invoice_lines, invoice_vat_totals
from portal.services.invoices import invoice_opened, invoice_save, invoices_delete

STATUS_LABEL_TYPES = {
    InvoiceStatus.OVERDUE.value: "danger",
    InvoiceStatus.UNPAID.value: "warning",
    InvoiceStatus.PAID.value: "success",
    InvoiceStatus.CREDITED.value: "info",
}


def _status_of(invoice) -> InvoiceStatus:
    value = getattr(invoice, "status_value", None)  # computed by the query, when it is
    return InvoiceStatus(value) if value else invoice.status


def _status_badge(invoice):
    status = _status_of(invoice)
    return render_to_string(
        "unfold/helpers/label.html",
        {"text": status.label, "type": STATUS_LABEL_TYPES[status.value]},
    )


def _order_link(user, order):
    """The order's number, linked to its page for those who may see it."""
    if order is None:
        return "–"
    if user is not None and ORDERS.allows(user, order, Capability.VIEW_ORDERS):
        url = reverse("admin:portal_order_change", args=[order.pk])
        return format_html('<a href="{}" class="text-primary-600">{}</a>', url, order.number)
    return str(order.number)


def _vat_rate(line: InvoiceLine):
    if line.is_vat_exempt:
        return format_html(
            '{} <span class="block text-xs text-base-500 dark:text-base-400">{}</span>',
            format_percent(line.vat_rate),
            gettext("Exempt from VAT"),
        )
    return format_percent(line.vat_rate)


def _lines_of(invoice: Invoice) -> list[InvoiceLine]:
    """The invoice's lines, read once for the page: it asks for a read-only field's contents
    more than once, and the orders and the totals are worked out from the same lines."""
    if not hasattr(invoice, "lines_shown"):
        invoice.lines_shown = invoice_lines(invoice=invoice)  # type: ignore[attr-defined]
    return invoice.lines_shown  # type: ignore[attr-defined]


# -- the staff form's lines ------------------------------------------------------------------


class InvoiceLineInline(TextGuardAdminMixin, LabelledTabularInline):
    """The lines as staff edit them."""

    model = InvoiceLine
    form = InvoiceLineForm
    formset = InvoiceLineFormSet
    extra = 0
    fields = (
        "description",
        "quantity",
        "unit_price",
        "amount",
        "vat_rate",
        "vat_amount_shown",
        "order",
    )
    readonly_fields = ("vat_amount_shown",)
    autocomplete_fields = ("order",)

    @admin.display(description=_("VAT"))
    def vat_amount_shown(self, line):
        """The VAT of the line as saved (a new row has none yet)."""
        if line.pk is None or line.amount is None:
            return "–"
        return format_nok(line.vat_amount)


# -- what customers see ------------------------------------------------------------------------


class InvoiceLineReadOnlyInline(ReadOnlyInline):
    """The lines as the customer reads them, each with its order linked."""

    model = InvoiceLine
    fields = (
        "description",
        "quantity_shown",
        "unit_price_shown",
        "vat_rate_shown",
        "vat_amount_shown",
        "amount_shown",
        "order_shown",
    )
    readonly_fields = fields
    verbose_name_plural = capfirst(InvoiceLine._meta.verbose_name_plural)
    empty_text = _(
        "This invoice has no lines. Ask your account manager at the provider what it is for."
    )

    def get_queryset(self, request):
        self.user = request.user  # inline instances are made per request
        return super().get_queryset(request).select_related("order__department")

    @admin.display(description=capfirst(InvoiceLine._meta.get_field("quantity").verbose_name))
    def quantity_shown(self, line):
        return format_quantity(line.quantity)

    @admin.display(description=capfirst(InvoiceLine._meta.get_field("unit_price").verbose_name))
    def unit_price_shown(self, line):
        return format_nok(line.unit_price)

    @admin.display(description=capfirst(InvoiceLine._meta.get_field("vat_rate").verbose_name))
    def vat_rate_shown(self, line):
        """The rate, and «Unntatt mva» under 0 %, as on the PDF."""
        return _vat_rate(line)

    @admin.display(description=_("VAT"))
    def vat_amount_shown(self, line):
        return format_nok(line.vat_amount)

    @admin.display(description=_("Amount excl. VAT"))
    def amount_shown(self, line):
        return format_nok(line.amount)

    @admin.display(description=capfirst(InvoiceLine._meta.get_field("order").verbose_name))
    def order_shown(self, line):
        return _order_link(self.user, line.order)


class OrderInvoiceInline(ReadOnlyInline):
    """ "Fakturaer" on the order page, for those who may see invoices, each linked."""

    model = Invoice
    fk_name = "order"
    formset = ShownOnlyFormSet
    per_page = None  # an order has a handful of invoices
    fields = (
        "invoice_link",
        "invoice_date",
        "due_date",
        "total_shown",
        "outstanding_shown",
        "status_shown",
    )
    readonly_fields = fields
    verbose_name = _("invoice")
    verbose_name_plural = _("Invoices")
    empty_text = _("No invoices for this order yet. They come as the provider delivers.")

    def has_view_permission(self, request, obj=None):
        return has_capability_anywhere(request.user, Capability.VIEW_INVOICES)

    def get_queryset(self, request):
        invoices = INVOICES.narrow(
            super().get_queryset(request), request.user, Capability.VIEW_INVOICES
        )
        return invoices.with_status().order_by("-invoice_date", "-number")

    @admin.display(description=capfirst(Invoice._meta.get_field("number").verbose_name))
    def invoice_link(self, invoice):
        url = reverse("admin:portal_invoice_change", args=[invoice.pk])
        return format_html('<a href="{}" class="text-primary-600">{}</a>', url, invoice.number)

    @admin.display(description=_("Total"))
    def total_shown(self, invoice):
        return format_nok(invoice.total)

    @admin.display(description=_("Outstanding"))
    def outstanding_shown(self, invoice):
        return format_nok(invoice.outstanding)

    @admin.display(description=_("Status"))
    def status_shown(self, invoice):
        return _status_badge(invoice)


# -- the list and the page ----------------------------------------------------------------------


@admin.register(Invoice)
class InvoiceAdmin(
    ServiceRefusalMixin,
    StaleEditAdminMixin,
    InvoiceImportMixin,
    ScopedExportMixin,
    ScopedAdminMixin,
    PortalModelAdmin,
):
    missing_text = _("The invoice does not exist, or you do not have access to it.")
    view_capability = Capability.VIEW_INVOICES
    form = InvoiceForm
    resource_classes = [InvoiceExportResource]

    list_display = (
        "number",
        "invoice_date",
        "due_date",
        "payer",
        "total_display",
        "outstanding_display",
        "status_display",
    )
    list_select_related = ("payer__customer",)
    search_fields = ("=number", "kid")
    list_filter = (InvoiceSearch,)
    list_before_template = "portal/invoices/list_before.html"
    change_form_after_template = "portal/invoices/change_form_after.html"
    search_in_panel = True
    autocomplete_fields = ("payer", "order")
    page_select_related = ("order__department",)  # the page links the invoice's order
    actions_detail = ["download_pdf"]

    edit_fields = (
        "number",
        "payer",
        "order",
        "invoice_date",
        "due_date",
        "kid",
        "total",
        "outstanding",
        "is_credit_note",
    )
    # A saved invoice's form: what its saved lines add up to beside the total, and its status.
    saved_edit_fields = (
        "number",
        "payer",
        "order",
        "invoice_date",
        "due_date",
        "kid",
        "sum_excl_vat_shown",
        "vat_shown",
        "total",
        "outstanding",
        "is_credit_note",
        "status_shown",
        "first_viewed_shown",
    )
    view_fields = (
        "number",
        "payer_shown",
        "invoice_date",
        "due_date",
        "kid_shown",
        "status_shown",
        "sum_excl_vat_shown",
        "vat_shown",
        "total_display",
        "outstanding_display",
        "orders_shown",
    )
    readonly_fields = (
        "first_viewed_shown",
        "payer_shown",
        "kid_shown",
        "status_shown",
        "sum_excl_vat_shown",
        "vat_shown",
        "total_display",
        "outstanding_display",
        "orders_shown",
    )

    # -- the list ------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    def get_list_display(self, request):
        if is_unscoped(request.user, self.view_capability):
            return (*self.list_display, "customer")
        return self.list_display

    @admin.display(description=_("Total"), ordering="total")
    def total_display(self, invoice):
        return format_nok(invoice.total)

    @admin.display(description=_("Outstanding"), ordering="outstanding")
    def outstanding_display(self, invoice):
        return format_nok(invoice.outstanding)

    @display(description=_("Status"), ordering="status_rank", label=STATUS_LABEL_TYPES)
    def status_display(self, invoice):
        status = _status_of(invoice)
        return status.value, status.label

    @admin.display(description=_("Customer"), ordering="payer__customer__name")
    def customer(self, invoice):
        return invoice.payer.customer

    # -- the page ------------------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.edit_fields
        if self.has_change_permission(request, obj):
            return self.saved_edit_fields
        return self.view_fields

    def get_inlines(self, request, obj):
        if obj is None or self.has_change_permission(request, obj):
            return [InvoiceLineInline]
        return [InvoiceLineReadOnlyInline]

    def get_object(self, request, object_id, from_field=None):
        invoice = super().get_object(request, object_id, from_field)
        if invoice is not None:
            invoice.viewer = request.user  # whose links `orders_shown` draws
        return invoice

    @admin.display(description=capfirst(Invoice._meta.get_field("payer").verbose_name))
    def payer_shown(self, invoice):
        payer = invoice.payer
        names = [payer.name]
        if payer.customer.name != payer.name:
            names.append(payer.customer.name)
        org_number = format_org_number(payer.org_number or payer.customer.org_number)
        named = ", ".join(names) + " ({})".format(
            gettext("org. no. %(number)s") % {"number": org_number}
        )
        # as the PDF writes the payer: the postal address below the name, where there is one
        return format_html_join(
            mark_safe("<br>"), "{}", ((line,) for line in [named, *payer.address_lines])
        )

    @admin.display(description=capfirst(Invoice._meta.get_field("kid").verbose_name))
    def kid_shown(self, invoice):
        return invoice.kid or "–"

    @admin.display(description=_("Status"))
    def status_shown(self, invoice):
        return _status_badge(invoice)

    @admin.display(description=capfirst(Invoice._meta.get_field("first_viewed_at").verbose_name))
    def first_viewed_shown(self, invoice):
        if invoice.first_viewed_at is None:
            return _("Not yet")
        return format_datetime(invoice.first_viewed_at)

    @admin.display(description=_("Sum excl. VAT"))
    def sum_excl_vat_shown(self, invoice):
        lines = _lines_of(invoice)
        return format_nok(invoice_vat_totals(lines=lines).excl_vat) if lines else "–"

    @admin.display(description=_("VAT"))
    def vat_shown(self, invoice):
        lines = _lines_of(invoice)
        return format_nok(invoice_vat_totals(lines=lines).vat) if lines else "–"

    @admin.display(description=capfirst(Invoice._meta.get_field("order").verbose_name))
    def orders_shown(self, invoice):
        orders = [invoice.order] if invoice.order_id else []
        for line in _lines_of(invoice):
            if line.order_id and line.order not in orders:
                orders.append(line.order)
        if not orders:
            return "–"
        viewer = getattr(invoice, "viewer", None)
        return format_html_join(", ", "{}", ((_order_link(viewer, order),) for order in orders))

    def save_model(self, request, obj, form, change):
        """Saved with its lines in `save_related`, by `invoice_save`."""

    def save_related(self, request, form, formsets, change):
        [lines] = [formset for formset in formsets if formset.model is InvoiceLine]
        changed = lines.save(commit=False)  # what the form says; the service writes it
        invoice_save(
            invoice=form.instance,
            lines=changed,
            deleted_lines=lines.deleted_objects,
            actor=request.user,
            version=edit_version(form),
        )

    def delete_model(self, request, obj):
        self.delete_queryset(request, Invoice.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        invoices_delete(invoices=queryset, actor=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            invoice = fetched_once(request, self.get_object, object_id)
            if invoice is not None:
                invoice_opened(invoice=invoice, viewer=request.user)
        return response

    # -- the PDF -------------------------------------------------------------------------------

    def has_download_pdf_permission(self, request, object_id=None):
        if object_id is None:
            return self.has_view_permission(request)
        return fetched_once(request, self.get_object, object_id) is not None

    @action(
        description=_("Download PDF"),
        url_path="pdf",
        icon="picture_as_pdf",
        permissions=["download_pdf"],
    )
    def download_pdf(self, request, object_id):
        """A GET: downloading changes nothing but, the customer's first time, that it was opened."""
        invoice = fetched_once(request, self.get_object, object_id)
        invoice_opened(invoice=invoice, viewer=request.user)
        response = FileResponse(
            BytesIO(invoice_pdf(invoice=invoice)),
            as_attachment=True,
            filename=f"{gettext('invoice')}-{invoice.number}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
