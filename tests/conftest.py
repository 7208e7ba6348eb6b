import pytest

from portal.demo import demo_load


@pytest.fixture
def demo(db):
    """The demo world of the seed documents."""
    demo_load()


@pytest.fixture
def login(client):
    """Log the test client in as a user: `login(user)` or `login("testweb")`."""
    from django.contrib.auth import get_user_model

    def _login(user):
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def order_cast(demo):
    """The people and rows of the order workflow, on the demo world.

    Testbedriften AS: `customer_admin` (testweb, Administrator), `orderer`, `hr`, `finance`
    (one role each on the whole customer) and `bergen_admin` (Administrator of "Bergen TEST"
    only). Eksempel Industri AS: `other_customer` (annen). The provider: `kam` (KA/KAM of both
    customers), `superuser` (admin) and `customer_service` (staff in the group "Kundeservice").
    """
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE, Role
    from permissions.services import grant_create
    from portal.models import Contract, Customer, ProductGroup
    from tests.factories import StaffFactory, UserFactory

    users = get_user_model().objects
    testbedriften = Customer.objects.get(name="Testbedriften AS")
    eksempel = Customer.objects.get(name="Eksempel Industri AS")
    tb_bergen = testbedriften.departments.get(name="Bergen TEST")

    def customer_user(username, role, departments=None):
        user = UserFactory(username=username, first_name=username.capitalize(), last_name="Test")
        grant_create(user=user, customer=testbedriften, role=role, departments=departments)
        return user

    customer_service = StaffFactory(
        username="kundeservice", first_name="Kurt", last_name="Kundeservice"
    )
    customer_service.groups.add(Group.objects.get(name=STAFF_GROUP_CUSTOMER_SERVICE))
    return SimpleNamespace(
        testbedriften=testbedriften,
        eksempel=eksempel,
        tb_main=testbedriften.departments.get(name="Testbedriften AS"),
        tb_bergen=tb_bergen,
        ek_main=eksempel.departments.get(name="Eksempel Industri AS"),
        tb_contract=Contract.objects.get(customer=testbedriften),
        ek_contract=Contract.objects.get(customer=eksempel),
        product_group=ProductGroup.objects.get(name="Helsekontroll (HK)"),
        customer_admin=users.get(username="testweb"),
        orderer=customer_user("bestiller", Role.ORDERER),
        hr=customer_user("hrbruker", Role.HR),
        finance=customer_user("okonomi", Role.FINANCE),
        bergen_admin=customer_user("bergen", Role.ADMIN, departments=[tb_bergen]),
        other_customer=users.get(username="annen"),
        kam=users.get(username="kam"),
        superuser=users.get(username="admin"),
        customer_service=customer_service,
    )


@pytest.fixture
def make_order(order_cast):
    """`make_order(status)`: a Testbedriften AS order (department "Testbedriften AS", its
    contract, Helsekontroll) with the given status; other fields as keywords."""
    from tests.factories import OrderFactory

    def _make(status="awaiting_seller", **fields):
        fields.setdefault("department", order_cast.tb_main)
        fields.setdefault("contract", order_cast.tb_contract)
        fields.setdefault("product_group", order_cast.product_group)
        return OrderFactory(status=status, **fields)

    return _make
