"""`manage.py load_demo`: the world of the seed documents and the demo's living part dated from
today (tests/portal/test_demo_enrich.py), idempotent, refused in production."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import override

from permissions.models import Grant
from portal.demo_enrich import BERGEN_ORDER, INVOICES
from portal.formatting import format_date, user_display_name
from portal.models import (
    Contract,
    Customer,
    Department,
    Employee,
    Invoice,
    InvoiceLine,
    Order,
    ProductGroup,
    Sequence,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

SALES_SUPPORT = (
    "TIL SALGSSTØTTE Overskrift; Psykologsamtaler Beskrivelse; Annen/ Ytterligere "
    "beskrivelse av oppdrag er aktuelt ved andre RHT-oppdrag."
)
HK_2021 = "HELSEKONTROLL 2021 - HK arbeidshelse"

# The seed's labels, as the customer reads them in the order list, and the values they stand for.
STATE = {"Påbegynt": "started", "Aktiv": "active", "Avsluttet": "closed"}
STATUS = {
    "Venter på selgers godkjenning": "awaiting_seller",
    "Venter på kundens godkjenning": "awaiting_customer",
    "Godkjent": "approved",
    "Levert": "delivered",
}

# Bestillingsnummer, Bestillingsdato, Produktgruppe, Beskrivelse, Bedrift/avdeling,
# Ordrestatus, Status — copied from the seed's order lists.
SEED_ORDERS = [
    ("204334", "04.07.2019", "Allmennhelse", "", "Testbedriften AS", "Aktiv",
     "Venter på selgers godkjenning"),
    ("200400", "12.06.2019", "Helsekontroll (HK)", "", "Testbedriften AS", "Påbegynt",
     "Venter på selgers godkjenning"),
    ("198279", "29.05.2019", "Allmennhelse", SALES_SUPPORT, "Testbedriften AS", "Påbegynt",
     "Venter på selgers godkjenning"),
    ("306990", "07.04.2021", "Helsekontroll (HK)", HK_2021, "Testbedriften AS", "Påbegynt",
     "Venter på kundens godkjenning"),
    ("290467", "05.01.2021", "Helsekontroll (HK)", HK_2021, "Testbedriften AS", "Aktiv",
     "Godkjent"),
    ("282207", "22.10.2020", "Helsekontroll (HK)", HK_2021, "Testbedriften AS", "Aktiv",
     "Levert"),
    ("277341", "14.09.2020", "", "", "Testbedriften AS", "Avsluttet",
     "Venter på selgers godkjenning"),
]  # fmt: skip

# Fakturanummer, Fakturadato, Forfallsdato, Betaler, Total, Utestående.
SEED_INVOICES = [
    ("2017-118350", "31.12.2017", "20.01.2018", "Testbedriften AS", "1500", "1500"),
    ("2017-118352", "19.12.2017", "08.01.2018", "Bergen TEST", "3000", "3000"),
    ("2017-118359", "31.12.2017", "20.01.2018", "Bergen TEST", "3000", "3000"),
    ("2018-118371", "28.02.2018", "20.03.2018", "Bergen TEST", "1000", "1000"),
    ("2018-118376", "06.03.2018", "26.03.2018", "Testbedriften AS", "5", "5"),
]

# Fields that change on every save or are secrets salted afresh; everything else must not.
VOLATILE = {
    get_user_model(): {"password", "last_login"},
    Employee: {"updated_at"},
    InvoiceLine: {"id"},
}


def load_demo(*args):
    out = io.StringIO()
    with override_settings(DEBUG=True), override("en"):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every model's row count, and the rows of the demo's own models without volatile fields."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    rows = {}
    for model in [
        User,
        Group,
        Customer,
        Department,
        Contract,
        ProductGroup,
        Order,
        Employee,
        Invoice,
        InvoiceLine,
        Sequence,
        Grant,
    ]:
        skip = VOLATILE.get(model, set())
        values = [
            {field: value for field, value in row.items() if field not in skip}
            for row in model.objects.values()
        ]
        rows[model._meta.label] = sorted(values, key=repr)
    rows["auth.Group.permissions"] = sorted(
        Group.objects.values_list("name", "permissions__codename")
    )
    rows["auth.User.groups"] = sorted(User.objects.values_list("username", "groups__name"))
    return counts, rows


# --- Idempotent ----------------------------------------------------------------------------


def test_loading_twice_gives_the_same_rows(frozen_clock):
    # given the demo world, loaded once (its living part is dated from today: the clock stands
    # still, so that midnight between the two loads does not move the dates)
    load_demo()
    counts, rows = snapshot()
    assert counts["portal.Order"] == 9 + 1  # the seed's and the Bergen order of demo_enrich
    assert counts["portal.Invoice"] == 7 + 5

    # when it is loaded again
    load_demo()

    # then every table holds the same rows with the same values
    again_counts, again_rows = snapshot()
    assert again_counts == counts
    for label, values in rows.items():
        assert again_rows[label] == values, label


def test_loading_again_brings_a_deactivated_seed_employee_back():
    # given Donald deactivated by kam
    load_demo()
    Employee.objects.filter(email="Duck@testikkeibruk.no").update(
        is_active=False,
        deactivated_by=User.objects.get(username="kam"),
        deactivated_at=timezone.now(),
    )

    # when the demo is loaded again
    load_demo()

    # then he is active again, with no trace of the deactivation
    donald = Employee.objects.get(email="Duck@testikkeibruk.no")
    assert donald.is_active
    assert (donald.deactivated_by, donald.deactivated_at) == (None, None)


def test_loading_again_brings_changed_seed_rows_back():
    # given a demo world someone has played with
    load_demo()
    Order.objects.filter(number=204334).update(status="delivered", description="endret")
    Employee.objects.filter(email="Duck@testikkeibruk.no").update(mobile="99999999")
    testweb = User.objects.get(username="testweb")
    testweb.set_password("something-else")
    testweb.save()

    # when it is loaded again
    load_demo()

    # then the seed's values are back
    order = Order.objects.get(number=204334)
    assert (order.status, order.description) == ("awaiting_seller", "")
    assert Employee.objects.get(email="Duck@testikkeibruk.no").mobile == "12345678"
    assert User.objects.get(username="testweb").check_password("demo")


def test_loading_again_after_donald_was_replaced_by_a_new_active_employee():
    # given Donald deactivated and a new active employee with his e-mail address
    load_demo()
    donald = Employee.objects.get(email="Duck@testikkeibruk.no")
    donald.is_active = False
    donald.save()
    Employee.objects.create(
        department=donald.department,
        first_name="Donald",
        last_name="Duck",
        email="duck@testikkeibruk.no",
    )

    # when the demo is loaded again
    load_demo()

    # then it does not fail, and exactly one active Donald Duck has the seed's values
    active = Employee.objects.active().filter(email__iexact="duck@testikkeibruk.no")
    assert active.count() == 1
    assert active.get().email == "Duck@testikkeibruk.no"
    assert active.get().mobile == "12345678"


# --- The seed's data -------------------------------------------------------------------------


@pytest.mark.parametrize("row", SEED_ORDERS, ids=[row[0] for row in SEED_ORDERS])
def test_the_seed_orders_are_there(row):
    number, date, group, description, department, state, status = row

    load_demo()

    order = Order.objects.select_related("department__customer", "product_group").get(
        number=int(number)
    )
    assert format_date(order.order_date) == date
    assert (order.product_group.name if order.product_group else "") == group
    assert order.description == description
    assert order.department.name == department
    assert order.department.customer.name == "Testbedriften AS"
    assert order.state == STATE[state]
    assert order.status == STATUS[status]
    assert order.contract.name == "Abonnement Testbedriften"
    assert order.customer_reference == "abonnement123"


def test_testbedriften_has_exactly_the_seven_seed_orders_and_the_bergen_order():
    load_demo()

    numbers = Order.objects.filter(department__customer__name="Testbedriften AS").values_list(
        "number", flat=True
    )

    assert sorted(numbers) == sorted([*(int(row[0]) for row in SEED_ORDERS), BERGEN_ORDER])


def test_the_long_description_of_198279_is_kept_whole():
    load_demo()

    assert Order.objects.get(number=198279).description == SALES_SUPPORT


def test_donald_duck_is_there():
    load_demo()

    donald = Employee.objects.select_related("department", "customer").get(
        first_name="Donald", last_name="Duck"
    )
    assert format_date(donald.birth_date) == "13.09.2018"
    assert donald.birth_date == datetime.date(2018, 9, 13)
    assert donald.gender == "male"
    assert donald.email == "Duck@testikkeibruk.no"
    assert donald.mobile == "12345678"
    assert donald.department.name == "Testbedriften AS"
    assert donald.customer.name == "Testbedriften AS"
    assert donald.is_active


@pytest.mark.parametrize("row", SEED_INVOICES, ids=[row[0] for row in SEED_INVOICES])
def test_the_seed_invoices_are_there(row):
    number, invoice_date, due_date, payer, total, outstanding = row

    load_demo()

    invoice = Invoice.objects.select_related("payer__customer").get(number=number)
    assert format_date(invoice.invoice_date) == invoice_date
    assert format_date(invoice.due_date) == due_date
    assert invoice.payer.name == payer
    assert invoice.payer.customer.name == "Testbedriften AS"
    assert invoice.total == Decimal(total)
    assert invoice.outstanding == Decimal(outstanding)
    assert sum(line.amount for line in invoice.lines.all()) == Decimal(total)


def test_testbedriften_has_the_five_seed_invoices_and_the_five_of_the_last_two_months():
    load_demo()

    numbers = Invoice.objects.filter(payer__customer__name="Testbedriften AS").values_list(
        "number", flat=True
    )

    seed = sorted(row[0] for row in SEED_INVOICES)
    assert sorted(n for n in numbers if n in seed) == seed
    assert len(numbers) == len(seed) + len(INVOICES)


def test_the_contract_of_testbedriften_is_there():
    load_demo()

    contract = Contract.objects.get(name="Abonnement Testbedriften")
    assert contract.customer.name == "Testbedriften AS"
    assert contract.default_customer_reference == "abonnement123"


def test_testbedriften_has_its_two_departments():
    load_demo()

    customer = Customer.objects.get(name="Testbedriften AS")
    assert sorted(customer.departments.values_list("name", flat=True)) == [
        "Bergen TEST",
        "Testbedriften AS",
    ]
    assert customer.account_manager.username == "kam"


def test_the_second_customer_has_its_own_user_orders_employees_and_invoices():
    load_demo()

    eksempel = Customer.objects.get(name="Eksempel Industri AS")
    assert Order.objects.filter(department__customer=eksempel).exists()
    assert Employee.objects.filter(customer=eksempel).exists()
    assert Invoice.objects.filter(payer__customer=eksempel).exists()
    assert Grant.objects.filter(user__username="annen", customer=eksempel).exists()
    assert not Grant.objects.filter(user__username="annen").exclude(customer=eksempel).exists()


# --- The users -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["testweb", "kam", "annen", "admin", "hr.bergen"])
def test_every_demo_user_logs_in_with_password_demo(username, client):
    load_demo()

    user = User.objects.get(username=username)
    assert user.is_active
    assert user.check_password("demo")
    assert client.login(username=username, password="demo")


def test_testweb_is_shown_as_in_the_seed_and_administers_testbedriften():
    load_demo()

    testweb = User.objects.get(username="testweb")
    assert user_display_name(testweb) == "TESTWEB WEB (TESTWEB)"
    assert not testweb.is_staff
    assert not testweb.is_superuser
    grant = Grant.objects.get(user=testweb)
    assert (grant.customer.name, grant.role) == ("Testbedriften AS", "admin")


def test_kam_is_staff_in_the_account_managers_group():
    load_demo()

    kam = User.objects.get(username="kam")
    assert kam.is_staff
    assert not kam.is_superuser
    assert list(kam.groups.values_list("name", flat=True)) == ["KA/KAM"]
    assert kam.has_perm("portal.view_order")


def test_annen_is_a_customer_user():
    load_demo()

    annen = User.objects.get(username="annen")
    assert not annen.is_staff
    assert not annen.is_superuser


def test_admin_is_a_superuser():
    load_demo()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


# --- Refused in production ---------------------------------------------------------------


def test_load_demo_is_refused_with_debug_off():
    # given DEBUG off
    # when the demo is loaded without --force
    with (
        override_settings(DEBUG=False),
        override("en"),
        pytest.raises(CommandError, match="--force"),
    ):
        call_command("load_demo", stdout=io.StringIO())

    # then nothing was created
    assert not User.objects.filter(username__in=["testweb", "kam", "annen", "admin"]).exists()
    assert not Order.objects.exists()


def test_load_demo_runs_with_debug_off_when_forced():
    out = io.StringIO()
    with override_settings(DEBUG=False), override("en"):
        call_command("load_demo", "--force", stdout=out)

    assert "Demo data loaded." in out.getvalue()
    assert Order.objects.filter(number=204334).exists()
    assert User.objects.get(username="testweb").check_password("demo")


def test_load_demo_tells_how_to_log_in():
    out = load_demo()

    assert "Demo data loaded." in out
    assert "testweb" in out
    assert "'demo'" in out
