from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import audit, bookings, invoices, orders, resources
from .views.base import not_found

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("customers", resources.CustomerViewSet, basename="customer")
router.register("departments", resources.DepartmentViewSet, basename="department")
router.register("contracts", resources.ContractViewSet, basename="contract")
router.register("product-groups", resources.ProductGroupViewSet, basename="productgroup")
router.register("orders", orders.OrderViewSet, basename="order")
router.register("employees", resources.EmployeeViewSet, basename="employee")
router.register("appointments", resources.AppointmentViewSet, basename="appointment")
router.register("bookings", bookings.BookingViewSet, basename="booking")
router.register("audit-events", audit.AuditEventViewSet, basename="auditevent")
router.register("invoices", invoices.InvoiceViewSet, basename="invoice")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    # Not the admin's pages of this app (/api/apitoken/): they follow in config/urls.py.
    re_path(r"^v1/", not_found),
]
