"""Who the load test signs in as, and which pages each of them opens."""

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from devtools.benchmark import CUSTOMER, DEPARTMENT, STAFF, benchmark_run
from permissions.capabilities import (
    STAFF_GROUP_ACCOUNT_MANAGERS,
    STAFF_GROUP_CUSTOMER_SERVICE,
    Role,
)
from permissions.models import Grant
from portal.models import Customer

# Info, where everyone lands: the first page of every plan.
INFO = ("start page", "/")


@dataclass
class PlannedUser:
    username: str
    kind: str  # "customer administrator", "department HR", "KA/KAM", "customer service"
    pages: list[tuple[str, str]] = field(default_factory=list)  # (page, address)


@dataclass
class Plan:
    password: str
    users: list[PlannedUser]

    def dump(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def plan_load(path) -> Plan:
    """A plan written by `Plan.dump`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Plan(
        password=data["password"],
        users=[
            PlannedUser(
                username=user["username"],
                kind=user["kind"],
                pages=[(page, url) for page, url in user["pages"]],
            )
            for user in data["users"]
        ],
    )


def largest_customers(count: int) -> list[Customer]:
    return list(
        Customer.objects.annotate(size=Count("departments__employees")).order_by("-size", "pk")[
            :count
        ]
    )


def pick_users(*, customers: int, department_hr: int, staff: int) -> list[tuple[Any, str, str]]:
    """(user, benchmark role, kind): the whole-customer administrators of the `customers`
    largest customers, `department_hr` HR users limited to departments, and `staff` staff
    users, KA/KAM first, then customer service."""
    users = get_user_model().objects.filter(is_active=True)
    picked = []
    for customer in largest_customers(customers):
        grant = (
            Grant.objects.filter(customer=customer, role=Role.ADMIN, user__is_active=True)
            .annotate(limited=Count("departments"))
            .filter(limited=0)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if grant is not None:
            picked.append((grant.user, CUSTOMER, "customer administrator"))
    hr_grants = (
        Grant.objects.filter(role=Role.HR, user__is_active=True, customer__in=largest_customers(50))
        .annotate(limited=Count("departments"))
        .filter(limited__gt=0)
        .select_related("user")
        .order_by("pk")[:department_hr]
    )
    picked += [(grant.user, DEPARTMENT, "department HR") for grant in hr_grants]
    kam = users.filter(groups__name=STAFF_GROUP_ACCOUNT_MANAGERS).annotate(
        customers=Count("managed_customers", filter=Q(managed_customers__is_active=True))
    )
    service = users.filter(groups__name=STAFF_GROUP_CUSTOMER_SERVICE)
    staff_users: list[tuple[Any, str]] = [
        (user, "KA/KAM") for user in kam.order_by("-customers", "pk")[: staff - staff // 3]
    ]
    staff_users += [(user, "customer service") for user in service.order_by("pk")[: staff // 3]]
    picked += [(user, STAFF, kind) for user, kind in staff_users]
    return picked


def plan_make(*, customers: int, department_hr: int, staff: int, password: str, progress=None):
    """Each picked user with the pages the benchmark opens as them that answered 200."""
    planned = []
    for user, role, kind in pick_users(
        customers=customers, department_hr=department_hr, staff=staff
    ):
        if progress is not None:
            progress(f"planning the pages of {user.username} ({kind})")
        report = benchmark_run(users={role: user}, repeat=1, warm_up=False)
        pages = [(result.page, result.url) for result in report.results if result.ok]
        planned.append(PlannedUser(username=user.username, kind=kind, pages=[INFO, *pages]))
    return Plan(password=password, users=planned)
