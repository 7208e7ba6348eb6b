"""A generated world for benchmarks and load tests (`manage.py generate_world`).

At scale 1: 2,000 customers, 10,000 departments, 500,000 employees, 150,000 orders,
200,000 appointments, 400,000 bookings and 300,000 invoices, with the users, grants, contracts
and staff to go with them. The largest customer (customer number GW000001) has 25,000
employees in 40 departments; most customers are small.

Rows go in through the database's bulk path (COPY on PostgreSQL, `bulk_create` elsewhere) with
primary keys chosen here: the generator knows every id it hands out, so it links rows without
reading them back, and it keeps only per-customer and per-department tables in memory, never
the rows themselves. What `save()` and signals would have done is done here instead: an
employee's customer, the grants' materialised department permissions (as `grant_create` leaves
them), the document number sequences.

Everything generated is recognisable, so that `world_delete` removes it and nothing else:
customer numbers start with "GW", usernames with "world-".

The parts: `plan` (markers, sizes per scale, apportioning, the plans), `names` (Norwegian
names and wording), `writer` (COPY / bulk_create), `base` (the state a generation shares),
one mixin per group of tables (`customers`, `access`, `employees`, `orders`, `appointments`,
`invoices`), `generator` (the run and `world_generate`) and `delete` (`world_exists`,
`world_delete`).
"""

from .base import WorldReport
from .customers import org_numbers
from .delete import world_delete, world_exists
from .employees import synthetic_national_id
from .generator import DEFAULT_SEED, world_generate
from .plan import (
    CUSTOMER_NUMBER_PREFIX,
    LARGEST_CUSTOMER_NUMBER,
    PASSWORD,
    SCALE_1,
    USERNAME_PREFIX,
    WORLD_CUSTOMER_USER,
    WORLD_DEPARTMENT_USER,
    WORLD_KAM_USER,
    WORLD_SUPERUSER,
    WORLD_USERS,
    WorldSizes,
    apportion,
    world_sizes,
)

__all__ = [
    "CUSTOMER_NUMBER_PREFIX",
    "DEFAULT_SEED",
    "LARGEST_CUSTOMER_NUMBER",
    "PASSWORD",
    "SCALE_1",
    "USERNAME_PREFIX",
    "WORLD_CUSTOMER_USER",
    "WORLD_DEPARTMENT_USER",
    "WORLD_KAM_USER",
    "WORLD_SUPERUSER",
    "WORLD_USERS",
    "WorldReport",
    "WorldSizes",
    "apportion",
    "org_numbers",
    "synthetic_national_id",
    "world_delete",
    "world_exists",
    "world_generate",
    "world_sizes",
]
