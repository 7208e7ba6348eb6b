"""Granting and revoking portal access. Grants are materialised as guardian object
permissions on departments, so the scoping query reads one small direct-FK table."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.sessions import user_sessions_end
from audit.models import AuditAction
from audit.services import audit_record
from portal.models import Customer, Department
from portal.services.notifications import account_managers_of, notification_post

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
from .delegation import grant_change_check, last_administrator_check
from .models import DepartmentUserObjectPermission, Grant, GrantAuditEvent
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
    """Give `user` a role on a whole customer, or on some of its departments (a role the user
    holds already: its departments become these). A customer's administrator gives no more
    than they hold (`permissions.delegation`)."""
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
    existing = Grant.objects.filter(user=user, customer=customer, role=role).first()
    grant_change_check(
        actor=actor, customer=customer, user=user, departments=departments, grant=existing
    )
    grant, created = Grant.objects.get_or_create(
        user=user, customer=customer, role=role, defaults={"granted_by": actor}
    )
    before = set() if created else set(grant.departments.values_list("pk", flat=True))
    grant.departments.set(departments)
    grants_sync_user(user=user)
    if created or before != {d.pk for d in departments}:
        grant_audit(grant=grant, actor=actor, action=AuditAction.GRANTED)
    if created and role == Role.ADMIN:
        _administrators_changed_tell(grant=grant, actor=actor, added=True)
    return grant


def _department_names(grant: Grant) -> list[str]:
    return sorted(d.name for d in grant.departments.all())


def grant_audit(
    *,
    grant: Grant,
    actor,
    action: str,
    changes: dict | None = None,
    departments: list[Department] | None = None,
) -> None:
    """Into the audit trail, filed under the grant's customer and the departments it touched
    (`departments`; by default the grant's own; none: the whole customer) for the
    administrators' «Endringslogg for tilganger»: "granted" (role and departments; none means
    every department), "changed" (`changes`) or "revoked"."""
    if changes is None and action == AuditAction.GRANTED:
        changes = {"role": [None, grant.role], "departments": [None, _department_names(grant)]}
    elif changes is None:
        changes = {"role": [grant.role, None]}
    event = audit_record(actor=actor, action=action, obj=grant, changes=changes)
    link = GrantAuditEvent.objects.create(event=event, customer_id=grant.customer_id)
    link.departments.set(grant.departments.all() if departments is None else departments)


@transaction.atomic
def grant_change(
    *, grant: Grant, role: Role | str, departments: list[Department] | None = None, actor
) -> Grant:
    """Give a colleague another role, or the same role on other departments (none: the whole
    customer), as far as the actor may (`permissions.delegation`)."""
    role = Role(role)
    departments = list(departments or [])
    grant = Grant.objects.select_for_update().select_related("user", "customer").get(pk=grant.pk)
    customer = grant.customer
    foreign = [d.name for d in departments if d.customer_id != customer.pk]
    if foreign:
        raise ValidationError(
            {
                "departments": _("%(departments)s does not belong to %(customer)s.")
                % {"departments": ", ".join(foreign), "customer": customer}
            }
        )
    grant_change_check(
        actor=actor, customer=customer, user=grant.user, departments=departments, grant=grant
    )
    last_administrator_check(actor=actor, grant=grant, role=role)
    if (
        role != grant.role
        and Grant.objects.filter(user_id=grant.user_id, customer=customer, role=role).exists()
    ):
        raise ValidationError(
            {
                "role": _("%(user)s already has the role %(role)s.")
                % {"user": _person(grant.user), "role": role.label}
            },
            code="duplicate_role",
        )
    before_role, before_names = grant.role, _department_names(grant)
    before_departments = list(grant.departments.all())
    after_names = sorted(d.name for d in departments)
    changes: dict[str, list] = {}
    if role != before_role:
        changes["role"] = [before_role, str(role)]
    if after_names != before_names:
        changes["departments"] = [before_names, after_names]
    if not changes:
        return grant
    if role != before_role:
        grant.role = role
        grant.save(update_fields=["role"])
    grant.departments.set(departments)
    grants_sync_user(user=grant.user)
    # Touched: the departments before and after; the whole customer when either was.
    touched = (
        list({d.pk: d for d in [*before_departments, *departments]}.values())
        if before_departments and departments
        else []
    )
    grant_audit(
        grant=grant,
        actor=actor,
        action=AuditAction.CHANGED,
        changes=changes,
        departments=touched,
    )
    if Role.ADMIN in (before_role, role) and before_role != role:
        _administrators_changed_tell(grant=grant, actor=actor, added=role == Role.ADMIN)
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, actor=None) -> None:
    """Take the role away; the user is signed out everywhere at once (their other roles, if
    any, apply from their next sign-in)."""
    grant = Grant.objects.select_for_update().select_related("user", "customer").get(pk=grant.pk)
    user = grant.user
    grant_change_check(
        actor=actor,
        customer=grant.customer,
        user=user,
        departments=list(grant.departments.all()),
        grant=grant,
    )
    last_administrator_check(actor=actor, grant=grant, role=None)
    grant_audit(grant=grant, actor=actor, action=AuditAction.REVOKED)
    if grant.role == Role.ADMIN:
        _administrators_changed_tell(grant=grant, actor=actor, added=False)
    grant.delete()
    grants_sync_user(user=user)
    user_sessions_end(user=user)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _administrators_changed_tell(*, grant: Grant, actor, added: bool) -> None:
    """The customer's KA/KAM (customer service without one) is told in the portal when a
    customer user adds or removes one of the customer's administrators."""
    if actor is None or actor.is_staff:
        return
    names = {
        "actor": _person(actor),
        "user": _person(grant.user),
        "customer": grant.customer.name,
    }
    text = (
        _("%(actor)s made %(user)s an administrator of %(customer)s.")
        if added
        else _("%(actor)s removed %(user)s as an administrator of %(customer)s.")
    ) % names
    notification_post(
        recipients=account_managers_of(grant.customer),
        text=text,
        link=reverse("admin:portal_customer_change", args=[grant.customer_id]),
    )


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
