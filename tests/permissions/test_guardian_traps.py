"""django-guardian's known traps, each closed: no object-permission admin pages, no anonymous
user, and a global model permission never unscopes a customer user."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver
from guardian.admin import GuardedModelAdminMixin

from permissions.capabilities import Capability
from permissions.scoping import scope
from portal.models import Employee, Invoice, Order

from .helpers import CAST, customer_names, leaked

GUARDIAN_PAGES = (
    "permissions/",
    "permissions/user-manage/{user}/",
    "permissions/group-manage/{group}/",
)


def _url_names(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _url_names(
                entry, prefix + (entry.namespace + ":" if entry.namespace else "")
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_no_admin_registers_guardians_object_permission_pages():
    """GuardedModelAdmin adds <object>/permissions/ pages that let whoever may change a model
    grant permissions to anyone; none of the admin's URLs is one of them."""

    guarded = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, GuardedModelAdminMixin)
    ]
    assert guarded == []
    assert [name for name in _url_names() if "permissions_manage" in name] == []
    assert [name for name in _url_names() if name.endswith("_permissions")] == []


@pytest.mark.parametrize("member", CAST)
def test_guardians_permission_pages_are_not_reachable(member, cast, world, client):
    """Given any member of the cast, when they open the guardian permission pages of an order,
    then no such page is served: 404, the "does not exist" redirect, or the login page."""
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)

    served = []
    for page in GUARDIAN_PAGES:
        url = f"/portal/order/{world.tb_order.pk}/" + page.format(
            user=world.tb_grant.user_id, group=world.kam_group.pk
        )
        response = client.get(url, follow=True)
        templates = [t.name for t in response.templates if t.name]
        if any("guardian" in name for name in templates):
            served.append(f"{url} renders {templates[:3]}")
        if response.status_code == 200 and response.request["PATH_INFO"] not in ("/", "/login/"):
            served.append(f"{url} ends at {response.request['PATH_INFO']}")

    assert not served, "\n".join(served)


def test_there_is_no_anonymous_guardian_user(db):
    """Nobody unauthenticated holds object permissions: guardian creates no AnonymousUser."""

    assert settings.ANONYMOUS_USER_NAME is None
    assert not get_user_model().objects.filter(username__iexact="AnonymousUser").exists()


def test_a_global_model_permission_does_not_unscope_a_customer_user(world, cast):
    """Given testweb somehow holding portal.view_order (and the employee and invoice ones)
    globally without being staff, then scope still returns only Testbedriften's rows."""
    cast.testweb.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal",
            codename__in=["view_order", "view_employee", "view_invoice", "change_order"],
        )
    )
    user = type(cast.testweb).objects.get(pk=cast.testweb.pk)  # no cached permissions
    assert user.has_perm("portal.view_order")  # the trap is armed

    orders = scope(Order.objects.all(), user, Capability.VIEW_ORDERS)
    employees = scope(Employee.objects.all(), user, Capability.VIEW_EMPLOYEES)
    invoices = scope(Invoice.objects.all(), user, Capability.VIEW_INVOICES, path="payer")

    assert {o.department.customer for o in orders} == {cast.testbedriften}
    assert {e.department.customer for e in employees} == {cast.testbedriften}
    assert {i.payer.customer for i in invoices} == {cast.testbedriften}


def test_a_global_model_permission_does_not_widen_a_customers_pages(world, cast, login):
    cast.testweb.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal",
            codename__in=["view_order", "view_employee", "view_invoice", "view_customer"],
        )
    )
    client = login(cast.testweb)
    hidden = customer_names(cast.eksempel)

    shown = {
        url: leaked(client.get(url).content.decode(), hidden)
        for url in ("/portal/order/", "/portal/employee/", "/portal/invoice/", "/")
    }
    other_order = client.get(f"/portal/order/{world.ek_order.pk}/change/")

    assert shown == {url: [] for url in shown}
    assert (other_order.status_code, other_order["Location"]) == (302, "/")
