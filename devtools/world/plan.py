"""The world's shape, settled before a row is written: how generated rows are recognised, the
sizes a scale asks for, how totals are shared out and values drawn by weight, and the plans of
customers, departments and users that the generator links every later row by."""

import datetime
import math
import random
from dataclasses import dataclass, field

from portal import demo
from portal.models.orders import OrderState, OrderStatus

# The marks of generated rows: `world_delete` removes what bears them and nothing else.
CUSTOMER_NUMBER_PREFIX = "GW"
USERNAME_PREFIX = "world-"
WORLD_CUSTOMER_USER = "world-kunde"  # Administrator of the largest customer
WORLD_DEPARTMENT_USER = "world-avdeling"  # Administrator of its largest department only
WORLD_KAM_USER = "world-kam"  # KA/KAM of the largest customer and of every 20th
WORLD_SUPERUSER = "world-admin"
WORLD_USERS = (WORLD_CUSTOMER_USER, WORLD_DEPARTMENT_USER, WORLD_KAM_USER, WORLD_SUPERUSER)
LARGEST_CUSTOMER_NUMBER = f"{CUSTOMER_NUMBER_PREFIX}000001"
PASSWORD = demo.PASSWORD  # every generated user's, as the demo users': one to remember

SCALE_1 = {
    "customers": 2_000,
    "departments": 10_000,
    "employees": 500_000,
    "largest_employees": 25_000,
    "largest_departments": 40,
    "orders": 150_000,
    "appointments": 200_000,
    "bookings": 400_000,
    "invoices": 300_000,
}


@dataclass(frozen=True)
class WorldSizes:
    """What a scale asks for. Employees are a target: below scale ~0.02 the other customers
    cannot hold them all and stay smaller than the largest, and the largest stays largest."""

    customers: int
    departments: int
    employees: int
    largest_employees: int
    largest_departments: int
    orders: int
    appointments: int
    bookings: int
    invoices: int


def world_sizes(scale: float) -> WorldSizes:
    def scaled(name: str, minimum: int) -> int:
        return max(minimum, round(SCALE_1[name] * scale))

    customers = scaled("customers", 2)
    largest_employees = scaled("largest_employees", 8)
    largest_departments = min(largest_employees, scaled("largest_departments", 4))
    return WorldSizes(
        customers=customers,
        departments=max(scaled("departments", 0), largest_departments + customers - 1),
        employees=max(scaled("employees", 0), largest_employees + customers - 1),
        largest_employees=largest_employees,
        largest_departments=largest_departments,
        orders=scaled("orders", len(OrderStatus) * len(OrderState)),
        appointments=scaled("appointments", 1),
        bookings=scaled("bookings", 1),
        invoices=scaled("invoices", 4),
    )


def apportion(total: int, weights: list[float], *, minimum: int = 0, caps=None) -> list[int]:
    """Split `total` into integers in proportion to `weights`, each between `minimum` and its
    cap; what a capped share cannot take goes to the others (water-filling). When the caps
    cannot hold `total`, everyone gets their cap."""
    count = len(weights)
    if not count:
        return []
    caps = [math.inf] * count if caps is None else list(caps)
    floors = [min(minimum, cap) for cap in caps]
    total = max(min(total, sum(caps)), sum(floors))

    def filled(k: float) -> float:
        return sum(
            min(cap, max(low, k * weight))
            for weight, low, cap in zip(weights, floors, caps, strict=True)
        )

    low_k, high_k = 0.0, 1.0
    while filled(high_k) < total:
        high_k *= 2
    for _step in range(50):
        middle = (low_k + high_k) / 2
        if filled(middle) < total:
            low_k = middle
        else:
            high_k = middle
    shares = [
        min(cap, max(low, low_k * weight))
        for weight, low, cap in zip(weights, floors, caps, strict=True)
    ]
    result = [int(share) for share in shares]
    missing = total - sum(result)
    by_fraction = sorted(range(count), key=lambda i: result[i] - shares[i])
    while missing > 0:
        for i in by_fraction:
            if missing and result[i] < caps[i]:
                result[i] += 1
                missing -= 1
    return result


def weighted(rng: random.Random, table):
    """`table` is ((threshold, value), …) with cumulative thresholds, the last one 1."""
    r = rng.random()
    for threshold, value in table:
        if r < threshold:
            return value
    return table[-1][1]


def weighted_mean(table) -> float:
    """The mean of what `weighted` draws from `table`."""
    mean = below = 0.0
    for threshold, value in table:
        mean += (threshold - below) * value
        below = threshold
    return mean


def weighted_index(cumulative: list[float], value: float) -> int:
    """The index of the share `value` falls in, the shares given as cumulative weights."""
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] <= value:
            low = middle + 1
        else:
            high = middle
    return low


@dataclass
class CustomerPlan:
    index: int
    id: int
    number: str
    name: str
    short: str
    domain: str
    org_number: str
    city: str
    employees: int
    departments: list[int] = field(default_factory=list)  # department indexes
    account_manager: int = 0  # user id
    contract: int = 0
    contract_reference: str = ""
    admin: int = 0  # user id of the whole-customer Administrator
    orderers: list[int] = field(default_factory=list)  # may place and confirm orders
    bookers: list[int] = field(default_factory=list)  # may book and manage employees
    first_day: datetime.date = datetime.date.min


@dataclass
class DepartmentPlan:
    id: int
    customer: int  # customer index
    name: str
    org_number: str
    city: str
    employees: int
    first_employee: int = 0  # index into every generated employee
    active: int = 0


@dataclass
class UserPlan:
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool = False
    is_superuser: bool = False
    group: str = ""
    customer: int = -1
    role: str = ""
    departments: list[int] | None = None  # None: the whole customer
    joined: datetime.datetime | None = None
