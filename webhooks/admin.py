"""Staff's pages of webhooks: the endpoints (URL, events, secret, enabled) and the delivery
log of each, where a delivery can be sent again. Every write goes through webhooks.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget, UnfoldAdminURLInputWidget

from permissions.capabilities import (
    ADD_WEBHOOKS,
    DELETE_WEBHOOKS,
    MANAGE_WEBHOOKS,
    SEND_WEBHOOK_AGAIN,
    VIEW_WEBHOOK_DELIVERIES,
    VIEW_WEBHOOKS,
)
from permissions.scoping import is_staff_with
from portal.admin.actions import (
    ServiceRefusalMixin,
    action_dialog,
    adopt_saved,
    fetched_once,
    redirect_back,
    run_service,
    show_refusal,
)
from portal.admin.base import PortalModelAdmin, ReadOnlyInline, WrittenByThePortalMixin
from portal.formatting import format_datetime
from webhooks.addresses import endpoint_url_check
from webhooks.models import DeliveryStatus, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.services import (
    webhook_delivery_send_again,
    webhook_endpoint_create,
    webhook_endpoint_update,
    webhook_secret_rotate,
)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        widget=UnfoldAdminURLInputWidget,
        help_text=_("https:// only; a private, loopback or link-local address is refused."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        # The label, and the name the receiver sees in "type".
        choices=[(e.value, format_lazy("{} ({})", e.label, e.value)) for e in Event],
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("The endpoint is sent these events, each as a signed POST."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "events", "is_enabled")

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url != self.instance.url or not self.instance.pk:
            endpoint_url_check(url)
        return url


def _delivery_log_url(endpoint) -> str:
    return (
        reverse("admin:webhooks_webhookdelivery_changelist")
        + "?"
        + urlencode({"endpoint__id__exact": endpoint.pk})
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceRefusalMixin, PortalModelAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "event_list", "enabled", "disabled", "delivery_log")
    list_filter = ("is_enabled",)
    search_fields = ("name", "url")
    actions_detail = ["rotate_secret"]
    readonly_fields = ("secret_shown", "disabled_reason", "disabled_at_shown", "delivery_log")

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "is_enabled"]
        if obj is not None:
            fields += ["secret_shown", "delivery_log"]
            if obj.disabled_at:
                fields += ["disabled_at_shown", "disabled_reason"]
        return fields

    def has_module_permission(self, request):
        return is_staff_with(request.user, VIEW_WEBHOOKS)

    def has_view_permission(self, request, obj=None):
        return is_staff_with(request.user, VIEW_WEBHOOKS)

    def has_add_permission(self, request):
        return is_staff_with(request.user, ADD_WEBHOOKS)

    def has_change_permission(self, request, obj=None):
        return is_staff_with(request.user, MANAGE_WEBHOOKS)

    def has_delete_permission(self, request, obj=None):
        return is_staff_with(request.user, DELETE_WEBHOOKS)

    def has_rotate_secret_permission(self, request, object_id=None):
        return is_staff_with(request.user, MANAGE_WEBHOOKS)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in ("name", "url", "events", "is_enabled")}
        if change:
            saved = webhook_endpoint_update(endpoint=obj, actor=request.user, **fields)
        else:
            saved = webhook_endpoint_create(actor=request.user, **fields)
        adopt_saved(obj, saved)

    @admin.display(description=_("Events"))
    def event_list(self, endpoint):
        return ", ".join(endpoint.events) or "–"

    @display(description=_("Enabled"), label={_("Yes"): "success", _("No"): "danger"})
    def enabled(self, endpoint):
        return _("Yes") if endpoint.is_enabled else _("No")

    @admin.display(description=_("Disabled at"), ordering="disabled_at")
    def disabled(self, endpoint):
        return format_datetime(endpoint.disabled_at) if endpoint.disabled_at else "–"

    @admin.display(description=_("Disabled at"))
    def disabled_at_shown(self, endpoint):
        return self.disabled(endpoint)

    @admin.display(description=_("Signing secret"))
    def secret_shown(self, endpoint):
        return format_html(
            '<code class="portal-wrap-anywhere">{}</code><br>{}',
            endpoint.reveal_secret(),
            _("Give it to the receiver: it checks each delivery's signature with it."),
        )

    @admin.display(description=_("Delivery log"))
    def delivery_log(self, endpoint):
        if endpoint.pk is None:
            return "–"
        return format_html(
            '<a class="text-primary-600" href="{}">{}</a>',
            _delivery_log_url(endpoint),
            _("Deliveries"),
        )

    @action(
        description=_("New secret"),
        url_path="rotate-secret",
        icon="key",
        permissions=["rotate_secret"],
        dialog=action_dialog(
            _("Make a new signing secret"),
            _(
                "Deliveries are signed with the new secret from now on; give it to the "
                "receiver at once, or it will refuse them."
            ),
            submit=_("New secret"),
        ),
    )
    def rotate_secret(self, request, form, object_id):
        endpoint = fetched_once(request, self.get_object, object_id)
        run_service(
            request,
            webhook_secret_rotate,
            success=_("The endpoint has a new signing secret."),
            endpoint=endpoint,
            actor=request.user,
        )
        return redirect_back(
            request, reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
        )


class AttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("attempted", "status_code", "error", "duration_ms")
    readonly_fields = fields
    verbose_name_plural = _("Attempts")
    empty_text = _("Not tried yet: the worker sends it shortly.")

    @admin.display(description=_("Time"))
    def attempted(self, attempt):
        return format_datetime(attempt.attempted_at)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(WrittenByThePortalMixin, PortalModelAdmin):
    list_display = (
        "created",
        "endpoint",
        "event",
        "status_shown",
        "attempts",
        "last_status_code",
        "error",
        "next_attempt",
    )
    list_select_related = ("endpoint",)
    list_filter = ("status", "event", "endpoint")
    search_fields = ("=message_id",)
    actions = ["send_again"]
    actions_detail = ["send_again_detail"]
    inlines = [AttemptInline]
    fields = (
        "endpoint",
        "event",
        "message_id",
        "created",
        "status_shown",
        "attempts",
        "next_attempt",
        "delivered",
        "last_status_code",
        "last_error",
        "payload",
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return False  # reached from its endpoint's page

    def has_view_permission(self, request, obj=None):
        return is_staff_with(request.user, VIEW_WEBHOOK_DELIVERIES)

    def has_send_again_permission(self, request):
        return is_staff_with(request.user, SEND_WEBHOOK_AGAIN)

    def has_send_again_detail_permission(self, request, object_id=None):
        delivery = fetched_once(request, self.get_object, object_id)
        return (
            delivery is not None
            and delivery.status in (DeliveryStatus.FAILED, DeliveryStatus.DELIVERED)
            and is_staff_with(request.user, SEND_WEBHOOK_AGAIN)
        )

    @admin.display(description=_("Created"), ordering="created_at")
    def created(self, delivery):
        return format_datetime(delivery.created_at)

    @admin.display(description=_("Delivered"))
    def delivered(self, delivery):
        return format_datetime(delivery.delivered_at) if delivery.delivered_at else "–"

    @admin.display(description=_("Next attempt"))
    def next_attempt(self, delivery):
        return format_datetime(delivery.next_attempt_at) if delivery.next_attempt_at else "–"

    @display(
        description=_("Status"),
        label={
            DeliveryStatus.PENDING.label: "info",
            DeliveryStatus.RETRYING.label: "warning",
            DeliveryStatus.DELIVERED.label: "success",
            DeliveryStatus.FAILED.label: "danger",
        },
    )
    def status_shown(self, delivery):
        return delivery.get_status_display()

    @admin.display(description=_("Last error"))
    def error(self, delivery):
        return delivery.last_error[:120] or "–"

    @action(
        description=_("Send again"),
        url_path="send-again",
        icon="send",
        permissions=["send_again_detail"],
        dialog=action_dialog(
            _("Send the event again"),
            _(
                "The event is sent once more with the same webhook-id, and tried as many "
                "times as a new one."
            ),
            submit=_("Send again"),
        ),
    )
    def send_again_detail(self, request, form, object_id):
        delivery = fetched_once(request, self.get_object, object_id)
        run_service(
            request,
            webhook_delivery_send_again,
            success=_("The event is queued again."),
            delivery=delivery,
            actor=request.user,
        )
        return redirect_back(
            request, reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk])
        )

    @admin.action(description=_("Send again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        again = 0
        for delivery in queryset:
            try:
                webhook_delivery_send_again(delivery=delivery, actor=request.user)
            except ValidationError as error:
                show_refusal(request, error)
            else:
                again += 1
        if again:
            messages.success(
                request,
                ngettext("%(count)s event queued again.", "%(count)s events queued again.", again)
                % {"count": again},
            )
