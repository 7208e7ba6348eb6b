"""Finding a generated world, and removing it and nothing else."""

import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import override_settings

from audit.models import AuditEvent
from health.models import QuestionnaireAnswer
from imports.models import ImportUpload
from permissions.models import (
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Grant,
    GrantAuditEvent,
)
from portal.models import (
    Appointment,
    Booking,
    BookingInvitation,
    BookingMonth,
    Contract,
    Customer,
    Department,
    Employee,
    Exposure,
    Invoice,
    InvoiceLine,
    Order,
    OrderEvent,
)

from .plan import CUSTOMER_NUMBER_PREFIX, USERNAME_PREFIX


def world_exists() -> bool:
    return (
        Customer.objects.filter(customer_number__startswith=CUSTOMER_NUMBER_PREFIX).exists()
        or get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).exists()
    )


def world_delete(*, log: Callable[[str], None] = print) -> None:
    """Remove the generated world and nothing else, biggest tables first and in bulk: a
    cascade collected object by object would take longer than generating it."""
    User = get_user_model()
    customers = Customer.objects.filter(customer_number__startswith=CUSTOMER_NUMBER_PREFIX)
    departments = Department.objects.filter(customer__in=customers)
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    orders = Order.objects.filter(department__in=departments)
    grants = Grant.objects.filter(customer__in=customers) | Grant.objects.filter(user__in=users)
    grant_ids = list(grants.values_list("pk", flat=True))
    steps = [
        # Invitations point at bookings, orders and employees: first.
        ("booking invitations", BookingInvitation.objects.filter(order__in=orders)),
        ("booking invitations", BookingInvitation.objects.filter(employee__customer__in=customers)),
        (
            "health declarations",
            QuestionnaireAnswer.objects.filter(booking__appointment__order__in=orders),
        ),
        (
            "health declarations",
            QuestionnaireAnswer.objects.filter(booking__employee__customer__in=customers),
        ),
        ("booking months", BookingMonth.objects.filter(employee__customer__in=customers)),
        ("bookings", Booking.objects.filter(appointment__order__in=orders)),
        ("bookings", Booking.objects.filter(employee__customer__in=customers)),
        ("appointments", Appointment.objects.filter(order__in=orders)),
        ("invoice lines", InvoiceLine.objects.filter(invoice__payer__in=departments)),
        ("invoices", Invoice.objects.filter(payer__in=departments)),
        ("order events", OrderEvent.objects.filter(order__in=orders)),
        ("orders", orders),
        ("exposures", Exposure.objects.filter(employee__customer__in=customers)),
        ("employees", Employee.objects.filter(customer__in=customers)),
        (
            "department permissions",
            DepartmentUserObjectPermission.objects.filter(content_object__in=departments),
        ),
        (
            "department permissions",
            DepartmentUserObjectPermission.objects.filter(user__in=users),
        ),
        (
            "group permissions",
            DepartmentGroupObjectPermission.objects.filter(content_object__in=departments),
        ),
        (
            "grant audit departments",
            GrantAuditEvent.departments.through.objects.filter(
                grantauditevent__customer__in=customers
            ),
        ),
        ("grant audit events", GrantAuditEvent.objects.filter(customer__in=customers)),
        (
            "audit events",
            AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(Grant),
                object_id__in=[str(pk) for pk in grant_ids],
            ),
        ),
        ("grant departments", Grant.departments.through.objects.filter(grant__in=grant_ids)),
        ("grants", Grant.objects.filter(pk__in=grant_ids)),
        ("uploads", ImportUpload.objects.filter(customer__in=customers)),
        ("contracts", Contract.objects.filter(customer__in=customers)),
        ("departments", departments),
        ("customers", customers),
    ]
    started = time.perf_counter()
    with override_settings(DEBUG=False), transaction.atomic():
        # Invoices and lines elsewhere that point at a generated order keep their row.
        Invoice.objects.filter(order__in=orders).exclude(payer__in=departments).update(order=None)
        InvoiceLine.objects.filter(order__in=orders).exclude(invoice__payer__in=departments).update(
            order=None
        )
        removed: dict[str, int] = {}
        for label, queryset in steps:
            removed[label] = removed.get(label, 0) + queryset._raw_delete(queryset.db)
        Customer.objects.filter(account_manager__in=users).update(account_manager=None)
        # Few rows, many small relations (sessions, devices, notifications): Django's own
        # delete follows them all.
        removed["users"] = users.count()
        users.delete()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The deleted rows' space, reusable by the world generated next.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    for label, count in removed.items():
        log(f"  removed {label:<24} {count:>10,}")
    log(f"  removed in {time.perf_counter() - started:.1f} s")
