"""The endpoints. Each list and row is the service user's rows by `permissions/` (a
customer's token: that customer's administrator's; a token without a customer: staff's), and
each write is the service a person's form calls."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from permissions.capabilities import Capability
from permissions.policies import (
    APPOINTMENTS,
    BOOKINGS,
    EMPLOYEES,
    ORDERS,
    contracts_for,
    customers_for,
    departments_for,
)
from portal.models import (
    Appointment,
    Booking,
    Contract,
    Customer,
    Department,
    Employee,
    Order,
    ProductGroup,
)
from portal.services import (
    appointment_cancel,
    appointment_create,
    appointment_update,
    employee_create,
    employee_deactivate,
    employee_reactivate,
    employee_update,
    order_submit,
)

from .. import filters, serializers
from ..pagination import IdCursorPagination
from ..scopes import Scope
from ..versions import etag_of, if_match_version
from .base import ReadOnlyViewSet

ORDER_STAYS = _("An appointment stays with its order: cancel it and create one on the other.")

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=True,
    description="The row's ETag, as its GET answered it.",
)


class CustomerViewSet(ReadOnlyViewSet):
    """The customers the token may see: one for a customer's token, every one otherwise."""

    queryset = Customer.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.CustomerSerializer
    pagination_class = IdCursorPagination
    read_scope = Scope.CUSTOMERS_READ

    def rows(self, user):
        return customers_for(user).order_by("pk")


class DepartmentViewSet(ReadOnlyViewSet):
    """Companies/departments (bedrifter/avdelinger): the unit every row belongs to."""

    queryset = Department.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.DepartmentSerializer
    pagination_class = IdCursorPagination
    read_scope = Scope.CUSTOMERS_READ

    def rows(self, user):
        return departments_for(user).order_by("pk")


class ContractViewSet(ReadOnlyViewSet):
    """The customers' contracts (kontrakter); an order may be placed under one."""

    queryset = Contract.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.ContractSerializer
    pagination_class = IdCursorPagination
    read_scope = Scope.CUSTOMERS_READ

    def rows(self, user):
        return contracts_for(user).order_by("pk")


class ProductGroupViewSet(ReadOnlyViewSet):
    """Reference data, the same for every customer."""

    queryset = ProductGroup.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.ProductGroupSerializer
    pagination_class = IdCursorPagination
    read_scope = Scope.CUSTOMERS_READ

    def rows(self, user):
        return ProductGroup.objects.order_by("pk")


class OrderViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Orders (bestillinger) with their approval `status` and `state`."""

    queryset = Order.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.OrderSerializer
    filterset_class = filters.OrderFilterSet
    read_scope = Scope.ORDERS_READ
    write_scope = Scope.ORDERS_WRITE

    def rows(self, user):
        return ORDERS.instances_for(user, Capability.VIEW_ORDERS).select_related("department")

    @extend_schema(
        request=serializers.OrderCreateSerializer,
        responses={201: serializers.OrderSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Place an order as a customer would: it awaits the seller's approval and the
        customer's KA/KAM is told."""
        form = serializers.OrderCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        order = order_submit(actor=request.user, **form.validated_data)
        response = Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_of(order)
        return response


class EmployeeViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """Employees (ansatte). The national id number is write-only: `has_national_id` says
    whether one is registered."""

    queryset = Employee.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.EmployeeSerializer
    filterset_class = filters.EmployeeFilterSet
    read_scope = Scope.EMPLOYEES_READ
    write_scope = Scope.EMPLOYEES_WRITE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def rows(self, user):
        return EMPLOYEES.instances_for(user, Capability.VIEW_EMPLOYEES)

    @extend_schema(
        request=serializers.EmployeeWriteSerializer,
        responses={201: serializers.EmployeeSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Add an employee. `national_id` (optional) is checked, stored encrypted and never
        answered."""
        form = serializers.EmployeeWriteSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        employee = employee_create(actor=request.user, **form.validated_data)
        response = Response(self.get_serializer(employee).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_of(employee)
        return response

    @extend_schema(
        request=serializers.EmployeeWriteSerializer(partial=True),
        responses={200: serializers.EmployeeSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Change the given fields, on the version named in If-Match (412 when it is stale,
        428 without it). An empty `national_id` removes the number."""
        with transaction.atomic():
            employee = self.get_object()
            version = if_match_version(request, employee)
            form = serializers.EmployeeWriteSerializer(
                data=request.data, partial=True, context={"request": request}
            )
            form.is_valid(raise_exception=True)
            fields = dict(form.validated_data)
            national_id = fields.pop("national_id", None)
            employee = employee_update(
                employee=employee,
                actor=request.user,
                national_id=national_id,
                version=version,
                **fields,
            )
        response = Response(self.get_serializer(employee).data)
        response["ETag"] = etag_of(employee)
        return response

    @extend_schema(request=None, responses={200: serializers.EmployeeSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """The person has left: their future bookings are cancelled, the address is free."""
        employee = self.get_object()
        employee_deactivate(employee=employee, actor=request.user)
        employee.refresh_from_db()
        return self._row(employee)

    @extend_schema(request=None, responses={200: serializers.EmployeeSerializer})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        employee = self.get_object()
        employee = employee_reactivate(employee=employee, actor=request.user)
        return self._row(employee)

    def _row(self, employee):
        response = Response(self.get_serializer(employee).data)
        response["ETag"] = etag_of(employee)
        return response


class AppointmentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """Appointments (timeavtaler) of the orders: when, where, how many seats. The provider's
    booking system creates, changes and cancels them (a token without a customer)."""

    queryset = Appointment.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.AppointmentSerializer
    filterset_class = filters.AppointmentFilterSet
    read_scope = Scope.APPOINTMENTS_READ
    write_scope = Scope.APPOINTMENTS_WRITE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def rows(self, user):
        return APPOINTMENTS.instances_for(user, Capability.VIEW_ORDERS)

    @extend_schema(
        request=serializers.AppointmentWriteSerializer,
        responses={201: serializers.AppointmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        form = serializers.AppointmentWriteSerializer(
            data=request.data, context={"request": request}
        )
        form.is_valid(raise_exception=True)
        appointment = appointment_create(actor=request.user, **form.validated_data)
        return self._row(appointment, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.AppointmentWriteSerializer(partial=True),
        responses={200: serializers.AppointmentSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Change time, place, seats, deadline or what to bring, on the version named in
        If-Match; booked employees are told of a new time, place or instructions."""
        with transaction.atomic():
            appointment = self.get_object()
            version = if_match_version(request, appointment)
            form = serializers.AppointmentWriteSerializer(
                data=request.data, partial=True, context={"request": request}
            )
            form.is_valid(raise_exception=True)
            fields = dict(form.validated_data)
            if "order" in fields:
                raise ValidationError({"order": [ORDER_STAYS]})
            appointment = appointment_update(
                appointment=appointment, actor=request.user, version=version, **fields
            )
        return self._row(appointment)

    @extend_schema(request=None, responses={200: serializers.AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the appointment and every booking on it; each employee is told."""
        appointment = self.get_object()
        appointment_cancel(appointment=appointment, actor=request.user)
        appointment.refresh_from_db()
        return self._row(appointment)

    def _row(self, appointment, code=status.HTTP_200_OK):
        response = Response(self.get_serializer(appointment).data, status=code)
        response["ETag"] = etag_of(appointment)
        return response


class BookingViewSet(ReadOnlyViewSet):
    """A customer's token sees the bookings of its own employees only."""

    queryset = Booking.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = serializers.BookingSerializer
    filterset_class = filters.BookingFilterSet
    read_scope = Scope.APPOINTMENTS_READ

    def rows(self, user):
        queryset = BOOKINGS.instances_for(user, Capability.VIEW_ORDERS)
        return BOOKINGS.of_own_employees(queryset, user, Capability.VIEW_ORDERS)
