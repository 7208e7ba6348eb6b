"""Finn bestillinger: the search panel of the order list."""

from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from portal.models import Order
from portal.models.orders import OrderStatus

from .base import FilterSetListFilter, PortalFilterSet
from .fields import (
    choice_filter,
    customer_filter,
    date_filter,
    department_filter,
    model_choice_filter,
    number_part_filter,
    product_group_choices,
)

CAPABILITY = Capability.VIEW_ORDERS


class OrderFilterSet(PortalFilterSet):
    view_capability = CAPABILITY
    staff_only = ("customer",)

    number = number_part_filter(field_name="number", label=_("Order number"))
    order_date_after = date_filter(field_name="order_date", lookup_expr="gte", label=_("From date"))
    order_date_before = date_filter(field_name="order_date", lookup_expr="lte", label=_("To date"))
    status = choice_filter(choices=OrderStatus.choices, label=_("Status"))
    customer = customer_filter(
        capability=CAPABILITY, field_name="department__customer", label=_("Customer")
    )
    department = department_filter(capability=CAPABILITY, label=_("Company/department"))
    product_group = model_choice_filter(
        queryset=product_group_choices(CAPABILITY), label=_("Product group")
    )

    class Meta(PortalFilterSet.Meta):
        model = Order
        fields = ()


class OrderSearch(FilterSetListFilter):
    title = _("Find orders")
    filterset_class = OrderFilterSet
