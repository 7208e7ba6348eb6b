"""Which rows a user may see or touch: the one place that answers it.

A staff user with the capability's global model permission is unscoped. Anyone else gets the
ids of the departments they hold the capability on, worked out once per request (a handful of
ids, cached on the user object) and applied as `department_id__in=[ids]`.
"""

from collections import defaultdict
from typing import TypeVar

from django.db.models import Model, QuerySet

from portal.models import (
    Department,
)

from .capabilities import STAFF_PERMISSION, Capability
from .models import DepartmentGroupObjectPermission, DepartmentUserObjectPermission

ALL = None  # "every department": the answer for unscoped users
_CACHE_ATTR = "_portal_department_ids"
#: `permissions.delegation`'s per-request answer: which customers the user administers.
ADMINISTERED_CACHE_ATTR = "_portal_administered"


QS = TypeVar("QS", bound=QuerySet)


def is_unscoped(user, capability: Capability) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.has_perm(STAFF_PERMISSION[capability])


def is_staff_with(user, permission: str) -> bool:
    """An active staff user holding a staff-only permission (one of `capabilities`' acts)."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm(permission)
    )


def _granted_department_ids(user) -> dict[str, frozenset[int]]:
    """Every capability's department ids for this user, in two small queries."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    ids: dict[str, set[int]] = defaultdict(set)
    for codename, department_id in DepartmentUserObjectPermission.objects.filter(
        user_id=user.pk
    ).values_list("permission__codename", "content_object_id"):
        ids[codename].add(department_id)
    for codename, department_id in DepartmentGroupObjectPermission.objects.filter(
        group__user=user.pk
    ).values_list("permission__codename", "content_object_id"):
        ids[codename].add(department_id)
    result = {codename: frozenset(values) for codename, values in ids.items()}
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_cached_access(user) -> None:
    """Drop the per-request cache (after a grant changes within the same request)."""
    for attr in (_CACHE_ATTR, ADMINISTERED_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def department_ids(user, capability: Capability) -> frozenset[int] | None:
    """The departments `user` holds `capability` on; `ALL` (None) when unscoped."""
    if is_unscoped(user, capability):
        return ALL
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    return _granted_department_ids(user).get(str(capability), frozenset())


def has_capability_anywhere(user, capability: Capability) -> bool:
    ids = department_ids(user, capability)
    return ids is ALL or bool(ids)


def has_any_access(user) -> bool:
    """May this user use the portal at all (staff, or a customer user with a grant)?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(_granted_department_ids(user).values())


def scope(queryset: QS, user, capability: Capability, *, path: str = "department") -> QS:
    """Narrow `queryset` to the rows whose department (reached by `path`) the user may see."""
    ids = department_ids(user, capability)
    if ids is ALL:
        return queryset
    if not ids:
        return queryset.none()
    lookup = "pk__in" if path == "" else f"{path}_id__in"
    return queryset.filter(**{lookup: sorted(ids)})


def department_of(obj: Model, path: str) -> int | None:
    """Follow `path` (e.g. "order__department") from an object to its department id."""
    if path == "":
        return obj.pk
    *steps, last = path.split("__")
    current: Model | None = obj
    for step in steps:
        current = getattr(current, step, None)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def may_access(user, obj: Model, capability: Capability, *, path: str = "department") -> bool:
    """The single-object check: the same answer `scope` gives for this row."""
    ids = department_ids(user, capability)
    if ids is ALL:
        return True
    return department_of(obj, path) in ids


def customers_of(user, capability: Capability) -> QuerySet | None:
    """The customers whose departments the user holds `capability` on, as a subquery of ids;
    `ALL` (None) when unscoped. For rows that belong to a customer rather than a department."""

    ids = department_ids(user, capability)
    if ids is ALL:
        return ALL
    return Department.objects.filter(pk__in=sorted(ids)).values("customer_id")
