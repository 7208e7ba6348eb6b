"""The order workflow. Nothing else writes `Order.status`.

Each transition is one transaction that changes the row only if it still has the status the
step starts from (two people pressing at once yield one transition), writes an `OrderEvent`,
and tells the next party after commit.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_changes, audit_record
from permissions.capabilities import Capability
from permissions.policies import DEPARTMENTS, ORDERS
from permissions.scoping import is_unscoped
from permissions.services import users_with_capability
from portal.models import Booking, Contract, Department, Order, OrderEvent, ProductGroup
from portal.models.appointments import Attendance
from portal.models.orders import OrderState, OrderStatus
from portal.sensitive import sensitive_text_check
from portal.services.booking_months import booking_months_refresh_for_bookings
from portal.services.surveillance import exposures_recheck
from portal.services.versions import version_claim
from portal.text import texts_validate
from webhooks.events import emit, order_payload

from .notifications import (
    account_managers_of,
    customer_contact,
    customer_reply_to,
    mail_to_user,
    notification_send,
)


def order_description_check(description: str) -> None:
    """Refuse a description that holds a national id number or details of someone's health."""
    sensitive_text_check(description, field="description")


def order_contract_check(*, contract: Contract | None, department: Department, on) -> None:
    """The contract, if any, is the department's customer's and valid on the order date."""
    if contract is None:
        return
    if contract.customer_id != department.customer_id:
        raise ValidationError(
            {"contract": _("The contract does not belong to the chosen company/department.")},
            code="contract_customer",
        )
    if contract.valid_from > on or (contract.valid_to and contract.valid_to < on):
        raise ValidationError(
            {"contract": _("The contract is not valid on the order date.")},
            code="contract_validity",
        )


def order_open(
    *,
    actor,
    department: Department,
    status: str,
    contract: Contract | None = None,
    product_group: ProductGroup | None = None,
    customer_reference: str = "",
    description: str = "",
    order_date=None,
) -> Order:
    """The new order of `order_submit` and `order_enquire`, in `status`, with its first event:
    who may place orders, the contract valid on the day, the texts, and the contract's own
    reference where the customer gives none. Tells nobody."""
    if not DEPARTMENTS.allows(actor, department, Capability.PLACE_ORDERS):
        raise PermissionDenied(_("You may not place orders for this company/department."))
    order_date = order_date or timezone.localdate()
    order_contract_check(contract=contract, department=department, on=order_date)
    texts_validate(
        {"customer_reference": customer_reference, "description": description},
        multiline=("description",),
    )
    order_description_check(description)
    if not customer_reference and contract is not None:
        customer_reference = contract.default_customer_reference
    now = timezone.now()
    order = Order.objects.create(
        department=department,
        contract=contract,
        product_group=product_group,
        customer_reference=customer_reference,
        description=description,
        order_date=order_date,
        status=status,
        state=OrderState.STARTED,
        submitted_by=actor,
        submitted_at=now,
    )
    OrderEvent.objects.create(
        order=order, actor=actor, from_value="", to_value=order.status, created_at=now
    )
    return order


@transaction.atomic
def order_submit(
    *,
    actor,
    department: Department,
    contract: Contract | None = None,
    product_group: ProductGroup | None = None,
    customer_reference: str = "",
    description: str = "",
    order_date=None,
) -> Order:
    """Place a new order; it awaits the seller's approval and the KA/KAM is told at once,
    with who sent it. A customer user who sends it gets a receipt."""
    order = order_open(
        actor=actor,
        department=department,
        status=OrderStatus.AWAITING_SELLER,
        contract=contract,
        product_group=product_group,
        customer_reference=customer_reference,
        description=description,
        order_date=order_date,
    )
    customer = department.customer
    receipt_to = order_receipt_address(actor)
    notification_send(
        recipients=account_managers_of(customer),
        text=_("New order %(number)s from %(customer)s")
        % {"number": order.number, "customer": customer.name},
        link=order.get_absolute_url(),
        mail_template="portal/email/order_submitted.txt",
        context={
            "order": order,
            "customer": customer,
            "person": actor.get_full_name() or actor.get_username(),
            "person_email": actor.email,
        },
        # The KA/KAM answers the customer user who ordered by replying.
        reply_to=[receipt_to] if receipt_to else [],
    )
    if receipt_to:
        _order_receipt_send(order=order, actor=actor)
    # The KA/KAM's «beskjed i CRM»: the CRM hears of the order by its webhook.
    emit("order.submitted", order_payload(order))
    return order


def order_receipt_address(actor) -> str:
    """Where the receipt of an order `actor` sends goes: a customer user's address; staff
    ordering for a customer get none ("")."""
    return "" if is_unscoped(actor, Capability.PLACE_ORDERS) else actor.email


def _order_receipt_send(*, order: Order, actor) -> None:
    """The orderer's receipt: the number, what they ordered and what happens next."""
    customer = order.department.customer
    mail_to_user(
        user=actor,
        subject=_("We have received order %(number)s") % {"number": order.number},
        template="portal/email/order_receipt.txt",
        context={
            "order": order,
            "provider": settings.PORTAL_PROVIDER_NAME,
            "contact": customer_contact(customer),
            "awaiting_seller": OrderStatus.AWAITING_SELLER.label,
            "awaiting_customer": OrderStatus.AWAITING_CUSTOMER.label,
            "approved": OrderStatus.APPROVED.label,
            "delivered": OrderStatus.DELIVERED.label,
            "confirm": _("Confirm order"),
        },
        link=order.get_absolute_url(),
        reply_to=customer_reply_to(customer),
    )


def _transition(
    *,
    order: Order,
    actor,
    from_status: OrderStatus,
    to_status: OrderStatus,
    now,
    fields: dict,
    on_behalf: bool = False,
    version: int | None = None,
) -> Order:
    """Move `order` from one status to the next, or refuse and change nothing. The event
    bears `now`, the time the step's own fields record."""
    _order_version_next(order, version)
    updated = Order.objects.filter(pk=order.pk, status=from_status).update(
        status=to_status, updated_at=timezone.now(), **fields
    )
    if not updated:
        current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
        raise ValidationError(
            _("Order %(number)s is “%(current)s” now; this step needs “%(needed)s”.")
            % {
                "number": order.number,
                "current": OrderStatus(current).label if current else "–",
                "needed": from_status.label,
            },
            code="wrong_status",
        )
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_value=from_status,
        to_value=to_status,
        on_behalf_of_customer=on_behalf,
        created_at=now,
    )
    order.refresh_from_db()
    emit(
        "order.status_changed",
        order_payload(order) | {"changed": "status", "previous": str(from_status)},
    )
    return order


def _order_version_next(order: Order, version: int | None) -> None:
    """A step changes the order, so its version (the API's ETag) moves on. Given `version`
    (the one a system's If-Match named), the step is taken only on it: `StaleEdit` when the
    order moved on since (the caller's transaction then undoes the rest)."""
    if version is not None:
        version_claim(order, version=version)
    else:
        Order.objects.filter(pk=order.pk).update(version=F("version") + 1)


def _require_staff(actor, capability: Capability) -> None:
    if not is_unscoped(actor, capability):
        raise PermissionDenied(_("Only the provider's staff may take this step."))


@transaction.atomic
def order_confirm_as_seller(*, order: Order, actor, version: int | None = None) -> Order:
    """The seller has checked the order; the customer's approvers are asked to confirm."""
    _require_staff(actor, Capability.CONFIRM_ORDERS)
    now = timezone.now()
    order = _transition(
        order=order,
        actor=actor,
        from_status=OrderStatus.AWAITING_SELLER,
        to_status=OrderStatus.AWAITING_CUSTOMER,
        now=now,
        fields={"seller_confirmed_by": actor, "seller_confirmed_at": now},
        version=version,
    )
    notification_send(
        recipients=users_with_capability(
            department=order.department, capability=Capability.CONFIRM_ORDERS
        ),
        text=_("Order %(number)s is waiting for your approval") % {"number": order.number},
        link=order.get_absolute_url(),
        mail_template="portal/email/order_awaiting_customer.txt",
        context={"order": order},
        reply_to=customer_reply_to(order.department.customer),
    )
    return order


@transaction.atomic
def order_confirm_as_customer(*, order: Order, actor, version: int | None = None) -> Order:
    """«Bekreft bestilling»: the customer, or staff on the customer's behalf, approves."""
    on_behalf = is_unscoped(actor, Capability.CONFIRM_ORDERS)
    if not on_behalf and not ORDERS.allows(actor, order, Capability.CONFIRM_ORDERS):
        raise PermissionDenied(_("You may not confirm orders for this company/department."))
    now = timezone.now()
    order = _transition(
        order=order,
        actor=actor,
        from_status=OrderStatus.AWAITING_CUSTOMER,
        to_status=OrderStatus.APPROVED,
        now=now,
        fields={
            "customer_confirmed_by": actor,
            "customer_confirmed_at": now,
            "confirmed_on_behalf": on_behalf,
        },
        on_behalf=on_behalf,
        version=version,
    )
    customer = order.department.customer
    recipients = [user for user in account_managers_of(customer) if user.pk != actor.pk]
    if recipients:
        notification_send(
            recipients=recipients,
            text=_("%(customer)s confirmed order %(number)s")
            % {"customer": customer.name, "number": order.number},
            link=order.get_absolute_url(),
            mail_template="portal/email/order_approved.txt",
            context={"order": order, "customer": customer, "actor": actor},
        )
    return order


@transaction.atomic
def order_mark_delivered(*, order: Order, actor, version: int | None = None) -> Order:
    _require_staff(actor, Capability.CONFIRM_ORDERS)
    now = timezone.now()
    return _transition(
        order=order,
        actor=actor,
        from_status=OrderStatus.APPROVED,
        to_status=OrderStatus.DELIVERED,
        now=now,
        fields={"delivered_by": actor, "delivered_at": now},
        version=version,
    )


@transaction.atomic
def order_set_state(
    *, order: Order, actor, state: OrderState | str, version: int | None = None
) -> Order:
    """Staff move the order state (Påbegynt / Aktiv / Avsluttet) as in the CRM."""
    _require_staff(actor, Capability.CONFIRM_ORDERS)
    state = OrderState(state)
    _order_version_next(order, version)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.state == state:
        raise ValidationError(
            _("Order %(number)s is already “%(state)s”.")
            % {"number": locked.number, "state": state.label},
            code="same_state",
        )
    OrderEvent.objects.create(
        order=locked,
        actor=actor,
        field=OrderEvent.Field.STATE,
        from_value=locked.state,
        to_value=state,
    )
    previous = locked.state
    locked.state = state
    locked.save(update_fields=["state"])
    emit(
        "order.status_changed",
        order_payload(locked) | {"changed": "state", "previous": str(previous)},
    )
    return locked


#: What staff may correct on a sent order; the department moves by `order_move_department`.
ORDER_EDITABLE_FIELDS = ("contract", "product_group", "customer_reference", "description")


def _audit_value(value) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def order_update(*, order: Order, actor, version: int | None = None, **fields) -> Order:
    """Staff correct a sent order's contract, product group, reference or description, with
    the rules of a new order; what changed goes into the audit trail. Nothing that did not
    change is written. Refused with `StaleEdit` when the order is no longer at `version`
    (the one the edit began on; None: the one `order` was loaded with)."""
    _require_staff(actor, Capability.CONFIRM_ORDERS)
    unknown = set(fields) - set(ORDER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"order_update cannot change {', '.join(sorted(unknown))}")
    version_claim(order, version=version)
    locked = Order.objects.select_for_update().select_related("department").get(pk=order.pk)
    changed = {name: value for name, value in fields.items() if getattr(locked, name) != value}
    if "contract" in changed:
        order_contract_check(
            contract=changed["contract"], department=locked.department, on=locked.order_date
        )
    texts_validate(
        {name: value for name, value in changed.items() if isinstance(value, str)},
        multiline=("description",),
    )
    if "description" in changed:
        order_description_check(changed["description"])
    if not changed:
        return locked
    changes = audit_changes(
        {name: _audit_value(getattr(locked, name)) for name in changed},
        {name: _audit_value(value) for name, value in changed.items()},
    )
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changed))
    if "product_group" in changed:  # its bookings count for the group it now has
        booking_months_refresh_for_bookings(Booking.objects.filter(appointment__order=locked))
    audit_record(actor=actor, action=AuditAction.CHANGED, obj=locked, changes=changes)
    if "product_group" in changed:
        # The order's checks now close another exposure's loop.
        attended = Booking.objects.filter(
            appointment__order=locked, attendance=Attendance.ATTENDED
        ).values_list("employee_id", flat=True)
        exposures_recheck(employee_ids=set(attended))
    return locked


@transaction.atomic
def order_move_department(*, order: Order, department: Department, actor) -> Order:
    """Staff move an order to another department of its customer; its appointments go along
    (their lists are scoped by the department they share with their order)."""
    _require_staff(actor, Capability.CONFIRM_ORDERS)
    locked = Order.objects.select_for_update().select_related("department").get(pk=order.pk)
    if department.customer_id != locked.department.customer_id:
        raise ValidationError(
            {"department": _("An order can only move within its customer.")},
            code="other_customer",
        )
    if department.pk == locked.department_id:
        return locked
    before = locked.department.name
    locked.department = department
    locked.save(update_fields=["department"])
    locked.appointments.update(department_id=department.pk, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=locked,
        changes={"department": [before, department.name]},
    )
    return locked
