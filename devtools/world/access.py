"""Users, staff and grants: who logs in to the world, and what each of them may do there."""

import time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEvent
from permissions.capabilities import (
    ROLE_CAPABILITIES,
    STAFF_GROUP_ACCOUNT_MANAGERS,
    STAFF_GROUP_CUSTOMER_SERVICE,
    Role,
)
from permissions.models import DepartmentUserObjectPermission, Grant, GrantAuditEvent
from portal.models import Customer, StaffProfile

from .base import WorldBase
from .names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, slug
from .plan import (
    USERNAME_PREFIX,
    WORLD_CUSTOMER_USER,
    WORLD_DEPARTMENT_USER,
    WORLD_KAM_USER,
    WORLD_SUPERUSER,
    CustomerPlan,
    UserPlan,
    weighted,
)

KAM_SHARE = 20  # world-kam manages every 20th customer


class AccessTables(WorldBase):
    """Users with their groups and staff profiles; grants with their departments, their
    materialised department permissions and their line in the audit trail."""

    def _person(self) -> tuple[str, str]:
        rng = self.rng
        first = rng.choice(FEMALE_FIRST_NAMES if rng.random() < 0.5 else MALE_FIRST_NAMES)
        return first, rng.choice(LAST_NAMES)

    def _users(self) -> None:
        started = time.perf_counter()
        s = self.sizes
        User = get_user_model()
        user_id = self.writer.first_id(User)
        staff_domain = "bedriftshelse.example"

        def add(username, first, last, email, **fields) -> UserPlan:
            user = UserPlan(
                id=user_id + len(self.users),
                username=username,
                first_name=first,
                last_name=last,
                email=email,
                **fields,
            )
            self.users.append(user)
            return user

        def staff_user(username, group, **fields):
            first, last = self._person()
            email = f"{slug(first)}.{slug(last)}@{staff_domain}"
            return add(username, first, last, email, is_staff=True, group=group, **fields)

        add(WORLD_SUPERUSER, "Verden", "Admin", f"admin@{staff_domain}", is_staff=True,
            is_superuser=True)  # fmt: skip
        account_managers = [
            staff_user(WORLD_KAM_USER, STAFF_GROUP_ACCOUNT_MANAGERS).id,
            *(
                staff_user(f"{USERNAME_PREFIX}kam-{k:02d}", STAFF_GROUP_ACCOUNT_MANAGERS).id
                for k in range(2, max(2, round(KAM_SHARE * s.customers / 2000)) + 1)
            ),
        ]
        service = [
            staff_user(f"{USERNAME_PREFIX}ks-{k:02d}", STAFF_GROUP_CUSTOMER_SERVICE).id
            for k in range(1, max(1, round(10 * s.customers / 2000)) + 1)
        ]
        self.staff = {"kam": account_managers, "service": service}

        for customer in self.customers:
            if customer.index % KAM_SHARE == 0 or len(account_managers) == 1:
                customer.account_manager = account_managers[0]
            else:
                others = account_managers[1:]
                customer.account_manager = others[customer.index % len(others)]
            for role, departments, username in self._customer_user_plan(customer):
                first, last = self._person()
                user = add(
                    username,
                    first,
                    last,
                    f"{slug(first)}.{slug(last)}@{customer.domain}",
                    customer=customer.index,
                    role=role,
                    departments=departments,
                    joined=self._office_time(self._day_between(customer.first_day, self.today)),
                )
                if departments is None and role in (Role.ADMIN, Role.ORDERER):
                    customer.orderers.append(user.id)
                if departments is None and role in (Role.ADMIN, Role.HR):
                    customer.bookers.append(user.id)
                if departments is None and role == Role.ADMIN and not customer.admin:
                    customer.admin = user.id

        user_rows, group_rows, profile_rows = [], [], []
        membership_id = self.writer.first_id(User.groups.through)
        profile_id = self.writer.first_id(StaffProfile)
        for user in self.users:
            joined = user.joined or self._office_time(self.start_day)
            user_rows.append((
                user.id, self.password, None, user.is_superuser, user.username,
                user.first_name, user.last_name, user.email, user.is_staff, True, joined,
            ))  # fmt: skip
            if user.group:
                group_rows.append((membership_id, user.id, self.groups[user.group]))
                membership_id += 1
            if user.group == STAFF_GROUP_ACCOUNT_MANAGERS:
                profile_rows.append((profile_id, user.id, self._mobile()))
                profile_id += 1
        self._count("users", 0, time.perf_counter() - started)
        self._write("users", User,
                    ("id", "password", "last_login", "is_superuser", "username", "first_name",
                     "last_name", "email", "is_staff", "is_active", "date_joined"),
                    user_rows)  # fmt: skip
        self._write("user groups", User.groups.through, ("id", "user_id", "group_id"), group_rows)
        self._write("staff profiles", StaffProfile, ("id", "user_id", "phone"), profile_rows)
        self._done("users", "user groups", "staff profiles")

    def _customer_user_plan(self, customer: CustomerPlan):
        """(role, department indexes or None for the whole customer, username) per user: an
        Administrator first, then a few more the larger the customer, some on departments."""
        rng = self.rng
        departments = customer.departments
        if customer.index == 0:
            others = [d for d in departments if d != self.largest_department] or departments
            yield Role.ADMIN, None, WORLD_CUSTOMER_USER
            yield Role.ADMIN, [self.largest_department], WORLD_DEPARTMENT_USER
            plan: list[tuple[Role, list[int] | None]] = [
                (role, None) for role in (Role.ORDERER, Role.HR, Role.FINANCE)
            ]
            plan += [
                (Role.ORDERER, [others[0]]),
                (Role.HR, others[:2]),
                (Role.FINANCE, [self.largest_department]),
            ]
            plan += [(Role.HR, None), (Role.ORDERER, None), (Role.ADMIN, None)]
        else:
            plan = [(Role.ADMIN, None)]
            extra = min(6, customer.employees // 150) + rng.randint(0, 2)
            for _k in range(extra):
                role = weighted(rng, ((0.4, Role.ORDERER), (0.7, Role.HR),
                                       (0.9, Role.FINANCE), (1, Role.ADMIN)))  # fmt: skip
                limited = None
                if len(departments) > 1 and rng.random() < 0.35:
                    limited = sorted(
                        rng.sample(departments, rng.randint(1, min(3, len(departments) - 1)))
                    )
                plan.append((role, limited))
        for k, (role, limited) in enumerate(plan, start=1):
            yield role, limited, f"{USERNAME_PREFIX}{customer.index + 1:06d}-{k}"

    def _grants(self) -> None:
        """Grant rows, their departments and the materialised department permissions, exactly
        as `grant_create` leaves them, and its "granted" line in the audit trail."""
        started = time.perf_counter()
        grant_id = self.writer.first_id(Grant)
        through = Grant.departments.through
        through_id = self.writer.first_id(through)
        permission_id = self.writer.first_id(DepartmentUserObjectPermission)
        grant_rows, through_rows, permission_rows, audits = [], [], [], []
        audit_links: list[tuple[int, list[int]]] = []  # the customer and departments of each
        grant_type = ContentType.objects.get_for_model(Grant)
        User = get_user_model()
        for user in self.users:
            if user.customer < 0:
                continue
            customer = self.customers[user.customer]
            grant_rows.append((
                grant_id, user.id, customer.id, user.role, customer.account_manager, user.joined,
            ))  # fmt: skip
            for d in user.departments or []:
                through_rows.append((through_id, grant_id, self.departments[d].id))
                through_id += 1
            covered = user.departments or customer.departments
            for capability in sorted(ROLE_CAPABILITIES[Role(user.role)]):
                permission = self.capability_permission[str(capability)]
                for d in covered:
                    permission_rows.append(
                        (permission_id, permission, user.id, self.departments[d].id)
                    )
                    permission_id += 1
            department_names = sorted(self.departments[d].name for d in user.departments or [])
            grant = Grant(
                user=User(username=user.username),
                customer=Customer(name=customer.name),
                role=user.role,
            )
            audits.append(
                AuditEvent(
                    actor_id=customer.account_manager,
                    action="granted",
                    content_type=grant_type,
                    object_id=str(grant_id),
                    object_repr=str(grant)[:200],
                    changes={"role": [None, user.role], "departments": [None, department_names]},
                    created_at=user.joined or self._office_time(self.start_day),
                )
            )
            audit_links.append(
                (customer.id, [self.departments[d].id for d in user.departments or []])
            )
            grant_id += 1
        self._count("grants", 0, time.perf_counter() - started)
        self._write("grants", Grant,
                    ("id", "user_id", "customer_id", "role", "granted_by_id", "granted_at"),
                    grant_rows)  # fmt: skip
        self._write("grant departments", through, ("id", "grant_id", "department_id"),
                    through_rows)  # fmt: skip
        self._write("department permissions", DepartmentUserObjectPermission,
                    ("id", "permission_id", "user_id", "content_object_id"),
                    permission_rows)  # fmt: skip
        started = time.perf_counter()
        AuditEvent.objects.bulk_create(audits, batch_size=2000)
        # Filed under the customer and departments for «Endringslogg for tilganger».
        GrantAuditEvent.objects.bulk_create(
            [
                GrantAuditEvent(event_id=event.pk, customer_id=customer_id)
                for event, (customer_id, _departments) in zip(audits, audit_links, strict=True)
            ],
            batch_size=2000,
        )
        GrantAuditEvent.departments.through.objects.bulk_create(
            [
                GrantAuditEvent.departments.through(
                    grantauditevent_id=event.pk, department_id=department_id
                )
                for event, (_customer, departments) in zip(audits, audit_links, strict=True)
                for department_id in departments
            ],
            batch_size=2000,
        )
        self._count("audit events", len(audits), time.perf_counter() - started)
        self._done("grants", "grant departments", "department permissions", "audit events")
