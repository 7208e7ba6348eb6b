"""`manage.py generate_world`: a large world in bulk that obeys every rule the services keep,
with four well-known users, grants as `grant_create` leaves them, and numbers that go on."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import Lower
from django.test import override_settings
from django.utils import timezone

from audit.services import audit_for
from devtools.world import (
    CUSTOMER_NUMBER_PREFIX,
    LARGEST_CUSTOMER_NUMBER,
    USERNAME_PREFIX,
    WORLD_CUSTOMER_USER,
    WORLD_DEPARTMENT_USER,
    WORLD_KAM_USER,
    WORLD_SUPERUSER,
    apportion,
    world_delete,
    world_generate,
    world_sizes,
)
from permissions.capabilities import STAFF_GROUP_ACCOUNT_MANAGERS, Capability, Role
from permissions.models import DepartmentUserObjectPermission, Grant, GrantAuditEvent
from permissions.scoping import department_ids, is_unscoped, scope
from permissions.services import grant_create, grants_sync_user
from portal.crypto import national_id_digest
from portal.models import (
    Appointment,
    Booking,
    Contract,
    Customer,
    Department,
    Employee,
    Exposure,
    Invoice,
    InvoiceLine,
    Order,
    OrderEvent,
    Sequence,
)
from portal.models.appointments import Attendance
from portal.models.orders import OrderState, OrderStatus
from portal.selectors.periods import months_add
from portal.selectors.surveillance import due_list
from portal.services import order_submit
from portal.surveillance import DueStatus
from portal.validators import validate_kid, validate_national_id
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    EmployeeFactory,
    InvoiceLineFactory,
    UserFactory,
    valid_org_number,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
SCALE = 0.002  # 4 customers, ~200 employees: big enough for every kind of row, and fast


def generate(*, debug=True, **options):
    """Run the command as a developer would (tests run with DEBUG off)."""
    out = io.StringIO()
    with override_settings(DEBUG=debug):
        call_command("generate_world", scale=options.pop("scale", SCALE), stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def world():
    return generate()


@pytest.fixture
def largest(world):
    return Customer.objects.get(customer_number=LARGEST_CUSTOMER_NUMBER)


def generated(model, path=""):
    """The model's generated rows; `path` leads to the customer ("" for customers)."""
    lookup = f"{path}__customer_number__startswith" if path else "customer_number__startswith"
    return model.objects.filter(**{lookup: CUSTOMER_NUMBER_PREFIX})


def fresh(username):
    """The user as a new request sees it (no cached department ids)."""
    return User.objects.get(username=username)


# -- sizes ----------------------------------------------------------------------------------


def test_the_full_scale_is_the_documented_world():
    sizes = world_sizes(1)
    assert (sizes.customers, sizes.departments, sizes.employees) == (2_000, 10_000, 500_000)
    assert (sizes.largest_employees, sizes.largest_departments) == (25_000, 40)
    assert (sizes.orders, sizes.appointments, sizes.bookings, sizes.invoices) == (
        150_000,
        200_000,
        400_000,
        300_000,
    )


def test_smaller_scales_are_proportional_with_floors():
    hundredth = world_sizes(0.01)
    assert (hundredth.customers, hundredth.employees, hundredth.largest_employees) == (
        20,
        5_000,
        250,
    )
    assert hundredth.largest_departments >= 3
    tiny = world_sizes(0.0005)
    assert tiny.customers == 2
    assert tiny.largest_departments >= 2


def test_the_tiniest_scale_generates_a_world_with_a_largest_customer():
    output = generate(scale=0.0005)

    sizes = world_sizes(0.0005)
    customers = generated(Customer).annotate(n=Count("employees")).order_by("-n")
    assert customers[0].customer_number == LARGEST_CUSTOMER_NUMBER
    assert customers.count() == sizes.customers
    biggest, *others = [c.n for c in customers]
    assert biggest == sizes.largest_employees
    assert all(n < biggest for n in others)
    assert Department.objects.filter(customer=customers[0]).count() == sizes.largest_departments
    assert generated(Order, "department__customer").count() == sizes.orders
    assert generated(Invoice, "payer__customer").count() == sizes.invoices
    assert "employees" in output
    assert "World generated" in output


def test_apportion_keeps_the_total_the_minimum_and_the_caps():
    shares = apportion(100, [1, 1, 8, 30], minimum=2, caps=[50, 50, 10, 50])
    assert sum(shares) == 100
    assert all(share >= 2 for share in shares)
    assert shares[2] == 10
    assert apportion(1_000, [1, 1], caps=[3, 4]) == [3, 4]


def test_counts_follow_the_scale(world):
    sizes = world_sizes(SCALE)
    largest = Customer.objects.get(customer_number=LARGEST_CUSTOMER_NUMBER)
    assert generated(Customer).count() == sizes.customers
    assert largest.employees.count() == sizes.largest_employees
    assert largest.departments.count() == sizes.largest_departments
    employees = generated(Employee, "customer")
    assert sizes.employees * 0.1 < employees.count() <= sizes.employees
    per_customer = employees.values("customer").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(per_customer) == sizes.largest_employees
    assert sorted(per_customer).count(sizes.largest_employees) == 1
    assert generated(Order, "department__customer").count() == sizes.orders
    assert 0 < generated(Appointment, "order__department__customer").count() <= sizes.appointments
    assert generated(Invoice, "payer__customer").count() == sizes.invoices


# -- the rows keep the rules ----------------------------------------------------------------


def test_every_order_status_and_state_is_there_with_consistent_steps(world):
    orders = generated(Order, "department__customer")
    # Every status of the workflow; an enquiry («Forespørsel») is not an order placed yet.
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values) - {
        OrderStatus.ENQUIRY
    }
    assert set(orders.values_list("state", flat=True)) == set(OrderState.values)
    now = timezone.now()
    assert not orders.filter(submitted_at__isnull=True).exists()
    assert not orders.filter(submitted_at__gt=now).exists()
    assert not orders.exclude(status=OrderStatus.AWAITING_SELLER).filter(
        seller_confirmed_at__isnull=True
    )
    assert not orders.filter(
        status__in=[OrderStatus.APPROVED, OrderStatus.DELIVERED], customer_confirmed_by__isnull=True
    )
    assert not orders.filter(status=OrderStatus.AWAITING_SELLER, seller_confirmed_by__isnull=False)
    assert not orders.filter(status=OrderStatus.DELIVERED, delivered_at__isnull=True)
    assert not orders.exclude(status=OrderStatus.DELIVERED).filter(delivered_at__isnull=False)
    assert not orders.filter(customer_confirmed_at__lt=F("seller_confirmed_at"))
    assert not orders.filter(delivered_at__lt=F("customer_confirmed_at"))
    # One event per step, as the services write them.
    steps = {
        OrderStatus.AWAITING_SELLER: 1,
        OrderStatus.AWAITING_CUSTOMER: 2,
        OrderStatus.APPROVED: 3,
        OrderStatus.DELIVERED: 4,
    }
    events = Counter(
        OrderEvent.objects.filter(order__in=orders, field=OrderEvent.Field.STATUS).values_list(
            "order__status", flat=True
        )
    )
    counts = Counter(orders.values_list("status", flat=True))
    assert events == {status: steps[status] * n for status, n in counts.items()}
    numbers = list(orders.order_by("order_date", "number").values_list("number", flat=True))
    assert numbers == sorted(numbers)


def test_appointments_and_bookings_keep_capacity_customer_and_attendance(world):
    appointments = generated(Appointment, "order__department__customer")
    assert not appointments.exclude(order__product_group__is_health_check=True).exists()
    over = appointments.annotate(
        seats=Count("bookings", filter=~Q(bookings__attendance=Attendance.CANCELLED))
    ).filter(seats__gt=F("capacity"))
    assert not over.exists()
    bookings = Booking.objects.filter(appointment__in=appointments)
    assert bookings.exists()
    assert not bookings.exclude(employee__customer=F("appointment__order__department__customer"))
    now = timezone.now()
    assert not bookings.filter(appointment__ends_at__lt=now, attendance=Attendance.BOOKED)
    assert not bookings.filter(
        appointment__starts_at__gt=now, attendance__in=[Attendance.ATTENDED, Attendance.NO_SHOW]
    )
    assert not bookings.filter(appointment__is_cancelled=True).holding_seats().exists()
    cancelled = bookings.filter(attendance=Attendance.CANCELLED)
    assert not cancelled.filter(Q(cancelled_at__isnull=True) | Q(cancelled_by__isnull=True))
    assert not bookings.filter(booked_at__gt=F("appointment__booking_deadline"))


def test_a_third_of_the_active_employees_are_exposed_and_the_due_list_has_every_status(world):
    employees = generated(Employee, "customer").filter(is_active=True)
    exposures = Exposure.objects.filter(employee__in=employees)
    assert 0.25 < exposures.count() / employees.count() < 0.42
    assert not Exposure.objects.filter(
        employee__in=generated(Employee, "customer"), employee__is_active=False
    ).exists()
    assert not exposures.filter(ends_on__lt=F("starts_on")).exists()
    statuses = set(due_list(exposures, timezone.localdate()).values_list("due_status", flat=True))
    assert statuses == {status.value for status in DueStatus}


def test_employees_have_valid_unique_national_ids_and_e_mails(world):
    employees = generated(Employee, "customer")
    with_id = employees.exclude(national_id_encrypted="")
    assert with_id.count() > employees.count() * 0.8
    for employee in with_id:
        number = employee.reveal_national_id()
        validate_national_id(number)
        assert employee.national_id_digest == national_id_digest(number)
    digests = with_id.values("customer", "national_id_digest").annotate(n=Count("id"))
    assert not digests.filter(n__gt=1).exists()
    emails = employees.filter(is_active=True).values("customer", lower=Lower("email"))
    assert not emails.annotate(n=Count("id")).filter(n__gt=1).exists()
    assert all(len(m) == 8 and m.isdigit() for m in employees.values_list("mobile", flat=True) if m)
    inactive = employees.filter(is_active=False)
    assert inactive.exists()
    assert not inactive.filter(deactivated_at__isnull=True).exists()
    assert not employees.filter(is_active=True, deactivated_at__isnull=False).exists()
    today = timezone.localdate()
    births = employees.aggregate(oldest=Min("birth_date"), youngest=Max("birth_date"))
    assert births["oldest"] > months_add(today, -68 * 12)
    assert births["youngest"] < months_add(today, -17 * 12)


def test_invoices_add_up_and_have_valid_kids(world):
    invoices = generated(Invoice, "payer__customer")
    for invoice in invoices.prefetch_related("lines"):
        invoice.full_clean()
        assert sum((line.amount for line in invoice.lines.all()), Decimal(0)) == invoice.total
        if invoice.kid:
            validate_kid(invoice.kid)
    assert not invoices.filter(due_date__lt=F("invoice_date")).exists()
    assert invoices.filter(outstanding=0).exists()
    assert invoices.filter(outstanding__gt=0).exists()
    assert invoices.filter(order__isnull=False).exists()


# -- who sees what --------------------------------------------------------------------------


def test_the_well_known_users_exist_with_the_demo_password(world):
    for username in (WORLD_CUSTOMER_USER, WORLD_DEPARTMENT_USER, WORLD_KAM_USER, WORLD_SUPERUSER):
        assert fresh(username).check_password("demo"), username
    assert fresh(WORLD_SUPERUSER).is_superuser


def test_world_kunde_sees_exactly_the_largest_customer(largest):
    user = fresh(WORLD_CUSTOMER_USER)
    seen = scope(Employee.objects.all(), user, Capability.VIEW_EMPLOYEES)
    assert set(seen.values_list("pk", flat=True)) == set(
        largest.employees.values_list("pk", flat=True)
    )
    assert set(department_ids(user, Capability.VIEW_INVOICES)) == set(
        largest.departments.values_list("pk", flat=True)
    )


def test_world_avdeling_sees_only_the_largest_department(largest):
    user = fresh(WORLD_DEPARTMENT_USER)
    biggest = largest.departments.annotate(n=Count("employees")).order_by("-n").first()
    for capability in Capability:
        assert department_ids(user, capability) == {biggest.pk}
    seen = scope(Employee.objects.all(), user, Capability.VIEW_EMPLOYEES)
    assert seen.count() == biggest.employees.count()
    assert not seen.exclude(department=biggest).exists()


def test_world_kam_is_account_manager_of_the_largest_customer_and_unscoped(largest):
    kam = fresh(WORLD_KAM_USER)
    assert largest.account_manager == kam
    assert kam.is_staff
    assert kam.groups.filter(name=STAFF_GROUP_ACCOUNT_MANAGERS).exists()
    assert is_unscoped(kam, Capability.CONFIRM_ORDERS)
    assert scope(Employee.objects.all(), kam, Capability.VIEW_EMPLOYEES).count() == (
        Employee.objects.count()
    )


def test_users_of_every_role_some_on_departments(world):
    grants = Grant.objects.filter(user__username__startswith=USERNAME_PREFIX)
    assert set(grants.values_list("role", flat=True)) == set(Role.values)
    assert grants.filter(departments__isnull=False).exists()
    customers = generated(Customer)
    assert not customers.exclude(grants__role=Role.ADMIN, grants__departments__isnull=True)
    assert not customers.filter(account_manager__isnull=True).exists()


def test_each_grant_is_in_its_customers_access_changelog(world):
    """As `grant_audit` files it: under the customer, with the grant's departments."""
    grants = Grant.objects.filter(user__username__startswith=USERNAME_PREFIX)
    links = GrantAuditEvent.objects.filter(customer__in=generated(Customer))
    assert links.count() == grants.count()
    for grant in grants.filter(departments__isnull=False).distinct()[:20]:
        link = links.get(event__object_id=str(grant.pk))
        assert link.customer_id == grant.customer_id
        assert set(link.departments.all()) == set(grant.departments.all())


def test_grants_are_what_grant_create_would_leave(world):
    """Each generated user's capabilities equal a twin's given the same role by
    `grant_create`, and syncing the user from their grants changes no row."""
    grants = Grant.objects.filter(user__username__startswith=USERNAME_PREFIX).select_related(
        "user", "customer"
    )
    assert grants.count() >= 10
    for grant in grants:
        user = fresh(grant.user.username)
        rows = set(
            DepartmentUserObjectPermission.objects.filter(user=user).values_list(
                "pk", "permission_id", "content_object_id"
            )
        )
        twin = UserFactory(username=f"twin-{user.pk}")
        twin_grant = grant_create(
            user=twin,
            customer=grant.customer,
            role=grant.role,
            departments=list(grant.departments.all()),
        )
        twin = User.objects.get(pk=twin.pk)
        for capability in Capability:
            assert department_ids(user, capability) == department_ids(twin, capability), (
                user.username,
                capability,
            )
        grants_sync_user(user=user)
        after = set(
            DepartmentUserObjectPermission.objects.filter(user=user).values_list(
                "pk", "permission_id", "content_object_id"
            )
        )
        assert after == rows
        audit = audit_for(grant).get(action="granted")
        assert audit.object_repr == str(grant)
        assert audit.changes == audit_for(twin_grant).get(action="granted").changes


def test_a_new_department_is_covered_by_whole_customer_grants(largest):
    department = Department.objects.create(customer=largest, name="Ny avdeling")
    assert department.pk in department_ids(fresh(WORLD_CUSTOMER_USER), Capability.VIEW_ORDERS)
    assert department.pk not in department_ids(fresh(WORLD_DEPARTMENT_USER), Capability.VIEW_ORDERS)


# -- numbers and keys go on -----------------------------------------------------------------


def test_new_orders_and_invoices_continue_after_the_world(largest):
    highest_order = Order.objects.aggregate(m=Max("number"))["m"]
    serials = [int(n.split("-")[1]) for n in Invoice.objects.values_list("number", flat=True)]
    department = largest.departments.first()
    contract = Contract.objects.get(customer=largest, valid_to__isnull=True)

    order = order_submit(actor=fresh(WORLD_CUSTOMER_USER), department=department, contract=contract)
    today = timezone.localdate()
    invoice = Invoice.objects.create(
        payer=department,
        invoice_date=today,
        due_date=today + datetime.timedelta(days=20),
        total=Decimal("100"),
        outstanding=Decimal("100"),
    )

    assert order.number == highest_order + 1
    assert int(invoice.number.split("-")[1]) > max(serials)
    assert Sequence.objects.get(name="order").last_value == order.number


def test_new_rows_of_every_generated_table_get_free_primary_keys(largest):
    department = largest.departments.first()
    order = order_submit(
        actor=fresh(WORLD_CUSTOMER_USER),
        department=department,
        contract=Contract.objects.get(customer=largest, valid_to__isnull=True),
    )
    employee = EmployeeFactory(department=department)
    BookingFactory(appointment=AppointmentFactory(order=order), employee=employee)
    InvoiceLineFactory(invoice__payer=department, order=order)
    grant_create(user=UserFactory(username="ny-bruker"), customer=largest, role=Role.HR)
    Contract.objects.create(customer=largest, name="Ny", valid_from=datetime.date(2024, 1, 1))
    Customer.objects.create(
        name="Ny kunde AS", org_number=valid_org_number(7), customer_number="N1"
    )
    assert InvoiceLine.objects.filter(order=order).exists()


# -- the command ----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_world():
    generate()
    first = list(generated(Employee, "customer").order_by("pk").values_list("email", "birth_date"))
    world_delete(log=lambda line: None)
    generate()
    again = list(generated(Employee, "customer").order_by("pk").values_list("email", "birth_date"))
    assert first == again
    world_delete(log=lambda line: None)
    generate(seed=7)
    other = list(generated(Employee, "customer").order_by("pk").values_list("email", "birth_date"))
    assert other != first


def test_refuses_a_second_world_and_reset_keeps_the_demo(demo):
    def demo_rows():
        return {
            "customers": Customer.objects.exclude(customer_number__startswith="GW").count(),
            "users": User.objects.exclude(username__startswith=USERNAME_PREFIX).count(),
            "orders": Order.objects.exclude(department__customer__customer_number__startswith="GW")
            .order_by("number")
            .values_list("number", "status")[::1],
            "employees": Employee.objects.exclude(customer__customer_number__startswith="GW")
            .order_by("pk")
            .values_list("pk", "email")[::1],
            "invoices": Invoice.objects.exclude(payer__customer__customer_number__startswith="GW")
            .order_by("number")
            .values_list("number", "outstanding")[::1],
            "grants": Grant.objects.filter(user__username__in=["testweb", "annen"]).count(),
            "permissions": DepartmentUserObjectPermission.objects.filter(
                user__username__in=["testweb", "annen"]
            ).count(),
        }

    before = demo_rows()
    generate()
    world_orders = generated(Order, "department__customer").count()
    with pytest.raises(CommandError, match="--reset"):
        generate()

    output = generate(reset=True)

    assert "removed" in output
    assert demo_rows() == before
    assert generated(Order, "department__customer").count() == world_orders
    world_delete(log=lambda line: None)
    assert demo_rows() == before
    assert not generated(Customer).exists()
    assert not Exposure.objects.exists()  # the seed has none: every one was the world's
    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
    assert fresh("testweb").check_password("demo")


def test_refuses_to_run_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        generate(debug=False)
    assert not Customer.objects.exists()

    generate(debug=False, force=True)

    assert generated(Customer).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_bulk_create_and_copy_give_the_same_world():
    world_generate(scale=SCALE, use_copy=True, log=lambda line: None)
    by_copy = list(generated(Order, "department__customer").order_by("pk").values_list(
        "number", "status", "state", "order_date", "description"
    ))  # fmt: skip
    world_delete(log=lambda line: None)
    world_generate(scale=SCALE, use_copy=False, log=lambda line: None)
    by_bulk_create = list(generated(Order, "department__customer").order_by("pk").values_list(
        "number", "status", "state", "order_date", "description"
    ))  # fmt: skip
    assert [row[1:] for row in by_copy] == [row[1:] for row in by_bulk_create]
