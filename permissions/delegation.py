"""Delegated administration: what a customer's administrator may do with their colleagues'
access («Brukere og tilganger»). The one home of these rules; the grant services ask them.

Nobody grants more than they hold: an administrator of some departments grants, changes and
revokes only on those, never on the whole customer; nobody changes their own grants; a
customer user never removes (or demotes) the customer's last administrator. Staff who may
grant access (`INVITE_CONTACTS`), and the commands and the demo (no actor), are not bound
by them.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from portal.models import Customer, Department

from .capabilities import INVITE_CONTACTS, Capability, Role
from .models import Grant, GrantAuditEvent
from .scoping import ADMINISTERED_CACHE_ATTR, ALL, has_capability_anywhere, is_staff_with


def is_unbound(actor) -> bool:
    """Staff who may grant access, or no actor at all (a command, the demo)."""
    return actor is None or is_staff_with(actor, INVITE_CONTACTS)


def _administered(user) -> dict[int, frozenset[int] | None]:
    """The customers this customer user is an Administrator of, each with the department ids
    of their Administrator grants (`ALL` for the whole customer): one small query, kept on
    the user for the request, as `scoping` keeps its department ids (the sidebar asks on
    every page)."""
    cached = getattr(user, ADMINISTERED_CACHE_ATTR, None)
    if cached is not None:
        return cached
    result: dict[int, frozenset[int] | None] = {}
    if user.is_authenticated and user.is_active and not user.is_staff:
        ids: dict[int, set[int]] = {}
        whole: set[int] = set()
        rows = (
            Grant.objects.filter(user_id=user.pk, role=Role.ADMIN)
            .order_by()
            .values_list("customer_id", "departments")
        )
        for customer_id, department_id in rows:
            if department_id is None:
                whole.add(customer_id)
            else:
                ids.setdefault(customer_id, set()).add(department_id)
        result = {customer_id: frozenset(values) for customer_id, values in ids.items()}
        result.update(dict.fromkeys(whole, ALL))
    setattr(user, ADMINISTERED_CACHE_ATTR, result)
    return result


def administered_customer(user) -> Customer | None:
    """The customer whose people this customer user administers (a customer user belongs to
    one customer); None for anyone else, staff included."""
    administered = _administered(user)
    if not administered:
        return None
    return Customer.objects.filter(pk=min(administered)).first()


def may_manage_colleagues(user) -> bool:
    """May this user open «Brukere og tilganger»: a customer user with the Administrator
    role (staff manage access under «Portaltilgang» instead)."""
    return bool(_administered(user))


def may_manage_colleagues_at_a_glance(user) -> bool:
    """`may_manage_colleagues` from the department ids `scoping` has read already for the
    request (the sidebar asks on every page): an Administrator holds `MANAGE_ACCESS`."""
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    return has_capability_anywhere(user, Capability.MANAGE_ACCESS)


def administered_department_ids(user, customer: Customer) -> frozenset[int] | None:
    """The departments of `customer` `user` may grant on; `ALL` (None) for the whole customer:
    unbound staff, or an Administrator of the whole customer."""
    if is_unbound(user):
        return ALL
    return _administered(user).get(customer.pk, frozenset())


def grantable_departments(user, customer: Customer) -> QuerySet:
    """The departments `user` may choose when granting on `customer`."""
    departments = Department.objects.filter(customer=customer).order_by("name")
    ids = administered_department_ids(user, customer)
    return departments if ids is ALL else departments.filter(pk__in=sorted(ids))


def colleague_grants(user, customer: Customer) -> QuerySet:
    """The grants shown on «Brukere og tilganger»: those of `customer` that reach one of
    the administrator's departments (a whole-customer grant reaches every one)."""
    grants = Grant.objects.filter(customer=customer)
    ids = administered_department_ids(user, customer)
    if ids is ALL:
        return grants
    reaching = Grant.objects.filter(
        Q(departments__isnull=True) | Q(departments__in=sorted(ids)), customer=customer
    ).values("pk")
    return grants.filter(pk__in=reaching)


def colleague_events(user, customer: Customer) -> QuerySet:
    """The audit events of «Endringslogg for tilganger»: those of `customer`'s grants that
    reach the administrator's departments, as `colleague_grants` lists the grants."""
    events = AuditEvent.objects.filter(grant_customer__customer=customer)
    ids = administered_department_ids(user, customer)
    if ids is ALL:
        return events
    reaching = GrantAuditEvent.objects.filter(
        Q(departments__isnull=True) | Q(departments__in=sorted(ids)), customer=customer
    ).values("event_id")
    return events.filter(pk__in=reaching)


def _within(ids: frozenset[int] | None, department_ids: set[int]) -> bool:
    """A set of departments (empty: the whole customer) inside what one administers."""
    if ids is ALL:
        return True
    return bool(department_ids) and department_ids <= ids


def may_change_grant(actor, grant: Grant) -> bool:
    """Whether «Endre» and «Fjern tilgang» show for this grant (the services ask
    `grant_change_check` before they write)."""
    if is_unbound(actor):
        return True
    if grant.user_id == actor.pk:
        return False
    ids = administered_department_ids(actor, grant.customer)
    return _within(ids, {d.pk for d in grant.departments.all()})


def grant_change_check(
    *,
    actor,
    customer: Customer,
    user,
    departments: list[Department] | None,
    grant: Grant | None = None,
) -> None:
    """Refuse, with the reason and the field it is about, a grant (new, or `grant` changed
    to `departments`; none is the whole customer) that the actor may not give."""
    if is_unbound(actor):
        return
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot change your own access."), code="own")
    ids = administered_department_ids(actor, customer)
    if grant is not None and not _within(ids, {d.pk for d in grant.departments.all()}):
        raise ValidationError(
            _("%(user)s also has access outside the departments you administer.")
            % {"user": user.get_full_name() or user.get_username()},
            code="outside",
        )
    if ids is ALL:
        return
    if not departments:
        raise ValidationError(
            {
                "departments": _(
                    "Choose the departments: you administer only some of the customer's "
                    "departments, so you cannot grant access to the whole customer."
                )
            },
            code="whole_customer",
        )
    outside = sorted(d.name for d in departments if d.pk not in ids)
    if outside:
        raise ValidationError(
            {
                "departments": _(
                    "You may grant access only on the departments you administer, not on "
                    "%(departments)s."
                )
                % {"departments": ", ".join(outside)}
            },
            code="outside",
        )


def last_administrator_check(*, actor, grant: Grant, role: Role | str | None) -> None:
    """A customer user may not remove (`role` None) or demote the customer's last active
    Administrator: someone must be left to manage the others. Staff may."""
    if is_unbound(actor) or grant.role != Role.ADMIN or role == Role.ADMIN:
        return
    others = (
        Grant.objects.filter(customer_id=grant.customer_id, role=Role.ADMIN, user__is_active=True)
        .exclude(user_id=grant.user_id)
        .exists()
    )
    if not others:
        raise ValidationError(
            _("%(customer)s must keep at least one administrator.") % {"customer": grant.customer},
            code="last_administrator",
        )
