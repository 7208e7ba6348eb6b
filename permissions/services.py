"""Granting and revoking portal access. Grants are materialised as guardian object
permissions on departments, so the scoping query reads one small direct-FK table."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from portal.models import Customer, Department

from .capabilities import (
    ROLE_CAPABILITIES,
    SEND_MAIL_AGAIN,
    STAFF_GROUP_ACCOUNT_MANAGERS,
    STAFF_GROUP_CUSTOMER_SERVICE,
    STAFF_GROUP_HEALTH_PERSONNEL,
    VIEW_OUTGOING_MAIL,
    Capability,
    Perm,
    Role,
)
from .models import DepartmentUserObjectPermission, Grant
from .scoping import forget_cached_access


def _capability_permissions() -> dict[str, Permission]:
    codenames = [str(c) for c in Capability]
    return {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="portal",
            content_type__model="department",
            codename__in=codenames,
        )
    }


@transaction.atomic
def grants_sync_user(*, user) -> None:
    """Rewrite the user's department permissions from their grants."""
    wanted: set[tuple[int, int]] = set()
    permissions = _capability_permissions()
    for grant in Grant.objects.filter(user=user).prefetch_related("departments"):
        departments = list(grant.departments.all()) or list(
            Department.objects.filter(customer_id=grant.customer_id)
        )
        for department in departments:
            for capability in ROLE_CAPABILITIES[Role(grant.role)]:
                wanted.add((permissions[str(capability)].pk, department.pk))
    existing = {
        (permission_id, department_id): pk
        for pk, permission_id, department_id in DepartmentUserObjectPermission.objects.filter(
            user=user
        ).values_list("pk", "permission_id", "content_object_id")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    DepartmentUserObjectPermission.objects.filter(pk__in=stale).delete()
    DepartmentUserObjectPermission.objects.bulk_create(
        [
            DepartmentUserObjectPermission(
                user=user, permission_id=permission_id, content_object_id=department_id
            )
            for permission_id, department_id in wanted - existing.keys()
        ]
    )
    forget_cached_access(user)


@transaction.atomic
def grant_create(
    *,
    user,
    customer: Customer,
    role: Role | str,
    departments: list[Department] | None = None,
    actor=None,
) -> Grant:
    """Give `user` a role on a whole customer, or on some of its departments."""
    role = Role(role)
    departments = list(departments or [])
    foreign = [d.name for d in departments if d.customer_id != customer.pk]
    if foreign:
        raise ValidationError(
            _("%(departments)s does not belong to %(customer)s.")
            % {"departments": ", ".join(foreign), "customer": customer}
        )
    if user.is_staff:
        raise ValidationError(
            _("Staff users see every customer already; portal access is for customer users.")
        )
    grant, created = Grant.objects.get_or_create(
        user=user, customer=customer, role=role, defaults={"granted_by": actor}
    )
    before = set() if created else set(grant.departments.values_list("pk", flat=True))
    grant.departments.set(departments)
    grants_sync_user(user=user)
    if created or before != {d.pk for d in departments}:
        grant_audit(grant=grant, actor=actor, action=AuditAction.GRANTED)
    return grant


def grant_audit(*, grant: Grant, actor, action: str) -> None:
    """Into the audit trail: "granted" (role and departments; none means every department)
    or "revoked"."""
    if action == "granted":
        names = sorted(grant.departments.values_list("name", flat=True))
        changes = {"role": [None, grant.role], "departments": [None, names]}
    else:
        changes = {"role": [grant.role, None]}
    audit_record(actor=actor, action=action, obj=grant, changes=changes)


@transaction.atomic
def grant_revoke(*, grant: Grant, actor=None) -> None:
    user = grant.user
    grant_audit(grant=grant, actor=actor, action=AuditAction.REVOKED)
    grant.delete()
    grants_sync_user(user=user)


def grants_sync_new_department(*, department: Department) -> None:
    """A new department is covered at once by every whole-customer grant of its customer."""
    users = {
        grant.user
        for grant in Grant.objects.filter(customer_id=department.customer_id)
        .filter(departments__isnull=True)
        .select_related("user")
    }
    for user in users:
        grants_sync_user(user=user)


STAFF_GROUP_PERMISSIONS = {
    STAFF_GROUP_ACCOUNT_MANAGERS: [
        Perm.VIEW_CUSTOMER,
        Perm.CHANGE_CUSTOMER,
        Perm.VIEW_DEPARTMENT,
        Perm.ADD_DEPARTMENT,
        Perm.CHANGE_DEPARTMENT,
        Perm.VIEW_CONTRACT,
        Perm.ADD_CONTRACT,
        Perm.CHANGE_CONTRACT,
        Perm.VIEW_PRODUCTGROUP,
        Perm.VIEW_ORDER,
        Perm.ADD_ORDER,
        Perm.CHANGE_ORDER,
        Perm.EXPORT_ORDER,
        Perm.VIEW_APPOINTMENT,
        Perm.ADD_APPOINTMENT,
        Perm.CHANGE_APPOINTMENT,
        Perm.VIEW_BOOKING,
        Perm.ADD_BOOKING,
        Perm.CHANGE_BOOKING,
        Perm.VIEW_EMPLOYEE,
        Perm.ADD_EMPLOYEE,
        Perm.CHANGE_EMPLOYEE,
        Perm.EXPORT_EMPLOYEE,
        Perm.IMPORT_EMPLOYEE,
        Perm.VIEW_EXPOSURE,
        Perm.ADD_EXPOSURE,
        Perm.CHANGE_EXPOSURE,
        Perm.DELETE_EXPOSURE,
        Perm.VIEW_EXPOSURETYPE,
        Perm.ADD_EXPOSURETYPE,
        Perm.CHANGE_EXPOSURETYPE,
        Perm.VIEW_SURVEILLANCEDUE,
        Perm.EXPORT_SURVEILLANCEDUE,
        Perm.VIEW_INVOICE,
        Perm.VIEW_INVOICELINE,
        Perm.EXPORT_INVOICE,
        Perm.IMPORT_INVOICE,
        Perm.PERMISSIONS_VIEW_GRANT,
        Perm.PERMISSIONS_ADD_GRANT,
        Perm.PERMISSIONS_DELETE_GRANT,
        VIEW_OUTGOING_MAIL,
        SEND_MAIL_AGAIN,
        # The account managers set up what a customer's health checks ask (no answers).
        Perm.HEALTH_VIEW_QUESTIONNAIRE,
        Perm.HEALTH_ADD_QUESTIONNAIRE,
        Perm.HEALTH_CHANGE_QUESTIONNAIRE,
    ],
    STAFF_GROUP_CUSTOMER_SERVICE: [
        Perm.VIEW_CUSTOMER,
        Perm.VIEW_DEPARTMENT,
        Perm.VIEW_CONTRACT,
        Perm.VIEW_PRODUCTGROUP,
        Perm.VIEW_ORDER,
        Perm.ADD_ORDER,
        Perm.CHANGE_ORDER,
        Perm.VIEW_APPOINTMENT,
        Perm.VIEW_BOOKING,
        Perm.ADD_BOOKING,
        Perm.CHANGE_BOOKING,
        Perm.VIEW_EMPLOYEE,
        Perm.ADD_EMPLOYEE,
        Perm.CHANGE_EMPLOYEE,
        Perm.VIEW_EXPOSURE,
        Perm.ADD_EXPOSURE,
        Perm.CHANGE_EXPOSURE,
        Perm.VIEW_EXPOSURETYPE,
        Perm.VIEW_SURVEILLANCEDUE,
        Perm.VIEW_INVOICE,
        Perm.VIEW_INVOICELINE,
        Perm.PERMISSIONS_VIEW_GRANT,
        VIEW_OUTGOING_MAIL,
        SEND_MAIL_AGAIN,
    ],
    # The provider's nurses and doctors: they define the questionnaires, read the answers of
    # the employees they check, and see the appointments and bookings to find them.
    STAFF_GROUP_HEALTH_PERSONNEL: [
        Perm.VIEW_CUSTOMER,
        Perm.VIEW_DEPARTMENT,
        Perm.VIEW_PRODUCTGROUP,
        Perm.VIEW_ORDER,
        Perm.VIEW_APPOINTMENT,
        Perm.VIEW_BOOKING,
        Perm.VIEW_EMPLOYEE,
        Perm.HEALTH_VIEW_QUESTIONNAIRE,
        Perm.HEALTH_ADD_QUESTIONNAIRE,
        Perm.HEALTH_CHANGE_QUESTIONNAIRE,
        Perm.HEALTH_READ_ANSWERS,
    ],
}


def staff_groups_ensure() -> dict[str, Group]:
    """Create or update the staff groups and their global (unscoped) permissions."""
    permissions = Permission.objects.filter(
        content_type__app_label__in=["portal", "permissions", "background", "health"]
    ).select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in permissions}
    groups = {}
    for name, perms in STAFF_GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([by_name[dotted] for dotted in perms])
        groups[name] = group
    return groups


def users_with_capability(*, department: Department, capability: Capability) -> list:
    """The active customer users who hold `capability` on `department`: people, not the
    service users of API tokens (a system is told through the API, not by a notice)."""

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            departmentuserobjectpermission__content_object=department,
            departmentuserobjectpermission__permission__codename=str(capability),
            api_token__isnull=True,
        )
        .distinct()
    )
