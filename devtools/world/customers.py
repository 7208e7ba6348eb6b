"""Customers, their departments and contracts. They are planned before anything is written,
so that every later table knows their ids and sizes."""

import datetime
import itertools
import time

from portal.models import Contract, Customer, Department
from portal.validators import ORG_NUMBER_WEIGHTS

from .base import WorldBase
from .names import CITIES, COMPANY_CORES, COMPANY_PREFIXES, LARGEST_CUSTOMER, LAST_NAMES, slug
from .plan import CUSTOMER_NUMBER_PREFIX, CustomerPlan, DepartmentPlan, apportion, weighted


def org_numbers(start: int):
    """Valid organisation numbers from `start` (8 digits, the check digit added) upwards."""
    base = start
    while True:
        digits = str(base)
        check = -sum(int(d) * w for d, w in zip(digits, ORG_NUMBER_WEIGHTS, strict=True)) % 11
        if check != 10:
            yield digits + str(check)
        base += 1


class CustomerTables(WorldBase):
    """The plan of customers and departments; the customers, departments and contracts."""

    def _plan(self) -> None:
        s, rng = self.sizes, self.rng
        others = s.customers - 1
        sizes = [s.largest_employees, *apportion(
            s.employees - s.largest_employees,
            [rng.lognormvariate(0, 1.4) for _ in range(others)],
            minimum=1,
            caps=[s.largest_employees - 1] * others,
        )]  # fmt: skip
        department_counts = [s.largest_departments, *apportion(
            s.departments - s.largest_departments,
            [size**0.6 for size in sizes[1:]],
            minimum=1,
            caps=[min(size, s.largest_departments) for size in sizes[1:]],
        )]  # fmt: skip
        customer_id = self.writer.first_id(Customer)
        department_id = self.writer.first_id(Department)
        taken = set(Customer.objects.values_list("org_number", flat=True))
        customer_orgs = (n for n in org_numbers(81_000_000) if n not in taken)
        department_orgs = org_numbers(83_000_000)
        used_names: set[str] = set()
        employee_index = 0
        for index, (size, department_count) in enumerate(
            zip(sizes, department_counts, strict=True)
        ):
            name = LARGEST_CUSTOMER if index == 0 else self._company_name(used_names)
            used_names.add(name)
            short = name.rsplit(" ", 1)[0]
            city = rng.choice(CITIES)
            customer = CustomerPlan(
                index=index,
                id=customer_id + index,
                number=f"{CUSTOMER_NUMBER_PREFIX}{index + 1:06d}",
                name=name,
                short=short,
                domain=slug(short) + ".example",
                org_number=next(customer_orgs),
                city=city,
                employees=size,
                first_day=self._day_between(self.start_day - datetime.timedelta(days=900),
                                            self.start_day),
            )  # fmt: skip
            self.customers.append(customer)
            weights = [rng.uniform(0.6, 1.4) / (k + 1) ** 0.9 for k in range(department_count)]
            cities = [city, *rng.sample([c for c in CITIES if c != city],
                                        min(department_count, len(CITIES) - 1))]  # fmt: skip
            for k, employees in enumerate(apportion(size, weights, minimum=1)):
                town = cities[k % len(cities)]
                round_ = k // len(cities)
                department_name = (
                    name if k == 0 else f"{short} {town}" + (f" {round_ + 1}" if round_ else "")
                )
                customer.departments.append(len(self.departments))
                self.departments.append(
                    DepartmentPlan(
                        id=department_id + len(self.departments),
                        customer=index,
                        name=department_name,
                        org_number=customer.org_number
                        if k == 0
                        else (next(department_orgs) if rng.random() < 0.7 else ""),
                        city=town,
                        employees=employees,
                        first_employee=employee_index,
                    )
                )
                employee_index += employees
        self.employee_count = employee_index
        self.department_shares = list(
            itertools.accumulate((d.employees + 3) ** 0.75 for d in self.departments)
        )
        self.largest_department = max(
            self.customers[0].departments, key=lambda d: self.departments[d].employees
        )

    def _company_name(self, used: set[str]) -> str:
        rng = self.rng
        while True:
            core = rng.choice(COMPANY_CORES)
            if rng.random() < 0.5:
                stem = rng.choice(COMPANY_PREFIXES) + core.lower()
            else:
                stem = f"{rng.choice(LAST_NAMES)} {core}"
            suffix = weighted(rng, ((0.9, "AS"), (0.93, "ASA"), (0.97, "SA"), (1, "ANS")))
            name = f"{stem} {suffix}"
            if name not in used:
                return name
            name = f"{stem} {rng.choice(CITIES)} {suffix}"
            if name not in used:
                return name

    def _customers(self) -> None:
        rng = self.rng
        started = time.perf_counter()
        customer_rows: list[tuple] = []
        department_rows: list[tuple] = []
        contract_rows: list[tuple] = []
        contract_id = self.writer.first_id(Contract)
        for customer in self.customers:
            customer_rows.append((
                customer.id, customer.name, customer.org_number, customer.number,
                customer.account_manager, rng.random() < 0.97,
            ))  # fmt: skip
            for d in customer.departments:
                department = self.departments[d]
                department_rows.append(
                    (department.id, customer.id, department.name, department.org_number)
                )
            customer.contract_reference = f"abonnement{customer.index + 1}"
            if rng.random() < 0.25:
                # An earlier framework agreement, expired when the subscription began.
                old_from = customer.first_day - datetime.timedelta(days=rng.randint(400, 1500))
                contract_rows.append((
                    contract_id, customer.id, f"Rammeavtale {customer.short}",
                    f"RA-{old_from.year}", old_from,
                    customer.first_day - datetime.timedelta(days=1),
                ))  # fmt: skip
                contract_id += 1
            customer.contract = contract_id
            contract_rows.append((
                contract_id, customer.id, f"Abonnement {customer.short}",
                customer.contract_reference, customer.first_day, None,
            ))  # fmt: skip
            contract_id += 1
        built = time.perf_counter() - started
        self._count("customers", 0, built)
        self._write("customers", Customer,
                    ("id", "name", "org_number", "customer_number", "account_manager_id",
                     "is_active"), customer_rows)  # fmt: skip
        self._write("departments", Department, ("id", "customer_id", "name", "org_number"),
                    department_rows)  # fmt: skip
        self._write("contracts", Contract,
                    ("id", "customer_id", "name", "default_customer_reference", "valid_from",
                     "valid_to"), contract_rows)  # fmt: skip
        self._done("customers", "departments", "contracts")
