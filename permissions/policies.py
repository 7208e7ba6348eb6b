"""One access policy per department-owned model: which rows a user may see or act on, and
whether they may take a model-wide action (export, import).

Each model's way to its department is declared here and nowhere else (`POLICIES`); the admin,
the filters, the reports, the imports, the exports and the services all ask the model's
policy. A policy answers with `scoping`'s department capabilities: a customer user holds a
capability on some departments, the provider's staff on all of them (unscoped), and then
need the model's own Django permission for a model-wide action.

Models keep state checks only (`order.awaits_seller`); who may take a step is here.
"""

from django.contrib.auth import get_permission_codename
from django.db.models import Model, QuerySet

from portal.models import (
    Appointment,
    Booking,
    Contract,
    Customer,
    Department,
    Employee,
    Exposure,
    ExposureType,
    Invoice,
    Order,
    OrderMessage,
    ProductGroup,
)

from .capabilities import Capability, Perm
from .scoping import (
    ALL,
    QS,
    customers_of,
    department_ids,
    department_of,
    has_capability_anywhere,
    is_staff_with,
    is_unscoped,
    scope,
)


class DepartmentPolicy:
    """The rows of `model` belong to the department reached by `path` ("" for a department
    itself)."""

    def __init__(self, model: type[Model], path: str):
        self.model = model
        self.path = path

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model._meta.label} via {self.path or 'itself'!r}>"

    def narrow(self, queryset: QS, user, capability: Capability) -> QS:
        """`queryset` (of this model) narrowed to the rows the user holds `capability` on."""
        return scope(queryset, user, capability, path=self.path)

    def instances_for(self, user, capability: Capability) -> QuerySet:
        return self.narrow(self.model._default_manager.all(), user, capability)

    def allows(self, user, obj: Model, capability: Capability) -> bool:
        """The single-object check: the same answer `instances_for` gives for this row."""
        ids = department_ids(user, capability)
        if ids is ALL:
            return True
        return department_of(obj, self.path) in ids

    def may(self, user, action: str, capability: Capability) -> bool:
        """A model-wide action (`export`, `import`): staff by the model's `<action>_<model>`
        permission, a customer user by holding `capability` on one of their departments."""
        return may_act_on_model(user, self.model, action, capability)

    def may_export(self, user, capability: Capability) -> bool:
        return self.may(user, "export", capability)


def may_act_on_model(user, model: type[Model], action: str, capability: Capability) -> bool:
    """`DepartmentPolicy.may` for any model, department-owned or not (a report sums up one)."""
    if is_unscoped(user, capability):
        opts = model._meta
        return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
    return has_capability_anywhere(user, capability)


class BookingPolicy(DepartmentPolicy):
    """A booking belongs to its appointment's department. On an order's page a customer user
    sees, among its bookings, only those of their own employees: `of_own_employees`."""

    employee_path = "employee__department"

    def of_own_employees(self, queryset: QS, user, capability: Capability) -> QS:
        return scope(queryset, user, capability, path=self.employee_path)


class OrderPolicy(DepartmentPolicy):
    """Who may take each step of the order workflow now (the order's status is its own)."""

    def may_confirm_as_seller(self, user, order: Order) -> bool:
        return order.awaits_seller and is_unscoped(user, Capability.CONFIRM_ORDERS)

    def may_confirm_as_customer(self, user, order: Order) -> bool:
        return order.awaits_customer and (
            is_unscoped(user, Capability.CONFIRM_ORDERS)
            or self.allows(user, order, Capability.CONFIRM_ORDERS)
        )

    def may_accept_enquiry(self, user, order: Order) -> bool:
        """Turn an enquiry («Forespørsel») into an order: the provider's staff."""
        return order.is_enquiry and is_unscoped(user, Capability.CONFIRM_ORDERS)

    def may_mark_delivered(self, user, order: Order) -> bool:
        return order.is_approved and is_unscoped(user, Capability.CONFIRM_ORDERS)

    def may_change_state(self, user, order: Order) -> bool:
        return is_unscoped(user, Capability.CONFIRM_ORDERS)

    def may_read_messages(self, user, order: Order) -> bool:
        """The order's messages («Meldinger»): whoever may see the order."""
        return self.allows(user, order, Capability.VIEW_ORDERS)

    def may_write_message(self, user, order: Order) -> bool:
        """Whoever may read the thread may write in it: staff and the customer's users alike."""
        return self.may_read_messages(user, order)

    def writes_as_staff(self, user) -> bool:
        """A message by this user is the provider's side of the thread."""
        return is_unscoped(user, Capability.VIEW_ORDERS)


DEPARTMENTS = DepartmentPolicy(Department, "")
ORDERS = OrderPolicy(Order, "department")
EMPLOYEES = DepartmentPolicy(Employee, "department")
APPOINTMENTS = DepartmentPolicy(Appointment, "department")  # the order's, kept on it
BOOKINGS = BookingPolicy(Booking, "appointment__department")


class InvoicePolicy(DepartmentPolicy):
    def opens_as_customer(self, user, invoice: Invoice) -> bool:
        """Opening `invoice` is its customer's seeing it (not the provider's staff's)."""
        return not is_unscoped(user, Capability.VIEW_INVOICES) and self.allows(
            user, invoice, Capability.VIEW_INVOICES
        )


INVOICES = InvoicePolicy(Invoice, "payer")  # the paying department
EXPOSURES = DepartmentPolicy(Exposure, "department")  # the exposed employee's, kept on the row
ORDER_MESSAGES = DepartmentPolicy(OrderMessage, "order__department")  # the order's

POLICIES: dict[type[Model], DepartmentPolicy] = {
    policy.model: policy
    for policy in (
        DEPARTMENTS,
        ORDERS,
        EMPLOYEES,
        APPOINTMENTS,
        BOOKINGS,
        INVOICES,
        EXPOSURES,
        ORDER_MESSAGES,
    )
}


def policy_for(model: type[Model]) -> DepartmentPolicy | None:
    """The model's policy (a proxy's is its model's); None for a model no department owns."""
    return POLICIES.get(model._meta.concrete_model or model)


def scope_choices(queryset: QuerySet, user, capability: Capability) -> QuerySet:
    """The rows of a related model a user may pick in a form, for a capability.

    Contracts belong to a customer, not a department: a user may pick the contracts of the
    customers whose departments they hold the capability on.
    """

    model = queryset.model
    if model in (ProductGroup, ExposureType):  # reference data, the same for every customer
        return queryset
    if model is Contract:
        customers = customers_of(user, capability)
        return queryset if customers is ALL else queryset.filter(customer_id__in=customers)
    policy = policy_for(model)
    if policy is None:
        return queryset if is_unscoped(user, capability) else queryset.none()
    return policy.narrow(queryset, user, capability)


def customers_for(user) -> QuerySet:
    """The customers a user may see: every one for staff who may view customers, otherwise
    those whose departments they may see orders of (a customer administrator: their own)."""
    if is_staff_with(user, Perm.VIEW_CUSTOMER):
        return Customer.objects.all()
    customers = customers_of(user, Capability.VIEW_ORDERS)
    return Customer.objects.all() if customers is ALL else Customer.objects.filter(pk__in=customers)


def departments_for(user, capability: Capability = Capability.VIEW_ORDERS) -> QuerySet:
    """The departments a user may see (staff who may view departments: all), or act on for
    `capability`."""
    if capability == Capability.VIEW_ORDERS and is_staff_with(user, Perm.VIEW_DEPARTMENT):
        return Department.objects.all()
    return DEPARTMENTS.instances_for(user, capability)


def contracts_for(user, capability: Capability = Capability.VIEW_ORDERS) -> QuerySet:
    if capability == Capability.VIEW_ORDERS and is_staff_with(user, Perm.VIEW_CONTRACT):
        return Contract.objects.all()
    return scope_choices(Contract.objects.all(), user, capability)
