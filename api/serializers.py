"""What the API shows of each row, and what it takes. Never a national id number: an
employee's is accepted (`national_id`, write-only) and answered only as `has_national_id`."""

from rest_framework import serializers

from permissions.capabilities import Capability
from permissions.policies import ORDERS, contracts_for, departments_for
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
from portal.models.employees import Gender


def author_name(user) -> str:
    """Who wrote or changed something: the token's name when a system did it through the API
    (its service user; `api_token` read with `select_related`), else the person's name."""
    token = getattr(user, "api_token", None)  # None for a person
    if token is not None:
        return token.name
    return user.get_full_name() or user.get_username()


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row the caller may use for this act (`rows(user)`): any other id,
    another customer's included, is answered as one that does not exist."""

    def __init__(self, *, rows, **kwargs):
        self.rows = rows
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return self.rows(request.user)


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ("id", "name", "org_number", "customer_number", "is_active")


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "customer", "name", "org_number", "postal_address", "postal_code", "city")


class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = ("id", "customer", "name", "default_customer_reference", "valid_from", "valid_to")


class ProductGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductGroup
        fields = ("id", "name")


class OrderSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="department.customer_id", read_only=True)

    class Meta:
        model = Order
        fields = (
            "id",
            "number",
            "customer",
            "department",
            "contract",
            "product_group",
            "customer_reference",
            "description",
            "order_date",
            "status",
            "state",
            "submitted_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class OrderCreateSerializer(serializers.Serializer):
    """As «Ny bestilling» takes it: `order_submit` checks the rest."""

    department = ScopedPrimaryKeyRelatedField(
        rows=lambda user: departments_for(user, Capability.PLACE_ORDERS),
        queryset=Department.objects.all(),
    )
    contract = ScopedPrimaryKeyRelatedField(
        rows=lambda user: contracts_for(user, Capability.PLACE_ORDERS),
        queryset=Contract.objects.all(),
        required=False,
        allow_null=True,
    )
    product_group = serializers.PrimaryKeyRelatedField(
        queryset=ProductGroup.objects.all(), required=False, allow_null=True
    )
    customer_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    order_date = serializers.DateField(required=False)


class EmployeeSerializer(serializers.ModelSerializer):
    has_national_id = serializers.BooleanField(read_only=True)

    class Meta:
        model = Employee
        fields = (
            "id",
            "customer",
            "department",
            "first_name",
            "last_name",
            "email",
            "mobile",
            "birth_date",
            "gender",
            "has_national_id",
            "is_active",
            "deactivated_at",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class EmployeeWriteSerializer(serializers.Serializer):
    """The fields `employee_create` and `employee_update` take; `national_id` is never read
    back. On an update every field is optional, and an empty `national_id` removes it."""

    department = ScopedPrimaryKeyRelatedField(
        rows=lambda user: departments_for(user, Capability.MANAGE_EMPLOYEES),
        queryset=Department.objects.all(),
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    national_id = serializers.CharField(
        max_length=20, required=False, allow_blank=True, write_only=True
    )


class AppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = (
            "id",
            "order",
            "department",
            "starts_at",
            "ends_at",
            "location",
            "capacity",
            "booking_deadline",
            "instructions",
            "is_cancelled",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class AppointmentWriteSerializer(serializers.Serializer):
    """What `appointment_create` takes; an update takes any of them but the order. Booking
    closes when the appointment starts unless a deadline is given."""

    order = ScopedPrimaryKeyRelatedField(
        rows=lambda user: ORDERS.instances_for(user, Capability.VIEW_ORDERS),
        queryset=Order.objects.all(),
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    booking_deadline = serializers.DateTimeField(required=False)
    instructions = serializers.CharField(required=False, allow_blank=True)


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = (
            "id",
            "appointment",
            "employee",
            "attendance",
            "booked_at",
            "cancelled_at",
            "employee_confirmed_at",
            "updated_at",
        )
        read_only_fields = fields
