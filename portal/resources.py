"""What the lists export: the seed's columns, in Norwegian."""

from django.utils.translation import gettext_lazy as _

from imports.exports import Column, SafeExportResource, date_column
from permissions.capabilities import Capability
from permissions.scoping import is_unscoped
from portal.models import Order


class OrderExportResource(SafeExportResource):
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

    def __init__(self, request=None, **kwargs):
        super().__init__(**kwargs)
        self.staff = request is not None and is_unscoped(request.user, Capability.VIEW_ORDERS)

    def get_export_fields(self, selected_fields=None):
        export = super().get_export_fields(selected_fields)
        return export if self.staff else [f for f in export if f is not self.fields["customer"]]

    def dehydrate_state(self, order):
        return order.get_state_display()

    def dehydrate_status(self, order):
        return order.get_status_display()
