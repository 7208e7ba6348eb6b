from typing import Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .customers import Contract, Department, ProductGroup
from .sequences import sequence_advance_to, sequence_next
from .versions import TouchedOnSave, updated_at_field, version_field


class OrderStatus(models.TextChoices):
    """Approval status (Status), as agreed with the customer's KA/KAM. An enquiry
    («Forespørsel») is a question about a service that the KA/KAM turns into an order."""

    ENQUIRY = "enquiry", _("Enquiry")
    AWAITING_SELLER = "awaiting_seller", _("Awaiting seller's approval")
    AWAITING_CUSTOMER = "awaiting_customer", _("Awaiting customer's approval")
    APPROVED = "approved", _("Approved")
    DELIVERED = "delivered", _("Delivered")


class OrderState(models.TextChoices):
    """Order state (Ordrestatus) in the provider's CRM."""

    STARTED = "started", _("Started")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class OrderQuerySet(models.QuerySet):
    def awaiting_seller(self) -> Self:
        return self.filter(status=OrderStatus.AWAITING_SELLER)

    def awaiting_customer(self) -> Self:
        return self.filter(status=OrderStatus.AWAITING_CUSTOMER)

    def for_list(self) -> Self:
        return self.select_related("department", "department__customer", "product_group")


class Order(TouchedOnSave):
    number = models.PositiveBigIntegerField(_("order number"), unique=True, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("company/department"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    product_group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("product group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    customer_reference = models.CharField(_("customer order reference"), max_length=100, blank=True)
    description = models.TextField(_("order description"), blank=True)
    order_date = models.DateField(_("order date"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_SELLER,
    )
    state = models.CharField(
        _("order state"),
        max_length=10,
        choices=OrderState.choices,
        default=OrderState.STARTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    seller_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by seller"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    seller_confirmed_at = models.DateTimeField(_("confirmed by seller at"), null=True, blank=True)
    customer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    customer_confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_on_behalf = models.BooleanField(
        _("confirmed by the provider on the customer's behalf"), default=False
    )
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    updated_at = updated_at_field()
    version = version_field()

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-order_date", "-number"]
        permissions = [("export_order", _("Can export orders"))]
        indexes = [
            models.Index(
                fields=["department", "-order_date", "-number"],
                name="order_dept_date_idx",
            ),
            models.Index(fields=["department", "status"], name="order_dept_status_idx"),
            models.Index(fields=["status", "-order_date"], name="order_status_date_idx"),
            # Staff's reports over every customer: orders per month and product group, and
            # the latest order date, from the index alone.
            models.Index(fields=["order_date"], include=["product_group"], name="order_date_idx"),
            # The API's synchronisation: a customer's orders changed since, in that order.
            models.Index(fields=["department", "updated_at"], name="order_dept_updated_idx"),
            models.Index(fields=["updated_at"], name="order_updated_idx"),
        ]

    def __str__(self):
        return str(self.number)

    def save(self, *args, **kwargs):
        if self.number is None:
            highest = Order.objects.aggregate(m=models.Max("number"))["m"] or 0
            self.number = sequence_next(name="order", at_least=highest)
        elif self._state.adding:
            # A number from elsewhere (the CRM) is never handed out again, even once deleted.
            sequence_advance_to(name="order", value=self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:portal_order_change", args=[self.pk])

    # State checks; who may take a step is the order policy's (permissions.policies).

    @property
    def is_enquiry(self) -> bool:
        return self.status == OrderStatus.ENQUIRY

    @property
    def awaits_seller(self) -> bool:
        return self.status == OrderStatus.AWAITING_SELLER

    @property
    def awaits_customer(self) -> bool:
        return self.status == OrderStatus.AWAITING_CUSTOMER

    @property
    def is_approved(self) -> bool:
        return self.status == OrderStatus.APPROVED


class OrderEvent(models.Model):
    """The audit trail of an order: one row per transition of `status` or `state`."""

    class Field(models.TextChoices):
        STATUS = "status", _("status")
        STATE = "state", _("order state")

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=10, choices=Field.choices, default=Field.STATUS)
    from_value = models.CharField(_("from"), max_length=20, blank=True)
    to_value = models.CharField(_("to"), max_length=20)
    on_behalf_of_customer = models.BooleanField(_("on the customer's behalf"), default=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["order", "created_at"], name="orderevent_order_idx")]

    def __str__(self):
        return f"{self.order}: {self.from_value or '–'} → {self.to_value}"
