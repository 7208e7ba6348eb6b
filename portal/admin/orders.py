from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Case, Q, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from unfold.decorators import action
from unfold.enums import ActionVariant

from imports.admin_mixins import ScopedExportMixin
from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from permissions.policies import ORDERS
from permissions.scoping import is_unscoped
from portal import services
from portal.admin.actions import (
    action_dialog,
    adopt_saved,
    fetched_once,
    redirect_back,
    run_service,
)
from portal.admin.base import OrderNumberOrTextSearch, PortalModelAdmin, ReadOnlyInline
from portal.admin.bookings import AppointmentInline
from portal.admin.forms import NewOrderForm, OrderChangeForm, OrderStateForm
from portal.admin.invoices import OrderInvoiceInline
from portal.admin.order_messages import OrderMessagesMixin
from portal.admin.versions import StaleEditAdminMixin, edit_version
from portal.dashboard import ORDER_STATUS_EXPLANATIONS
from portal.filters import SEARCH_PANEL_ABOVE_RESULTS, OrderSearch
from portal.formatting import format_who_when, order_label, user_display_name
from portal.models import BookingInvitation, Department, Notification, Order, OrderEvent
from portal.models.orders import OrderState, OrderStatus
from portal.resources import OrderExportResource
from portal.services.booking_invitations import invitations_waiting
from portal.services.bookings import order_may_be_booked_by
from portal.services.notifications import notifications_mark_read
from portal.services.orders import ORDER_EDITABLE_FIELDS, order_receipt_address

#: The name of «Spør om en tjeneste» on «Ny bestilling»: the form is sent as an enquiry.
ENQUIRE = "_enquire"


class OrderEventInline(ReadOnlyInline):
    """The history of the order: who moved it, when, from what to what, on whose behalf."""

    model = OrderEvent
    fields = ("created_at", "actor_name", "change", "on_behalf")
    readonly_fields = fields
    verbose_name = _("event")
    verbose_name_plural = _("History")
    empty_text = _("Nothing has happened to this order yet.")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("By"))
    def actor_name(self, event):
        return user_display_name(event.actor) if event.actor else "–"

    @admin.display(description=_("On the customer's behalf"))
    def on_behalf(self, event):
        return _("Yes") if event.on_behalf_of_customer else ""

    @admin.display(description=pgettext_lazy("order history", "Change"))
    def change(self, event):
        choices = OrderStatus if event.field == OrderEvent.Field.STATUS else OrderState
        before = choices(event.from_value).label if event.from_value else "–"
        return f"{event.get_field_display()}: {before} → {choices(event.to_value).label}"


@admin.register(Order)
class OrderAdmin(
    OrderMessagesMixin,
    StaleEditAdminMixin,
    ScopedExportMixin,
    OrderNumberOrTextSearch,
    ScopedAdminMixin,
    PortalModelAdmin,
):
    resource_classes = [OrderExportResource]
    #: «Ny bestilling»: staff find the company/department and the contract of any customer by
    #: typing its name (a sent order's contract is one of its own customer's few: a select).
    staff_autocomplete_fields = ("department", "contract")
    #: The page names the order's company, contract and product group, and who sent,
    #: confirmed and delivered it.
    page_select_related = (
        "department__customer",
        "contract",
        "product_group",
        "submitted_by",
        "seller_confirmed_by",
        "customer_confirmed_by",
        "delivered_by",
    )
    missing_text = _("The order does not exist, or you do not have access to it.")
    view_capability = Capability.VIEW_ORDERS
    add_capability = Capability.PLACE_ORDERS
    add_form = NewOrderForm
    list_display = (
        "number",
        "order_date",
        "product_group",
        "short_description",
        "department",
        "state",
        "status",
        "new_messages",
    )
    list_display_links = ("number",)
    list_select_related = ("department", "product_group")
    search_fields = ("=number", "customer_reference")
    order_number_path = "number"
    order_number_prefix = True
    list_filter = (OrderSearch,)
    list_before_template = SEARCH_PANEL_ABOVE_RESULTS
    search_in_panel = True
    fields = (
        "number",
        "order_date",
        "department",
        "contract",
        "product_group",
        "customer_reference",
        "description",
        "status",
        "state",
        "submitted",
        "seller_confirmed",
        "customer_confirmed",
        "delivered",
    )
    readonly_fields = (
        "number",
        "order_date",
        "department",
        "status",
        "state",
        "submitted",
        "seller_confirmed",
        "customer_confirmed",
        "delivered",
    )
    inlines = [AppointmentInline, OrderInvoiceInline, OrderEventInline]
    #: After the form: «Meldinger» (a form of its own), then the statuses explained.
    change_form_outer_after_template = "portal/orders/after_form.html"
    actions_list = ["new_order"]
    actions_detail = [
        "accept_enquiry",
        "confirm_as_seller",
        "confirm_as_customer",
        "confirm_on_behalf",
        "mark_delivered",
        "change_state",
    ]

    # -- lists -------------------------------------------------------------------------------

    def get_list_display(self, request):
        if is_unscoped(request.user, self.view_capability):
            return (*self.list_display, "customer")
        return self.list_display

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_unscoped(request.user, self.view_capability):
            own_departments = Department.objects.managed_by(request.user)
            queryset = queryset.select_related("department__customer", "product_group").annotate(
                waiting_for_staff=Case(
                    When(status=OrderStatus.AWAITING_SELLER, then=Value(2)),
                    When(status=OrderStatus.APPROVED, then=Value(1)),
                    default=Value(0),
                ),
                own_customer=Case(  # by ids, not by a join: the list is sorted by it
                    When(department__in=own_departments, then=Value(1)),
                    default=Value(0),
                ),
            )
        return queryset

    def get_changelist(self, request, **kwargs):
        """Staff start from what waits for them (to confirm, then to deliver), their own
        customers first; customers from their newest orders. A sorted column wins."""
        base = super().get_changelist(request, **kwargs)
        if not is_unscoped(request.user, self.view_capability):
            return base

        class StaffChangeList(base):
            def get_ordering(self, request, queryset):
                if ORDER_VAR in self.params:
                    return super().get_ordering(request, queryset)
                return ["-waiting_for_staff", "-own_customer", "-order_date", "-number", "-pk"]

        return StaffChangeList

    # -- the order picker (the appointment's order): staff type a number or a customer's name --

    def search_text(self, word):
        return Q(department__customer__name__icontains=word) | Q(customer_reference__icontains=word)

    def get_search_results(self, request, queryset, search_term):
        """Word by word: digits are the start of the order number, any other word part of the
        customer's name or of the customer's reference. Only the autocomplete searches here
        (the list searches in its panel); the scoped queryset stays the limit."""
        queryset = queryset.select_related("department__customer", "product_group")
        return super().get_search_results(request, queryset, search_term)

    def autocomplete_label(self, order):
        return order_label(order)

    @admin.display(description=_("Description"), ordering="description")
    def short_description(self, order):
        return Truncator(order.description).chars(80)

    @admin.display(description=_("Customer"), ordering="department__customer__name")
    def customer(self, order):
        return order.department.customer

    @action(
        description=_("New order"),
        url_path="new",
        icon="add",
        variant=ActionVariant.PRIMARY,
        permissions=["add"],
    )
    def new_order(self, request):
        return redirect("admin:portal_order_add")

    # -- the order page ----------------------------------------------------------------------

    def _who_when(self, user, when, on_behalf=False):
        text = format_who_when(user, when)
        if when and on_behalf:
            text += " ({})".format(_("on the customer's behalf"))
        return text

    @admin.display(description=_("Submitted"))
    def submitted(self, order):
        return self._who_when(order.submitted_by, order.submitted_at)

    @admin.display(description=_("Confirmed by seller"))
    def seller_confirmed(self, order):
        return self._who_when(order.seller_confirmed_by, order.seller_confirmed_at)

    @admin.display(description=_("Confirmed by customer"))
    def customer_confirmed(self, order):
        return self._who_when(
            order.customer_confirmed_by, order.customer_confirmed_at, order.confirmed_on_behalf
        )

    @admin.display(description=_("Delivered"))
    def delivered(self, order):
        return self._who_when(order.delivered_by, order.delivered_at)

    def get_fields(self, request, obj=None):
        if obj is None:
            return NewOrderForm.Meta.fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # «La de ansatte velge selv»: a link to who has chosen, for whoever may book on it.
        # Only an order with invitations costs a fetch of its own.
        order = (
            Order.objects.filter(pk=object_id).first()
            if str(object_id).isdigit()
            and BookingInvitation.objects.filter(order_id=object_id).exists()
            else None
        )
        if order is not None and order_may_be_booked_by(request.user, order):
            extra_context = {
                **(extra_context or {}),
                "invitations_url": reverse(
                    "admin:portal_appointment_book_invitations", args=[order.pk]
                ),
                "invitations_waiting": invitations_waiting(order, request.user).count(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = self.add_form if obj is None else OrderChangeForm
        return super().get_form(request, obj, change, **kwargs)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if getattr(request, "_scoped_admin_obj", None) is not None:  # the form of a sent order
            return tuple(name for name in fields if name != "contract")
        return fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["order_statuses"] = ORDER_STATUS_EXPLANATIONS
        if add:
            context.update(
                title=_("New order"),
                save_label=_("Send order"),
                # «Spør om en tjeneste» for customers: the description is the question
                # (services.enquiries); staff place the order themselves.
                enquire_label=None
                if is_unscoped(request.user, Capability.PLACE_ORDERS)
                else _("Ask about a service"),
                show_save_and_add_another=False,
                show_save_and_continue=False,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            fields = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in ORDER_EDITABLE_FIELDS
            }
            saved = services.order_update(
                order=obj, actor=request.user, version=edit_version(form), **fields
            )
            adopt_saved(obj, saved)
            return
        if ENQUIRE in request.POST:
            fields = dict(form.cleaned_data)
            order = services.order_enquire(
                actor=request.user, text=fields.pop("description", ""), **fields
            )
        else:
            order = services.order_submit(actor=request.user, **form.cleaned_data)
        adopt_saved(obj, order)
        obj.number, obj.status = order.number, order.status

    def response_add(self, request, obj, post_url_continue=None):
        """The new order's page, with who at the provider was told (as `order_submit` told
        them: the KA/KAM, or customer service when the customer has none)."""
        if obj.status == OrderStatus.ENQUIRY:
            messages.success(
                request,
                _(
                    "The enquiry is sent. Avonova has been told and answers here under "
                    "«Messages»; then it can become an order."
                ),
            )
            return redirect(reverse("admin:portal_order_change", args=[obj.pk]) + "#meldinger")
        told = [
            notification.recipient
            for notification in Notification.objects.filter(
                link=obj.get_absolute_url()
            ).select_related("recipient")
        ]
        account_manager = obj.department.customer.account_manager_id
        if len(told) == 1 and told[0].pk == account_manager:
            message = _(
                "The order is sent. Your account manager at Avonova (%(name)s) has been told "
                "and will confirm it."
            ) % {"name": user_display_name(told[0])}
        elif told:
            message = _(
                "The order is sent. Customer service at Avonova has been told and will confirm it."
            )
        else:
            message = _("The order is sent. It awaits the seller's approval.")
        receipt_to = order_receipt_address(request.user)
        if receipt_to:
            message += " " + _("A receipt is on its way to %(email)s.") % {"email": receipt_to}
        messages.success(request, message)
        return redirect("admin:portal_order_change", obj.pk)

    # -- the workflow buttons: shown only when the step is allowed, and they post -------------

    def _order(self, request, object_id):
        return fetched_once(request, self.get_object, object_id)

    def has_accept_enquiry_permission(self, request, object_id=None):
        order = self._order(request, object_id)
        return order is not None and ORDERS.may_accept_enquiry(request.user, order)

    def has_confirm_as_seller_permission(self, request, object_id=None):
        order = self._order(request, object_id)
        return order is not None and ORDERS.may_confirm_as_seller(request.user, order)

    def has_confirm_as_customer_permission(self, request, object_id=None):
        order = self._order(request, object_id)
        return (
            order is not None
            and not is_unscoped(request.user, Capability.CONFIRM_ORDERS)
            and ORDERS.may_confirm_as_customer(request.user, order)
        )

    def has_confirm_on_behalf_permission(self, request, object_id=None):
        order = self._order(request, object_id)
        return (
            order is not None
            and is_unscoped(request.user, Capability.CONFIRM_ORDERS)
            and ORDERS.may_confirm_as_customer(request.user, order)
        )

    def has_mark_delivered_permission(self, request, object_id=None):
        order = self._order(request, object_id)
        return order is not None and ORDERS.may_mark_delivered(request.user, order)

    def has_change_state_permission(self, request, object_id=None):
        order = self._order(request, object_id)
        return order is not None and ORDERS.may_change_state(request.user, order)

    def _workflow(self, request, object_id, service, success, **kwargs):
        order = self._order(request, object_id)
        done = run_service(
            request, service, success=success, order=order, actor=request.user, **kwargs
        )
        if done:  # what the user was told about is dealt with
            notifications_mark_read(
                Notification.objects.filter(
                    recipient_id=request.user.pk, link=order.get_absolute_url()
                )
            )
        return redirect_back(request, reverse("admin:portal_order_change", args=[order.pk]))

    @action(
        description=_("Make it an order"),
        url_path="accept-enquiry",
        icon="assignment_turned_in",
        variant=ActionVariant.PRIMARY,
        permissions=["accept_enquiry"],
        dialog=action_dialog(
            _("Make it an order"),
            _(
                "The enquiry becomes an order awaiting the seller's approval, and goes on as "
                "any order. To close it instead, change the order state to «Closed»."
            ),
        ),
    )
    def accept_enquiry(self, request, form, object_id):
        return self._workflow(
            request,
            object_id,
            services.order_enquiry_accept,
            _("The enquiry is now an order awaiting the seller's approval."),
        )

    @action(
        description=_("Confirm as seller"),
        url_path="confirm-seller",
        icon="task_alt",
        variant=ActionVariant.PRIMARY,
        permissions=["confirm_as_seller"],
        dialog=action_dialog(
            _("Confirm as seller"),
            _("The order is set up correctly. The customer is asked to confirm it."),
        ),
    )
    def confirm_as_seller(self, request, form, object_id):
        return self._workflow(
            request,
            object_id,
            services.order_confirm_as_seller,
            _("The order now awaits the customer's approval."),
        )

    @action(
        description=_("Confirm order"),
        url_path="confirm",
        icon="check_circle",
        variant=ActionVariant.PRIMARY,
        permissions=["confirm_as_customer"],
        dialog=action_dialog(
            _("Confirm order"),
            _("You confirm that the delivery is to go ahead. The order becomes «Approved»."),
        ),
    )
    def confirm_as_customer(self, request, form, object_id):
        return self._workflow(
            request, object_id, services.order_confirm_as_customer, _("The order is approved.")
        )

    @action(
        description=_("Confirm on the customer's behalf"),
        url_path="confirm-on-behalf",
        icon="support_agent",
        permissions=["confirm_on_behalf"],
        dialog=action_dialog(
            _("Confirm on the customer's behalf"),
            _(
                "The customer has confirmed outside the portal (e.g. by phone or in the "
                "CRM system). The order becomes «Approved», recorded as confirmed by you "
                "on the customer's behalf."
            ),
        ),
    )
    def confirm_on_behalf(self, request, form, object_id):
        return self._workflow(
            request, object_id, services.order_confirm_as_customer, _("The order is approved.")
        )

    @action(
        description=_("Mark as delivered"),
        url_path="delivered",
        icon="local_shipping",
        permissions=["mark_delivered"],
        dialog=action_dialog(
            _("Mark as delivered"), _("The order has been delivered to the customer.")
        ),
    )
    def mark_delivered(self, request, form, object_id):
        return self._workflow(
            request,
            object_id,
            services.order_mark_delivered,
            _("The order is marked as delivered."),
        )

    @action(
        description=_("Change order state"),
        url_path="state",
        icon="swap_horiz",
        permissions=["change_state"],
        dialog=action_dialog(
            _("Change order state"),
            _("Påbegynt, Aktiv or Avsluttet, as in the CRM system."),
            submit=_("Save"),
            form_class=OrderStateForm,
        ),
    )
    def change_state(self, request, form, object_id):
        return self._workflow(
            request,
            object_id,
            services.order_set_state,
            _("The order state is changed."),
            state=form.cleaned_data["state"],
        )
